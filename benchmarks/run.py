"""Benchmarks: publiceval against what a user would run instead, in the same process, on the
same data. Prints ratios; not part of the test suite."""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import subprocess
import sys
import tempfile
import textwrap
import time
import warnings
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

import publiceval as pe
import publiceval.plugin
from publiceval._core.aggregates import table_aggregates
from publiceval._core.estimation import Design, item_estimates
from publiceval._core.response import Response
from publiceval._core.table import ColumnMap, ResponseTable

from .generate import columns, make_data, make_survey, to_table, write_csv

Row = dict[str, Any]


def best(fn: Callable[[], object], repeat: int) -> float:
    """Best wall time of ``repeat`` runs (the machine is shared: the minimum is the signal)."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def _frame(data: Any, survey: pe.Survey) -> Any:
    import pandas as pd

    cols = {
        item.id: np.where(data.answers[:, j] > 0, data.answers[:, j], np.nan)
        for j, item in enumerate(survey.opd_items)
    }
    frame = pd.DataFrame(cols)
    frame["opd"] = data.opd
    return frame


# --------------------------------------------------------------------------- benchmarks
def bench_scoring(a: argparse.Namespace) -> list[Row]:
    """Scoring with CIs from a ResponseTable vs a hand-written pandas groupby."""
    survey = make_survey(a.opds, a.items)
    data = make_data(a.n, a.opds, a.items, seed=1)
    table = to_table(survey, data)
    frame = _frame(data, survey)
    items = [i.id for i in survey.opd_items]
    t_mean = best(lambda: frame.groupby("opd")[items].mean(), a.repeat)
    t_sd = best(lambda: frame.groupby("opd")[items].agg(["mean", "std", "count"]), a.repeat)
    t_eval = best(lambda: pe.evaluate(survey, table, statistics={"uncertainty": False}), a.repeat)
    t_agg = best(lambda: table_aggregates(table, respondents=False), a.repeat)
    where = f"N={a.n:,} × k={a.items} × U={a.opds:,}"
    return [
        {"what": "pandas groupby mean", "at": where, "seconds": t_mean},
        {"what": "pandas groupby mean+sd+count", "at": where, "seconds": t_sd},
        {
            "what": "publiceval evaluate (scores, SEs, CIs, items)",
            "at": where,
            "seconds": t_eval,
            "ratio": t_eval / t_mean,
            "vs": "pandas mean",
            "target": "<= 1.0 (aim 0.5)",
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
    est = ours(small)
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
    t_ranks = best(lambda: pe.evaluate(survey, table, statistics={"uncertainty": True, "draws": 1000}), a.repeat)
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


_CHILD = textwrap.dedent(
    """
    import resource, sys, time, json
    sys.path.insert(0, {root!r})
    from benchmarks.generate import make_survey
    from publiceval._core.chunked import evaluate_file
    survey = make_survey({opds}, {items})
    t = time.perf_counter()
    ev = evaluate_file(
        survey, {path!r}, reader={reader!r}, chunk_rows={chunk}, statistics={{"uncertainty": False}}
    )
    took = time.perf_counter() - t
    # ru_maxrss survives fork+exec on Linux (it would report the parent's peak): VmHWM is
    # this process image's own high-water mark
    hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")]
    rss = int(hwm[0].split()[1]) / 1024 if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({{"seconds": took, "rss_mb": rss, "rows": ev.data.rows_read}}))
    """
)


def bench_chunked(a: argparse.Namespace) -> list[Row]:
    """Peak RSS of chunked evaluation of a CSV far larger than the chunk (in a subprocess)."""
    import json

    survey = make_survey(a.opds, a.items)
    data = make_data(a.chunk_n, a.opds, a.items, seed=6)
    root = str(Path(__file__).resolve().parent.parent)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.csv"
        size = write_csv(survey, data, path)
        del data
        runs = {}
        for reader in ("csv", "csv-arrow"):
            code = _CHILD.format(
                root=root,
                opds=a.opds,
                items=a.items,
                path=str(path),
                chunk=a.chunk_rows,
                reader=reader,
            )
            out = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            )
            runs[reader] = json.loads(out.stdout.strip().splitlines()[-1])
        base = subprocess.run(
            [
                sys.executable,
                "-c",
                "import publiceval, publiceval._core.chunked;"
                "print([int(l.split()[1]) / 1024 for l in open('/proc/self/status')"
                " if l.startswith('VmHWM')][0])",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    rows = runs["csv"]["rows"]
    where = f"{rows:,} rows, {size / 1e6:.0f} MB CSV, chunks of {a.chunk_rows:,}"
    out_rows: list[Row] = [
        {
            "what": "python + import publiceval (baseline RSS)",
            "at": "",
            "seconds": float("nan"),
            "note": f"{float(base.stdout):.0f} MB",
        },
    ]
    for reader, got in runs.items():
        out_rows.append(
            {
                "what": f"chunked evaluate_file ({reader}): peak RSS",
                "at": where,
                "seconds": got["seconds"],
                "note": f"{got['rss_mb']:.0f} MB (target < 300 MB)",
            }
        )
    return out_rows


def bench_scale(a: argparse.Namespace) -> list[Row]:
    """Time versus N: publiceval evaluate and pandas groupby mean."""
    rows: list[Row] = []
    survey = make_survey(a.opds, a.items)
    cols = [i.id for i in survey.opd_items]
    for n in a.scale:
        data = make_data(n, a.opds, a.items, seed=7)
        table = to_table(survey, data)
        frame = _frame(data, survey)
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


BENCHES: dict[str, Callable[[argparse.Namespace], list[Row]]] = {
    "scoring": bench_scoring,
    "validation": bench_validation,
    "design": bench_design,
    "csv": bench_csv,
    "ranks": bench_ranks,
    "chunked": bench_chunked,
    "scale": bench_scale,
}


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    p.add_argument("--quick", action="store_true", help="small sizes: the whole run < 1 minute")
    p.add_argument("--only", default="", help=f"comma-separated subset of {', '.join(BENCHES)}")
    p.add_argument("--n", type=int, help="rows for scoring (default 10,000,000; quick 300,000)")
    p.add_argument("--opds", type=int, default=1000)
    p.add_argument("--items", type=int, default=9)
    p.add_argument("--validate-n", type=int, help="rows validated (default 20,000)")
    p.add_argument("--design-n", type=int, help="rows for design-based SEs (default 1,000,000)")
    p.add_argument("--samplics-n", type=int, help="rows samplics gets (default 5,000)")
    p.add_argument("--csv-n", type=int, help="CSV rows (default 1,000,000)")
    p.add_argument("--ranks-n", type=int, help="rows for the rank-interval run (default 1,000,000)")
    p.add_argument("--chunk-n", type=int, help="rows of the chunked CSV (default 5,000,000)")
    p.add_argument("--chunk-rows", type=int, default=20_000)
    p.add_argument(
        "--scale",
        type=lambda s: [int(float(x)) for x in s.split(",")],
        help="N values for the time-versus-N table (default 1e4,1e5,1e6,1e7)",
    )
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args(argv)
    quick = a.quick
    defaults = {
        "n": (300_000, 10_000_000),
        "validate_n": (3_000, 20_000),
        "design_n": (200_000, 1_000_000),
        "samplics_n": (500, 5_000),
        "csv_n": (100_000, 1_000_000),
        "ranks_n": (100_000, 1_000_000),
        "chunk_n": (400_000, 5_000_000),
        "scale": ([10_000, 100_000, 300_000], [10_000, 100_000, 1_000_000, 10_000_000]),
    }
    for name, (small, large) in defaults.items():
        if getattr(a, name) is None:
            setattr(a, name, small if quick else large)
    if quick:
        a.repeat = min(a.repeat, 2)
        a.opds = min(a.opds, 200) if a.opds == 1000 else a.opds
    return a


def _fmt(row: Row) -> str:
    sec = row.get("seconds", float("nan"))
    ratio = row.get("ratio")
    parts = [
        f"{row['what']:<52}",
        f"{row.get('at', ''):<36}",
        f"{sec:>9.3f} s" if np.isfinite(sec) else f"{'':>11}",
        f"{ratio:>9.2f}× {row.get('vs', '')}" if ratio is not None else "",
    ]
    tail = "; ".join(
        x for x in (row.get("target") and f"target {row['target']}", row.get("note")) if x
    )
    return "  ".join(parts) + (f"   [{tail}]" if tail else "")


def main(argv: list[str] | None = None) -> None:
    a = parse(argv)
    chosen = [x for x in a.only.split(",") if x] or [
        b for b in BENCHES if b != "scale" or not a.quick
    ]
    unknown = [x for x in chosen if x not in BENCHES]
    if unknown:
        raise SystemExit(f"unknown benchmark(s) {', '.join(unknown)}; known: {', '.join(BENCHES)}")
    print(
        f"publiceval {pe.library_version()} · Python {platform.python_version()} · "
        f"numpy {np.__version__} · {platform.machine()} · {os.cpu_count()} cores · "
        f"{platform.platform()}"
    )
    print(
        f"sizes: {'quick' if a.quick else 'full'}; best of {a.repeat}; U={a.opds:,} OPDs, "
        f"k={a.items} items"
    )
    for name in chosen:
        print(f"\n== {name}: {BENCHES[name].__doc__}")
        for row in BENCHES[name](a):
            print(_fmt(row), flush=True)
