"""The engines a study can name give one evaluation: memory, chunked, a folder or glob of
Parquet files, and Dask (synchronous and a local cluster of worker processes)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import publiceval as pe
from publiceval._core.errors import DataError, StudyError

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

#: the nine SKM elements (so ``ikm-2017`` can score the items)
ELEMENTS = (
    "Persyaratan",
    "Sistem, Mekanisme, dan Prosedur",
    "Waktu Penyelesaian",
    "Biaya/Tarif",
    "Produk Spesifikasi Jenis Pelayanan",
    "Kompetensi Pelaksana",
    "Perilaku Pelaksana",
    "Penanganan Pengaduan, Saran dan Masukan",
    "Sarana dan Prasarana",
)
ITEMS = tuple(f"u{j + 1}" for j in range(len(ELEMENTS)))
OPDS = 5


def _study(folder: Path, path: str, method: str = "mean", extra: str = "") -> Path:
    opds = "\n".join(f'[[opds]]\nid = "opd{o}"\nname = "Dinas {o}"\n' for o in range(OPDS))
    items = "\n".join(
        f'[[items]]\nid = "{q}"\ntext = "{q}"\nscale = "s"\nelement = "{e}"\n'
        for q, e in zip(ITEMS, ELEMENTS, strict=True)
    )
    text = textwrap.dedent(
        """
        [survey]
        title = "Uji skala"

        [[scales]]
        id = "s"
        min = 1
        max = 4
        """
    )
    text += f"\n{items}\n{opds}\n[data]\npath = {path!r}\n{extra}\n[method]\nname = {method!r}\n"
    study = folder / f"study-{abs(hash((path, method, extra)))}.toml"
    study.write_text(text, encoding="utf-8")
    return study


def _columns(n: int, seed: int) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    cols: dict[str, Any] = {
        "respondent": np.array([f"r{r:05d}" for r in range(n)], dtype=object),
        "opd": np.array([f"opd{o}" for o in rng.integers(0, OPDS, n)], dtype=object),
        "weight": rng.uniform(0.5, 2.0, n),
    }
    for q in ITEMS:
        x = rng.integers(1, 5, n).astype(float)
        x[rng.random(n) < 0.1] = np.nan
        cols[q] = x
    return cols


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One CSV of all rows and the same rows as four Parquet files in ``parts/``."""
    folder = tmp_path_factory.mktemp("scale")
    cols = _columns(600, 7)
    n = len(cols["respondent"])
    with (folder / "all.csv").open("w", encoding="utf-8") as fh:
        fh.write(",".join(cols) + "\n")
        for r in range(n):
            cells = []
            for col in cols.values():
                v = col[r]
                cells.append("" if isinstance(v, float) and v != v else str(v))
            fh.write(",".join(c.removesuffix(".0") for c in cells) + "\n")
    (folder / "parts").mkdir()
    for k, lo in enumerate(range(0, n, 150)):
        part = {name: col[lo : lo + 150] for name, col in cols.items()}
        pq.write_table(pa.table(part), folder / "parts" / f"part-{k:02d}.parquet")
    (folder / "parts" / "_SUCCESS").write_text("")
    return folder


def _same(a: Any, b: Any, path: str = "") -> None:
    if isinstance(a, dict):
        assert set(a) == set(b), path
        for k in a:
            if k in {"rejects", "data_source", "source", "created", "generated_at"}:
                continue
            _same(a[k], b[k], f"{path}/{k}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-12, abs=1e-12), path
    else:
        assert a == b, path


def _run(study: Path, **kw: Any) -> Any:
    return json.loads(pe.load_study(study).evaluate(**kw).to_json())


@pytest.mark.parametrize("method", ["mean", "ikm-2017"])
def test_every_engine_gives_the_in_memory_evaluation(data: Path, method: str):
    extra = 'columns = { weight = "weight" }\n'
    whole = _run(_study(data, "all.csv", method, extra), engine="memory")
    _same(whole, _run(_study(data, "all.csv", method, extra), chunk_rows=37))
    _same(whole, _run(_study(data, "parts", method, extra)))  # a folder: chunked by default
    _same(whole, _run(_study(data, "parts/*.parquet", method, extra + 'engine = "chunked"\n')))
    dask = extra + 'engine = "dask"\nscheduler = "synchronous"\n'
    _same(whole, _run(_study(data, "parts/*.parquet", method, dask)))


def test_dask_on_a_local_cluster_of_processes(data: Path):
    pytest.importorskip("distributed")
    extra = 'columns = { weight = "weight" }\nengine = "dask"\nscheduler = "local"\n'
    whole = _run(_study(data, "all.csv", "mean", 'columns = { weight = "weight" }\n'))
    _same(whole, _run(_study(data, "parts", "mean", extra)))


class _WholeAnswersPlugin:
    """A method that needs every answer (like a median): it cannot score from aggregates."""

    @staticmethod
    @pe.hookimpl
    def register_methods(register: Any) -> None:
        from publiceval.plugin import PluginHost

        mean = PluginHost(entrypoints=False).method("mean")
        register(type("Median", (mean,), {"name": "median", "supports_aggregates": False}))


def test_engine_errors_come_before_any_read(data: Path):
    from publiceval.plugin import PluginHost

    host = PluginHost(entrypoints=False)
    host.register(_WholeAnswersPlugin(), name="whole-answers")
    study = _study(data, "parts", "median")
    with pytest.raises(StudyError, match="'median' cannot be evaluated in chunks"):
        pe.load_study(study, host).evaluate(host, engine="dask")
    with pytest.raises(StudyError, match="names 4 files; the memory engine reads one"):
        pe.load_study(study, host).evaluate(host, engine="memory")
    with pytest.raises(StudyError, match="outside the study's folder"):
        pe.load_study(_study(data, "../*.csv"))
    with pytest.raises(DataError, match="names several files"):  # validate reads one file
        pe.load_study(_study(data, "parts/*.parquet")).load_responses()
