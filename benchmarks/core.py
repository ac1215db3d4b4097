"""Stages measured on ready data: scoring, validation, design-based SEs, CSV reading, rank
intervals and time versus N, each against the tool a user would reach for."""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
import warnings
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

import publiceval as pe
import publiceval.plugin
from publiceval._core.aggregates import table_aggregates
from publiceval._core.estimation import Design, item_estimates
from publiceval._core.moments.design import VarianceOptions, variance_options
from publiceval._core.response import Response
from publiceval._core.table import ColumnMap, ResponseTable

from .common import Row, best, frame_of, peak_mb
from .generate import columns, make_data, make_survey, to_table, write_csv


def bench_scoring(a: argparse.Namespace) -> list[Row]:
    """Scoring with CIs from a ResponseTable vs hand-written pandas and polars group-bys."""
    survey = make_survey(a.opds, a.items)
    data = make_data(a.n, a.opds, a.items, seed=1)
    table = to_table(survey, data)
    frame = frame_of(data, survey)
    items = [i.id for i in survey.opd_items]
    t_mean = best(lambda: frame.groupby("opd")[items].mean(), a.repeat)
    t_sd = best(lambda: frame.groupby("opd")[items].agg(["mean", "std", "count"]), a.repeat)
    rows: list[Row] = []
    with contextlib.suppress(ImportError):
        import polars as pl

        pframe = pl.from_pandas(frame)
        t_pl = best(lambda: pframe.group_by("opd").agg(pl.col(items).mean()), a.repeat)
        rows.append({"what": "polars group_by mean", "at": "", "seconds": t_pl})

    def ours() -> object:
        return pe.evaluate(survey, table, statistics={"uncertainty": False})

    t_eval = best(ours, a.repeat)
    t_agg = best(lambda: table_aggregates(table, respondents=False), a.repeat)
    t_ids = best(lambda: table_aggregates(table, respondents=True), a.repeat)
    where = f"N={a.n:,} × k={a.items} × U={a.opds:,}"
    for row in rows:
        row["at"] = where
    return [
        {"what": "pandas groupby mean", "at": where, "seconds": t_mean},
        {"what": "pandas groupby mean+sd+count", "at": where, "seconds": t_sd},
        *rows,
        {
            "what": "publiceval evaluate (scores, SEs, CIs, items)",
            "at": where,
            "seconds": t_eval,
            "ratio": t_eval / t_mean,
            "vs": "pandas mean",
            "target": "<= 1.0 (aim 0.5)",
            "mb": peak_mb(ours),
        },
        {
            "what": "publiceval evaluate",
            "at": where,
            "seconds": t_eval,
            "ratio": t_eval / t_sd,
            "vs": "pandas mean+sd+count",
        },
        {
            "what": "  of which: aggregates (the data pass)",
            "at": where,
            "seconds": t_agg,
            "ratio": t_agg / t_mean,
            "vs": "pandas mean",
        },
        {
            "what": "  aggregates with respondent-id hashes",
            "at": where,
            "seconds": t_ids,
            "ratio": t_ids / t_agg,
            "vs": "without ids",
            "note": "what chunked and Dask runs pay to count distinct respondents",
        },
    ]


def bench_validation(a: argparse.Namespace) -> list[Row]:
    """Column-wise validation vs per-row pydantic validation of the same rows."""
    survey = make_survey(a.opds, a.items)
    data = make_data(a.validate_n, a.opds, a.items, seed=2)
    cols = columns(survey, data)
    items = [i.id for i in survey.opd_items]
    rows = [
        {
            "respondent": cols["respondent"][r],
            "opd": cols["opd"][r],
            "answers": {q: cols[q][r] or None for q in items},
        }
        for r in range(data.n)
    ]
    typed: dict[str, Any] = {
        "respondent": np.arange(data.n),
        "opd": cols["opd"],
        **{
            q: np.where(data.answers[:, j] > 0, data.answers[:, j], np.nan)
            for j, q in enumerate(items)
        },
    }
    t_rows = best(lambda: [Response.validate_for(survey, r) for r in rows], 1)
    pandas_loaded = "pandas" in sys.modules
    t_cols = best(lambda: ResponseTable.from_columns(survey, cols), a.repeat)
    t_typed = best(lambda: ResponseTable.from_columns(survey, typed), a.repeat)
    t_pd = float("nan")
    with contextlib.suppress(ImportError):
        # text columns are factorised with pandas when it is already imported (or the column
        # is long enough to repay importing it); otherwise with a dict
        import pandas  # noqa: F401

        t_pd = best(lambda: ResponseTable.from_columns(survey, cols), a.repeat)
    where = f"{data.n:,} rows × k={a.items}"
    path = "pandas factorize" if pandas_loaded else "dict factorize (pandas not imported)"
    return [
        {"what": "per-row pydantic (Response.validate_for)", "at": where, "seconds": t_rows},
        {
            "what": "column-wise from_columns, text cells",
            "at": where,
            "seconds": t_cols,
            "ratio": t_rows / t_cols,
            "vs": "speed-up over per-row",
            "target": ">= 100",
            "note": path,
        },
        {
            "what": "column-wise from_columns, text cells, pandas",
            "at": where,
            "seconds": t_pd,
            "ratio": t_rows / t_pd,
            "vs": "speed-up over per-row",
            "target": ">= 100",
            "note": "pandas imported (its factorize is the hash table)",
        },
        {
            "what": "column-wise from_columns, typed columns",
            "at": where,
            "seconds": t_typed,
            "ratio": t_rows / t_typed,
            "vs": "speed-up over per-row",
            "target": ">= 100",
            "note": "numbers, as the csv-arrow and parquet readers hand them over",
        },
    ]


