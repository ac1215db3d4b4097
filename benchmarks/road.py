"""Stages of the whole road around scoring: building tables from arrays, Parquet, chunked
files (peak memory), Dask on a local cluster, reports for 1,000 OPDs and start-up."""

from __future__ import annotations

import argparse
import json
import os
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

import numpy as np

import publiceval as pe
from publiceval._core.table import ResponseTable

from .common import Row, best, frame_of, peak_mb
from .generate import make_data, make_survey, to_table, write_csv, write_parquet

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
_ROOT = str(Path(__file__).resolve().parent.parent)


def _child(code: str) -> Any:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_chunked(a: argparse.Namespace) -> list[Row]:
    """Peak RSS of chunked evaluation of CSVs far larger than a chunk, at two file sizes (flat?)."""
    survey = make_survey(a.opds, a.items)
    base = _child(
        "import json, publiceval._core.chunked;"
        "print(json.dumps([int(l.split()[1]) / 1024 for l in open('/proc/self/status')"
        " if l.startswith('VmHWM')][0]))"
    )
    rows: list[Row] = [
        {"what": "python + import publiceval (baseline RSS)", "at": "", "note": f"{base:.0f} MB"}
    ]
    for n in (a.chunk_n // 5, a.chunk_n):
        data = make_data(n, a.opds, a.items, seed=6)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "big.csv"
            size = write_csv(survey, data, path)
            del data
            for reader in ("csv", "csv-arrow"):
                got = _child(
                    _CHILD.format(
                        root=_ROOT,
                        opds=a.opds,
                        items=a.items,
                        path=str(path),
                        chunk=a.chunk_rows,
                        reader=reader,
                    )
                )
                rows.append(
                    {
                        "what": f"chunked evaluate_file ({reader}): peak RSS",
                        "at": f"{n:,} rows, {size / 1e6:.0f} MB CSV, chunks of {a.chunk_rows:,}",
                        "seconds": got["seconds"],
                        "mb": got["rss_mb"],
                        "target": "< 300 MB, flat in N",
                    }
                )
    return rows


def bench_arrays(a: argparse.Namespace) -> list[Row]:
    """ResponseTable.from_arrays (validation of numeric columns) vs pandas building its frame."""
    import pandas as pd

    survey = make_survey(a.opds, a.items)
    data = make_data(a.n, a.opds, a.items, seed=8)
    answers = np.where(data.answers > 0, data.answers, np.nan)
    rep = a.repeat if a.n <= 2_000_000 else 1
    ids = np.array([o.id for o in survey.opds], dtype=object)

    def pandas_frame() -> Any:
        frame = pd.DataFrame(answers, columns=[i.id for i in survey.opd_items], copy=False)
        frame["opd"] = pd.Categorical.from_codes(data.opd, categories=ids)
        frame["respondent"] = np.arange(1, data.n + 1)
        return frame

    def ours(design: bool) -> ResponseTable:
        extra: dict[str, Any] = (
            {"weight": data.weight, "stratum": data.stratum, "psu": data.psu} if design else {}
        )
        return ResponseTable.from_arrays(survey, opd=data.opd, answers=answers, **extra)

    t_pd = best(pandas_frame, rep)
    grouped = frame_of(data, survey).groupby("opd")[[i.id for i in survey.opd_items]]
    t_mean = best(grouped.mean, rep)
    del grouped
    t_ours = best(lambda: ours(False), rep)
    t_design = best(lambda: ours(True), rep)
    where = f"N={a.n:,} × k={a.items} × U={a.opds:,}"
    return [
        {"what": "pandas DataFrame + categorical OPD", "at": where, "seconds": t_pd},
        {"what": "pandas groupby mean (for scale)", "at": where, "seconds": t_mean},
        {
            "what": "ResponseTable.from_arrays",
            "at": where,
            "seconds": t_ours,
            "ratio": t_ours / t_pd,
            "vs": "pandas frame",
            "mb": peak_mb(lambda: ours(False)),
            "note": f"{t_ours / t_mean:.1f}× a pandas groupby mean",
        },
        {
            "what": "ResponseTable.from_arrays, weights+strata+PSUs",
            "at": where,
            "seconds": t_design,
            "ratio": t_design / t_pd,
            "vs": "pandas frame",
        },
    ]


def bench_parquet(a: argparse.Namespace) -> list[Row]:
    """The parquet reader to a validated table vs pyarrow.parquet.read_table alone."""
    import pyarrow.parquet as pq  # type: ignore[import-untyped,import-not-found,unused-ignore]

    survey = make_survey(a.opds, a.items)
    data = make_data(a.csv_n, a.opds, a.items, seed=9)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "answers.parquet"
        size = write_parquet(survey, data, [path])
        where = f"{data.n:,} rows, {size / 1e6:.0f} MB"
        t_arrow = best(lambda: pq.read_table(path), a.repeat)
        reader = pe.plugin.get_host().reader("parquet").create(None)
        t = best(lambda: reader.read(path, survey, pe.ColumnMap()), a.repeat)
    return [
        {"what": "pyarrow.parquet.read_table alone", "at": where, "seconds": t_arrow},
        {
            "what": "publiceval reader 'parquet' → validated table",
            "at": where,
            "seconds": t,
            "ratio": t / t_arrow,
            "vs": "pyarrow alone",
            "target": "<= 1.5",
        },
    ]


def bench_reports(a: argparse.Namespace) -> list[Row]:
    """JSON, XLSX, HTML and PDF reports of an evaluation of U OPDs (each in a fresh process, timed
    out; PDF only where WeasyPrint imports)."""
    survey = make_survey(a.opds, a.items)
    table = to_table(survey, make_data(a.ranks_n, a.opds, a.items, seed=10))
    evaluation = pe.evaluate(survey, table)
    rows: list[Row] = []
    t_json = best(lambda: pe.render(evaluation, "json"), a.repeat)
    where = f"U={a.opds:,} OPDs × k={a.items}"
    size = len(pe.render(evaluation, "json"))
    rows.append(
        {"what": "JSON report", "at": where, "seconds": t_json, "note": f"{size / 1e6:.1f} MB"}
    )
    with tempfile.TemporaryDirectory() as tmp:
        saved = Path(tmp) / "evaluation.json"
        saved.write_bytes(pe.render(evaluation, "json"))
        for fmt in ("xlsx", "html", "pdf"):
            code = textwrap.dedent(
                f"""
                import json, time
                import publiceval as pe
                ev = pe.Evaluation.model_validate_json(open({str(saved)!r}, "rb").read())
                pe.render(ev, "json")  # imports shared by every reporter
                t = time.perf_counter()
                data = pe.render(ev, {fmt!r})
                print(json.dumps({{"seconds": time.perf_counter() - t, "bytes": len(data)}}))
                """
            )
            try:
                out = subprocess.run(
                    [sys.executable, "-c", code],
                    capture_output=True,
                    text=True,
                    check=True,
                    timeout=a.report_timeout,
                )
                got = json.loads(out.stdout.strip().splitlines()[-1])
                rows.append(
                    {
                        "what": f"{fmt.upper()} report (first render in a fresh process)",
                        "at": where,
                        "seconds": got["seconds"],
                        "ratio": got["seconds"] / t_json,
                        "vs": "JSON",
                        "target": {"html": "< 10 s", "pdf": "< 10 min"}.get(fmt, ""),
                        "note": f"{got['bytes'] / 1e6:.1f} MB",
                    }
                )
            except subprocess.TimeoutExpired:
                rows.append(
                    {
                        "what": f"{fmt.upper()} report",
                        "at": where,
                        "note": f"did not finish in {a.report_timeout} s",
                    }
                )
            except subprocess.CalledProcessError as exc:
                tail = (exc.stderr or "").strip().splitlines()[-1:]
                rows.append(
                    {"what": f"{fmt.upper()} report", "at": where, "note": f"failed: {tail}"}
                )
    return rows


def bench_dask(a: argparse.Namespace) -> list[Row]:
    """Dask on a local cluster (2 worker processes), Parquet files: publiceval's study engine vs
    dask.dataframe groupby mean/std/count on the same cluster; and what travels back."""
    import dask.dataframe as dd  # type: ignore[import-untyped,import-not-found,unused-ignore]
    from distributed import Client, LocalCluster  # type: ignore[import-untyped,import-not-found,unused-ignore]

    from publiceval._core.dask_backend import file_aggregates
    from publiceval._core.ingest import DataSpec

    survey = make_survey(a.opds, a.items)
    data = make_data(a.dask_n, a.opds, a.items, seed=11)
    items = [i.id for i in survey.opd_items]
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "parts"
        folder.mkdir()
        files = [folder / f"part-{k:02d}.parquet" for k in range(a.dask_files)]
        write_parquet(survey, data, files)
        del data
        study = _study_file(survey, Path(tmp), "parts")
        with (
            LocalCluster(
                n_workers=2, threads_per_worker=1, dashboard_address=None, silence_logs=40
            ) as cluster,
            Client(cluster) as client,
        ):
            address = cluster.scheduler_address
            study.write_text(
                study.read_text() + f'engine = "dask"\nscheduler = "{address}"\n', "utf-8"
            )
            loaded = pe.load_study(study)  # its [statistics] turn rank draws off; CIs stay

            def ours() -> Any:
                return loaded.evaluate(gates=False)

            def theirs() -> Any:
                frame = dd.read_parquet(str(folder), columns=["opd", *items])
                return frame.groupby("opd")[items].agg(["mean", "std", "count"]).compute()

            ours()
            theirs()  # warm the workers' imports for both
            t_ours = best(ours, a.repeat)
            t_theirs = best(theirs, a.repeat)
            spec = DataSpec(path=str(files[0]), columns=pe.ColumnMap())
            one = client.submit(
                file_aggregates, spec, survey, str(files[0]), "reject-row", 100_000, (), None
            ).result()
        hashes = sum(h.nbytes for h in one.respondents or ())
        total = len(pickle.dumps(one))
    where = f"{a.dask_n:,} rows in {a.dask_files} Parquet files, 2 workers"
    rows += [
        {"what": "dask.dataframe groupby mean+std+count", "at": where, "seconds": t_theirs},
        {
            "what": "publiceval study, engine = dask (evaluate, CIs)",
            "at": where,
            "seconds": t_ours,
            "ratio": t_ours / t_theirs,
            "vs": "dask groupby",
            "target": "<= 2",
        },
        {
            "what": "  what one file's task sends back",
            "at": f"{a.dask_n // a.dask_files:,} rows",
            "note": f"{total / 1e6:.2f} MB pickled, of which respondent-id hashes "
            f"{hashes / 1e6:.2f} MB (8 bytes a respondent)",
        },
    ]
    return rows


def _study_file(survey: pe.Survey, folder: Path, data: str) -> Path:
    """A study file for the synthetic survey whose [data] path is ``data``."""
    lines = ['[survey]\ntitle = "Synthetic SKM"\n', '[[scales]]\nid = "q4"\nmin = 1\nmax = 4\n']
    lines += [f'[[items]]\nid = "{i.id}"\ntext = "{i.id}"\nscale = "q4"\n' for i in survey.items]
    lines += [f'[[opds]]\nid = "{o.id}"\nname = "{o.name}"\n' for o in survey.opds]
    lines.append(
        f'[method]\nname = "mean"\n\n[statistics]\nuncertainty = false\n\n[data]\npath = "{data}"\n'
    )
    path = folder / "study.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def bench_startup(a: argparse.Namespace) -> list[Row]:
    """import publiceval and publiceval --help vs import numpy, pydantic (fresh processes)."""
    exe = shutil.which("publiceval") or "publiceval"
    cmds = {
        "python -c 'import numpy, pydantic'": [sys.executable, "-c", "import numpy, pydantic"],
        "python -c 'import publiceval'": [sys.executable, "-c", "import publiceval"],
        "publiceval --help": [exe, "--help"],
    }
    times: dict[str, list[float]] = {k: [] for k in cmds}
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    for _ in range(a.startup_runs):  # interleaved, so load changes hit all alike
        for name, cmd in cmds.items():
            t = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True, env=env)
            times[name].append(time.perf_counter() - t)
    base = statistics.median(times["python -c 'import numpy, pydantic'"])
    return [
        {
            "what": name,
            "at": f"median of {a.startup_runs}",
            "seconds": statistics.median(ts),
            "ratio": statistics.median(ts) / base,
            "vs": "import numpy, pydantic",
            "target": "" if "numpy" in name else "< 0.3 s",
        }
        for name, ts in times.items()
    ]
