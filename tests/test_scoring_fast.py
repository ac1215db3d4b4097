"""The item results of the scoring path are exactly what validating the same data gives.

A guard for building the thousands of :class:`ItemScore` objects of a province-scale run
cheaply (``model_construct`` was measured slower than validation in pydantic 2 when default
factories are left to it, so the results are validated): every item result, with missing
answers, single answers (no SE), no spread and weighted, stratified, clustered rows, survives
a validation and a JSON round trip unchanged.
"""

from __future__ import annotations

import numpy as np
import pytest

import publiceval as pe
from publiceval import OPD, Item, Scale, Survey, Text
from publiceval._core.results.scores import ItemScore
from publiceval._core.table import ColumnMap, ResponseTable


def _survey() -> Survey:
    return Survey(
        title="fast",
        scales=[Scale(id="s4", min=1, max=4)],
        items=[
            Item(id="q1", text=Text(id="q1", en="q1"), scale="s4"),
            Item(id="q2", text=Text(id="q2", en="q2"), scale="s4", reverse=True),
            Item(id="q3", text=Text(id="q3", en="q3"), scale="s4"),
        ],
        opds=[OPD(id=f"o{i}", name=f"O {i}") for i in range(6)],
    )


def _table(survey: Survey, seed: int, design: bool) -> ResponseTable:
    rng = np.random.default_rng(seed)
    n = 300
    opd = rng.integers(0, 5, n)  # o5 has no rows
    opd[:1] = 4
    opd[opd == 4] = np.where(np.arange((opd == 4).sum()) == 0, 4, 3)  # o4: one row
    cols: dict[str, object] = {
        "respondent": np.arange(n).astype(str).astype(object),
        "opd": np.array([f"o{i}" for i in opd], dtype=object),
    }
    for item, top in (("q1", 4), ("q2", 4), ("q3", 4)):
        x = rng.integers(1, top + 1, n).astype(float)
        x[rng.random(n) < 0.2] = np.nan
        cols[item] = x
    cols["q3"] = np.where(opd == 2, 3.0, cols["q3"])  # no spread in o2: SE 0, edge interval
    if design:
        cols["weight"] = rng.lognormal(0, 0.4, n)
        cols["stratum"] = np.array([f"s{h}" for h in rng.integers(0, 3, n)], dtype=object)
        cols["psu"] = np.array([f"p{q}" for q in rng.integers(0, 25, n)], dtype=object)
    mapping = ColumnMap(weight="weight", stratum="stratum", psu="psu") if design else None
    return ResponseTable.from_columns(survey, cols, mapping=mapping)


@pytest.mark.parametrize("design", [False, True])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_constructed_item_scores_equal_validated_ones(seed: int, design: bool) -> None:
    survey = _survey()
    table = _table(survey, seed, design)
    assert (table.per_opd.psu is not None) is design
    ev = pe.evaluate(survey, table, statistics={"uncertainty": False})
    seen = 0
    for result in ev.opds:
        for item in result.items:
            again = ItemScore.model_validate(item.model_dump())
            assert again == item
            assert again.model_dump_json() == item.model_dump_json()
            seen += 1
    assert seen
    # and the JSON document as a whole validates back to the same evaluation
    assert pe.Evaluation.model_validate_json(ev.model_dump_json()).model_dump() == ev.model_dump()
