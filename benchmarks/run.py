"""Benchmarks of the whole road (file → validated table → evaluation → reports, chunked and on
Dask) against what a user would run instead, in the same process, on the same data. Prints each
stage's time, its ratio to the baseline and peak memory; not part of the test suite (speed
lives here, correctness in tests/). Stages: startup, csv, parquet, arrays, validation, scoring,
ranks, design, reports, chunked, dask, scale."""

import argparse
import os
import platform
from collections.abc import Callable
from pathlib import Path

import numpy as np

import publiceval as pe

from . import core, road, threads
from .common import Row

#: The stages, in the order of the road: a file is read, validated, scored, reported.
BENCHES: dict[str, Callable[[argparse.Namespace], list[Row]]] = {
    "startup": road.bench_startup,
    "csv": core.bench_csv,
    "parquet": road.bench_parquet,
    "arrays": road.bench_arrays,
    "validation": core.bench_validation,
    "scoring": core.bench_scoring,
    "ranks": core.bench_ranks,
    "design": core.bench_design,
    "blas": threads.bench_blas,
    "reports": road.bench_reports,
    "chunked": road.bench_chunked,
    "dask": road.bench_dask,
    "scale": core.bench_scale,
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
    p.add_argument("--blas-n", type=int, help="rows of the threaded data pass (default 10,000,000)")
    p.add_argument("--chunk-n", type=int, help="rows of the chunked CSV (default 5,000,000)")
    p.add_argument("--chunk-rows", type=int, default=20_000)
    p.add_argument("--dask-n", type=int, help="rows for the Dask run (default 5,000,000)")
    p.add_argument("--dask-files", type=int, default=20, help="Parquet files for the Dask run")
    p.add_argument("--report-timeout", type=int, default=600, help="seconds per report format")
    p.add_argument("--startup-runs", type=int, default=11, help="fresh processes per command")
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
        "blas_n": (1_000_000, 10_000_000),
        "chunk_n": (400_000, 5_000_000),
        "dask_n": (200_000, 5_000_000),
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
    sec = row.get("seconds")
    sec = float("nan") if sec is None else sec
    ratio = row.get("ratio")
    parts = [
        f"{row['what']:<52}",
        f"{row.get('at', ''):<36}",
        f"{sec:>9.3f} s" if np.isfinite(sec) else f"{'':>11}",
        f"{ratio:>9.2f}× {row.get('vs', '')}" if ratio is not None else "",
        f"peak {row['mb']:,.0f} MB" if row.get("mb") is not None else "",
    ]
    tail = "; ".join(
        x for x in (row.get("target") and f"target {row['target']}", row.get("note")) if x
    )
    return "  ".join(parts) + (f"   [{tail}]" if tail else "")


def main(argv: list[str] | None = None) -> None:
    # publiceval's own costs: no third-party plugin (an installed one may import what it
    # likes, e.g. scipy.stats at load); child processes inherit this
    os.environ.setdefault("PUBLICEVAL_LOAD_PLUGINS", "")
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
        f"k={a.items} items; CPU {_cpu()}; {_ram()}"
    )
    for name in chosen:
        print(f"\n== {name}: {BENCHES[name].__doc__}")
        for row in BENCHES[name](a):
            print(_fmt(row), flush=True)


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram() -> str:
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        return f"{kb / 1024**2:.0f} GB RAM; load {os.getloadavg()[0]:.1f}"
    except (OSError, ValueError, IndexError):
        return "RAM unknown"