def bench_design(a: argparse.Namespace) -> list[Row]:
    """Weighted, stratified, clustered domain means with SE vs samplics (same numbers)."""
    warnings.filterwarnings("ignore")
    import pandas as pd
    from samplics.estimation import TaylorEstimator
    from samplics.utils.types import PopParam, SinglePSUEst

    rows: list[Row] = []
    big = make_data(a.design_n, a.opds, 1, missing=0.0, seed=3, psu_size=5)
    obs = np.ones((big.n, 1), bool)

    def ours(d: Any) -> Any:
        y = d.answers[:, :1].astype(np.float64)
        return item_estimates(
            d.opd, a.opds, y, obs[: d.n], d.weight, Design(stratum=d.stratum, psu=d.psu)
        )

    t_big = best(lambda: ours(big), a.repeat)
    small = make_data(a.samplics_n, a.opds, 1, missing=0.0, seed=3, psu_size=5)
    y = small.answers[:, 0].astype(np.float64)
    stratum = small.opd.astype(np.int64) * 1000 + small.stratum
    psu = stratum * 10_000_000 + small.psu
    t0 = time.perf_counter()
    sam = TaylorEstimator(PopParam.mean)
    sam.estimate(
        y=y,
        samp_weight=small.weight,
        stratum=pd.Series(stratum),
        psu=pd.Series(psu),
        domain=pd.Series(small.opd),
        single_psu=SinglePSUEst.skip,
    )
    t_sam = time.perf_counter() - t0
    t_small = best(lambda: ours(small), a.repeat)
    # The same design as samplics got (strata and PSUs coded within OPDs) and its lonely-PSU
    # rule (``skip``: a stratum with one PSU adds no variance, R's and our "certainty").
    same = Design(
        stratum=np.unique(stratum, return_inverse=True)[1].astype(np.int32),
        psu=np.unique(psu, return_inverse=True)[1].astype(np.int32),
    )
    with variance_options(VarianceOptions(lonely_psu="certainty")):
        est = item_estimates(small.opd, a.opds, y[:, None], obs[: small.n], small.weight, same)
    doms = sorted(sam.point_est)
    dm = max(abs(float(sam.point_est[d]) - est.mean[d, 0]) for d in doms)
    ds = max(
        abs(float(sam.stderror[d]) - est.se[d, 0])
        for d in doms
        if np.isfinite(float(sam.stderror[d]))
    )
    extrap = t_sam * big.n / small.n
    rows += [
        {
            "what": "samplics TaylorEstimator (domain means, SE)",
            "at": f"N={small.n:,}, U={a.opds:,}",
            "seconds": t_sam,
        },
        {
            "what": "publiceval item_estimates",
            "at": f"N={small.n:,}, U={a.opds:,}",
            "seconds": t_small,
            "ratio": t_sam / t_small,
            "vs": "speed-up, same N",
            "note": f"max |diff| mean {dm:.1e}, SE {ds:.1e}",
        },
        {
            "what": "publiceval item_estimates",
            "at": f"N={big.n:,}, U={a.opds:,}",
            "seconds": t_big,
            "ratio": extrap / t_big,
            "vs": "speed-up vs samplics extrapolated linearly to this N",
            "target": ">= 100",
            "note": "samplics too slow to run at this N (lower bound)",
        },
    ]
    # the target: the whole design-based evaluate, 9 items, 50 strata, 5,000 PSUs
    design = make_data(a.design_n, a.opds, a.items, seed=12, strata=50, psu_size=200)
    survey = make_survey(a.opds, a.items)
    table = to_table(survey, design, design=True)
    plain = to_table(survey, design)
    opts = {"uncertainty": False}
    t_design = best(lambda: pe.evaluate(survey, table, statistics=opts), a.repeat)
    t_plain = best(lambda: pe.evaluate(survey, plain, statistics=opts), a.repeat)
    rows.append(
        {
            "what": "design-based evaluate (weights, strata, PSUs)",
            "at": f"N={design.n:,} × k={a.items} × U={a.opds:,}, 50 strata, "
            f"{int(design.psu.max()) + 1:,} PSUs",
            "seconds": t_design,
            "ratio": t_design / t_plain,
            "vs": "same evaluate without a design",
            "target": "< 1 s",
        }
    )
    return rows


