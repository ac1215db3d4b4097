"""Seeded synthetic surveys: N respondents, U OPDs of skewed sizes, k items, missing answers,
weights, strata and PSUs — the shape of a province's SKM data, at any size."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np
from numpy.typing import NDArray

from publiceval import OPD, Item, Scale, ScaleLabel, Survey, Text
from publiceval._core.rejects import RejectLog
from publiceval._core.table import AnswerBlock, ResponseTable

LABELS = (
    ("Tidak Baik", "Poor"),
    ("Kurang Baik", "Fair"),
    ("Baik", "Good"),
    ("Sangat Baik", "Very good"),
)


def make_survey(n_opds: int, n_items: int) -> Survey:
    """A survey with ``n_items`` per-OPD items on a 1-4 scale and ``n_opds`` OPDs."""
    scale = Scale(
        id="q4",
        min=1,
        max=4,
        labels=[ScaleLabel(value=i + 1, label=Text(id=a, en=b)) for i, (a, b) in enumerate(LABELS)],
    )
    return Survey(
        title="Synthetic SKM",
        scales=[scale],
        items=[
            Item(id=f"u{j + 1}", text=Text(id=f"Unsur {j + 1}", en=f"Element {j + 1}"), scale="q4")
            for j in range(n_items)
        ],
        opds=[OPD(id=f"opd{u:05d}", name=f"Dinas {u:05d}") for u in range(n_opds)],
    )


@dataclass(frozen=True)
class Data:
    """Answers as arrays: ``answers`` is (N × k) int8 with 0 for no answer."""

    opd: NDArray[np.int32]
    answers: NDArray[np.int8]
    weight: NDArray[np.float64]
    stratum: NDArray[np.int32]
    psu: NDArray[np.int32]

    @property
    def n(self) -> int:
        return int(self.opd.shape[0])


def make_data(
    n: int,
    n_opds: int,
    n_items: int,
    *,
    missing: float = 0.05,
    seed: int = 0,
    skew: float = 1.0,
    strata: int = 4,
    psu_size: int = 20,
    shuffle: bool = True,
) -> Data:
    """``n`` rows; OPD sizes lognormal with sigma ``skew``; each OPD has its own mean level.

    PSUs (e.g. service days) hold about ``psu_size`` rows and nest in strata. Rows come in a
    random order unless ``shuffle`` is False (then sorted by OPD, as per-unit exports are).
    """
    rng = np.random.default_rng(seed)
    size = rng.lognormal(0.0, skew, n_opds)
    p = size / size.sum()
    opd = np.sort(rng.choice(n_opds, n, p=p)).astype(np.int32)
    level = rng.normal(0.0, 0.6, n_opds)
    answers = np.empty((n, n_items), np.int8)
    step = 1 << 20
    for a in range(0, n, step):
        b = min(n, a + step)
        latent = level[opd[a:b], None] + rng.normal(0.0, 1.0, (b - a, n_items))
        answers[a:b] = np.clip(np.round(2.8 + latent), 1, 4).astype(np.int8)
        answers[a:b][rng.random((b - a, n_items)) < missing] = 0
    stratum = rng.integers(0, strata, n).astype(np.int32)
    psu = (np.arange(n) // psu_size).astype(np.int32)
    weight = rng.lognormal(0.0, 0.4, n)
    if shuffle:
        order = rng.permutation(n)
        opd, answers, weight, stratum = opd[order], answers[order], weight[order], stratum[order]
        psu = psu[order]
    return Data(opd=opd, answers=answers, weight=weight, stratum=stratum, psu=psu)


def to_table(survey: Survey, data: Data, *, design: bool = False) -> ResponseTable:
    """A validated-shape table built straight from clean arrays (no parsing: for scoring runs)."""
    n = data.n
    # string ids as a reader gives them; beyond 2M rows integer ids (the table only indexes them)
    ids = cast(
        "NDArray[np.object_]",
        np.arange(n).astype(str).astype(object) if n <= 2_000_000 else np.arange(n),
    )
    per = AnswerBlock(
        items=tuple(i.id for i in survey.opd_items),
        values=data.answers,
        observed=data.answers > 0,
        respondent=np.arange(n, dtype=np.int64),
        opd=data.opd,
        weight=data.weight if design else np.ones(n),
        stratum=data.stratum if design else None,
        psu=data.psu if design else None,
        source_row=np.arange(2, n + 2, dtype=np.int64),
    )
    wide = AnswerBlock(
        items=(),
        values=np.zeros((0, 0), np.int8),
        observed=np.zeros((0, 0), bool),
        respondent=np.zeros(0, np.int64),
        opd=np.zeros(0, np.int32),
        weight=np.zeros(0),
        stratum=np.zeros(0, np.int32) if design else None,
        psu=np.zeros(0, np.int32) if design else None,
        source_row=np.zeros(0, np.int64),
    )
    return ResponseTable(
        survey=survey,
        per_opd=per,
        survey_wide=wide,
        respondent_ids=ids,
        stratum_ids=tuple(f"s{h}" for h in range(int(data.stratum.max()) + 1)) if design else (),
        psu_ids=tuple(f"p{q}" for q in range(int(data.psu.max()) + 1)) if design else (),
        rejects=RejectLog(rows_read=n),
    )


def columns(
    survey: Survey, data: Data, rows: slice = slice(None)
) -> dict[str, NDArray[np.object_]]:
    """Raw text columns as a reader hands them over (answers as digits, blanks for none)."""
    opd_ids = np.array([o.id for o in survey.opds], dtype=object)
    out: dict[str, NDArray[np.object_]] = {
        "respondent": np.arange(data.n)[rows].astype(str).astype(object),
        "opd": opd_ids[data.opd[rows]],
    }
    text = np.array(["", "1", "2", "3", "4"], dtype=object)
    for j, item in enumerate(survey.opd_items):
        out[item.id] = text[data.answers[rows, j]]
    return out


def write_csv(survey: Survey, data: Data, path: Path, *, block: int = 200_000) -> int:
    """Write the data as a CSV (answers as digits, blanks for none); returns its size in bytes."""
    header = ["respondent", "opd", *[i.id for i in survey.opd_items]]
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for a in range(0, data.n, block):
            cols = columns(survey, data, slice(a, min(data.n, a + block)))
            writer.writerows(zip(*(cols[h] for h in header), strict=True))
    return path.stat().st_size


def write_parquet(survey: Survey, data: Data, paths: list[Path]) -> int:
    """Write the data as Parquet, split evenly over ``paths`` (as a Dask or Spark export is):
    respondent ids as integers, OPD ids as dictionary-encoded text, answers as nullable
    integers. Returns the total size in bytes."""
    import pyarrow as pa  # type: ignore[import-untyped,import-not-found,unused-ignore]
    import pyarrow.parquet as pq  # type: ignore[import-untyped,import-not-found,unused-ignore]

    opd_ids = pa.array([o.id for o in survey.opds])
    bounds = np.linspace(0, data.n, len(paths) + 1).astype(np.int64)
    for path, a, b in zip(paths, bounds[:-1], bounds[1:], strict=True):
        cols = {
            "respondent": pa.array(np.arange(a, b, dtype=np.int64) + 1),
            "opd": pa.DictionaryArray.from_arrays(pa.array(data.opd[a:b]), opd_ids),
        }
        for j, item in enumerate(survey.opd_items):
            x = data.answers[a:b, j]
            cols[item.id] = pa.array(x, mask=x == 0)
        pq.write_table(pa.table(cols), path)
    return sum(p.stat().st_size for p in paths)
