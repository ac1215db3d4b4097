"""Respondent-id hashes (how chunks and Dask partitions count distinct respondents exactly)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from publiceval._core.aggregates import _digits, hash_ids

TEXT = st.text(st.characters(exclude_characters="\x00"), max_size=12)


@settings(max_examples=80, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=30), st.lists(TEXT, max_size=30))
def test_an_id_hashes_alike_whatever_the_ids_beside_it(ids: list[str], others: list[str]):
    """Chunks and partitions hash separately: the same text must give the same hash."""
    alone = hash_ids(np.array(ids, dtype=object))
    mixed = hash_ids(np.array([*others, *ids, "x" * 40], dtype=object))
    assert alone.tolist() == mixed[len(others) : len(others) + len(ids)].tolist()
    distinct = dict(zip(ids, alone.tolist(), strict=True))
    assert len(set(distinct.values())) == len(distinct)  # no collision among a few ids


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(-(2**63), 2**63 - 1), min_size=1, max_size=30))
def test_integer_ids_hash_as_their_text(values: list[int]):
    ints = np.array(values, dtype=np.int64)
    assert _digits(ints).tolist() == ints.astype(str).tolist()
    assert hash_ids(ints).tolist() == hash_ids(ints.astype(str).astype(object)).tolist()


def test_unsigned_and_small_integer_ids():
    for arr in (np.array([0, 2**64 - 1, 10**19], np.uint64), np.array([-128, 0, 127], np.int8)):
        assert _digits(arr).tolist() == arr.astype(str).tolist()
    assert hash_ids(np.zeros(0, object)).shape == (0,)