def bench_csv(a: argparse.Namespace) -> list[Row]:
    """CSV ingest to a validated table vs pyarrow's CSV reader alone."""
    import pyarrow.csv as pacsv  # type: ignore[import-untyped,import-not-found,unused-ignore]

    survey = make_survey(a.opds, a.items)
    data = make_data(a.csv_n, a.opds, a.items, seed=4)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "answers.csv"
        size = write_csv(survey, data, path)
        where = f"{data.n:,} rows, {size / 1e6:.0f} MB"
        t_arrow = best(lambda: pacsv.read_csv(path), a.repeat)
        rows.append({"what": "pyarrow.csv.read_csv alone", "at": where, "seconds": t_arrow})
        host = pe.plugin.get_host()
        for name in ("csv", "csv-arrow"):
            if name not in host.readers():
                continue
            reader = host.reader(name).create(None)
            # best of several like the baseline: the first read also imports pyarrow.compute
            t = best(partial(reader.read, path, survey, ColumnMap()), a.repeat)
            rows.append(
                {
                    "what": f"publiceval reader {name!r} → validated table",
                    "at": where,
                    "seconds": t,
                    "ratio": t / t_arrow,
                    "vs": "pyarrow alone",
                    "target": "<= 1.5",
                }
            )
    return rows


def bench_ranks(a: argparse.Namespace) -> list[Row]:
    """1,000-draw rank intervals vs one scoring pass."""
    survey = make_survey(a.opds, a.items)
    table = to_table(survey, make_data(a.ranks_n, a.opds, a.items, seed=5))
    t_plain = best(lambda: pe.evaluate(survey, table, statistics={"uncertainty": False}), a.repeat)
    t_ranks = best(
        lambda: pe.evaluate(survey, table, statistics={"uncertainty": True, "draws": 1000}),
        a.repeat,
    )
    where = f"N={a.ranks_n:,}, U={a.opds:,}"
    return [
        {
            "what": "evaluate without rank intervals (one scoring pass)",
            "at": where,
            "seconds": t_plain,
        },
        {
            "what": "rank intervals etc. (1,000 draws) on top",
            "at": where,
            "seconds": t_ranks - t_plain,
            "ratio": (t_ranks - t_plain) / t_plain,
            "vs": "one scoring pass",
            "target": "<= 2",
        },
    ]


def bench_scale(a: argparse.Namespace) -> list[Row]:
    """Time versus N: publiceval evaluate and pandas groupby mean."""
    rows: list[Row] = []
    survey = make_survey(a.opds, a.items)
    cols = [i.id for i in survey.opd_items]
    for n in a.scale:
        data = make_data(n, a.opds, a.items, seed=7)
        table = to_table(survey, data)
        frame = frame_of(data, survey)
        rep = a.repeat if n <= 1_000_000 else 1
        grouped = frame.groupby("opd")[cols]
        t_pd = best(grouped.mean, rep)
        t_pe = best(partial(pe.evaluate, survey, table, statistics={"uncertainty": False}), rep)
        t_ag = best(partial(table_aggregates, table, respondents=False), rep)
        rows.append(
            {
                "what": "scale",
                "at": f"N={n:,}",
                "seconds": t_pe,
                "ratio": t_pe / t_pd,
                "vs": "pandas mean",
                "note": f"pandas {t_pd:.3f} s, aggregates {t_ag:.3f} s",
            }
        )
        del table, frame, data
    return rows
