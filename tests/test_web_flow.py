"""``publiceval serve``: every step of the flow through Starlette's test client.

Upload the example Google Forms export, correct what was inferred, validate, evaluate, preview
and download; an existing study folder opened as it is; two evaluations at once; the language
switch; and the command itself (free port, address printed, warning off loopback).
"""

from __future__ import annotations

import io
import json
import re
import threading
import zipfile
from pathlib import Path

import pytest

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

pytest.importorskip("starlette")
pytest.importorskip("python_multipart")
pytest.importorskip("jinja2")

from click.testing import CliRunner
from starlette.testclient import TestClient

from publiceval._core.cli import cli
from publiceval._core.web import server
from publiceval._core.web.app import WebConfig, create_app

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
EXPORT = EXAMPLES / "gforms-export" / "export.csv"


def client(root: Path, **kwargs) -> TestClient:
    config = WebConfig(root=root, allowed_hosts=("testserver",), **kwargs)
    return TestClient(create_app(config))


def token(c: TestClient) -> str:
    page = c.get("/")
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def upload(c: TestClient, path: Path = EXPORT, name: str | None = None, **fields) -> str:
    """Upload ``path``; the new study's key."""
    with path.open("rb") as f:
        r = c.post(
            "/upload",
            data={"csrf": token(c), "format": "auto", **fields},
            files={"file": (name or path.name, f, "text/csv")},
            follow_redirects=False,
        )
    assert r.status_code == 303, r.text
    return r.headers["location"].split("/")[2]


@pytest.fixture
def web(tmp_path) -> TestClient:
    return client(tmp_path / "studies")


def test_start_page_offers_upload_and_speaks_indonesian_first(web):
    r = web.get("/")
    assert r.status_code == 200
    assert '<html lang="id">' in r.text and "Mulai evaluasi baru" in r.text
    assert 'enctype="multipart/form-data"' in r.text and 'name="csrf"' in r.text
    assert "Belum ada studi" in r.text
    # no external asset: the only stylesheet is the app's own, and the browser is told so
    assert re.findall(r'(?:href|src)="(https?:)?//', r.text) == []
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert web.get("/static/style.css").status_code == 200


def test_language_switch_is_kept_in_a_cookie(web):
    r = web.get("/?lang=en")
    assert '<html lang="en">' in r.text and "Start a new evaluation" in r.text
    assert 'href="/?lang=id"' in r.text  # one click back to Indonesian
    assert "Start a new evaluation" in web.get("/").text  # remembered
    assert "Mulai evaluasi baru" in web.get("/?lang=id").text


def test_upload_writes_the_study_in_its_own_folder_and_shows_what_was_inferred(web, tmp_path):
    key = upload(web)
    folder = tmp_path / "studies" / key
    assert (folder / "study.toml").is_file() and (folder / "export.csv").is_file()
    assert [p.name for p in (tmp_path / "studies").iterdir()] == [key]
    r = web.get(f"/s/{key}/review?lang=en")
    assert r.status_code == 200
    text = r.text
    # the OPDs with the form's long wording as an alias, the elements with how sure, the rest
    assert "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu (DPMPTSP) Kota Sukamaju" in text
    assert 'value="dpmptsp"' in text and 'value="DPMPTSP"' in text
    assert "9. Bagaimana pendapat Saudara tentang penanganan pengaduan" in text
    assert "overruled by its meaning" in text and 'class="badge high"' in text
    assert "Accept: &#39;Sangat mudaah&#39; means point 4" in text
    assert "Kritik dan Saran" in text and "Stempel waktu" in text and "Jenis Kelamin" in text
    assert "1 duplicate submission(s) found" in text and "row 60" in text
    assert 'value="Kota Sukamaju"' in text and 'value="2026"' in text


def test_corrections_rewrite_the_study_file(web, tmp_path):
    key = upload(web)
    review = web.get(f"/s/{key}/review").text
    form = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', review))
    form.update(
        {
            "title": "SKM Sukamaju 2025",
            "city": "Kota Sukamaju Baru",
            "year": "2025",
            "opd-5-name": "RSUD Sukamaju",
            "opd-5-short": "RSUD",
            "opd-5-id": "rsud-sukamaju",
            "item-7-element": "8",  # u8 (complaints) said to be facilities: now two u9
            "typo-0-0": "1",
            "typo-0-1": "1",
        }
    )
    r = web.post(f"/s/{key}/review?lang=en", data=form)
    assert r.status_code == 200 and "Saved: study.toml was written again." in r.text
    study = tomllib.loads((tmp_path / "studies" / key / "study.toml").read_text("utf-8"))
    assert study["survey"]["title"] == "SKM Sukamaju 2025"
    assert study["survey"]["city"] == "Kota Sukamaju Baru"
    assert str(study["survey"]["period_start"]) == "2025-01-01"
    rsud = study["opds"][5]
    assert (rsud["id"], rsud["name"]) == ("rsud-sukamaju", "RSUD Sukamaju")
    assert "Rumah Sakit Umum Daerah" in rsud["aliases"]  # the data's wording still reads
    ids = [i["id"] for i in study["items"]]
    assert "u8" not in ids and "u9-2" in ids
    assert study["method"]["name"] == "mean"  # eight elements: no official IKM
    assert study["scales"][0]["aliases"]["Sangat mudaah"] == 4
    # the page now shows the correction and the new check
    assert "chosen in the web app" in r.text and "SKM elements with no question" in r.text


def test_a_bad_correction_is_refused_and_the_study_kept(web, tmp_path):
    key = upload(web)
    before = (tmp_path / "studies" / key / "study.toml").read_text("utf-8")
    for bad in ({"opd-0-id": "Bad Id!"}, {"opd-1-id": "dpmptsp"}, {"year": "20x6"}):
        r = web.post(f"/s/{key}/review", data={"csrf": token(web), **bad})
        assert r.status_code == 400 and "Perbaikan tidak disimpan" in r.text
    assert (tmp_path / "studies" / key / "study.toml").read_text("utf-8") == before


def test_validate_shows_rows_reasons_row_numbers_and_fixes(web):
    key = upload(web)
    r = web.get(f"/s/{key}/validate?lang=en")
    assert r.status_code == 200
    text = r.text
    assert "<strong>150</strong> read" in text and "<strong>149</strong> used" in text
    assert "<strong>1</strong> rejected" in text
    assert "duplicate_submission" in text and "row 60" in text.lower()
    assert "A form sent twice: the first copy is used" in text  # the fix for this kind
    assert "unknown_label" in text and "accept the typo in the Review step" in text
    assert "Passed: enough usable rows" in text and "/evaluate" in text


def test_evaluate_preview_and_every_download(web):
    key = upload(web)
    assert "Belum dievaluasi" in web.get(f"/s/{key}/report").text
    r = web.post(f"/s/{key}/evaluate", data={"csrf": token(web)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/s/{key}/report"
    page = web.get(f"/s/{key}/report").text
    assert f'src="/s/{key}/preview/id"' in page and "sandbox" in page
    preview = web.get(f"/s/{key}/preview/en")
    assert preview.status_code == 200 and preview.text.lstrip().lower().startswith("<!doctype")
    assert "script-src" not in preview.headers["content-security-policy"]
    for name, kind in (
        ("report.id.html", "text/html"),
        ("report.en.html", "text/html"),
        ("report.en.xlsx", "spreadsheetml"),
        ("report.id.json", "application/json"),
        ("study.toml", "toml"),
        ("study.zip", "zip"),
    ):
        r = web.get(f"/s/{key}/download/{name}")
        assert r.status_code == 200 and kind in r.headers["content-type"], name
        assert r.headers["content-disposition"].startswith("attachment")
    data = json.loads(web.get(f"/s/{key}/download/report.en.json").content)
    assert len(data["opds"]) == 6
    names = zipfile.ZipFile(io.BytesIO(web.get(f"/s/{key}/download/study.zip").content)).namelist()
    assert names == [f"{key}/study.toml", f"{key}/export.csv"]
    # the study file reproduces the result with the CLI
    toml = web.get(f"/s/{key}/download/study.toml").text
    assert "[[opds]]" in toml and 'path = "export.csv"' in toml


def test_a_change_to_the_study_asks_for_a_new_evaluation(web):
    key = upload(web)
    web.post(f"/s/{key}/evaluate", data={"csrf": token(web)})
    assert "/download/" in web.get(f"/s/{key}/report").text
    form = {"csrf": token(web), "title": "Judul baru"}
    assert web.post(f"/s/{key}/review", data=form).status_code == 200
    assert "Belum dievaluasi" in web.get(f"/s/{key}/report").text
    assert web.get(f"/s/{key}/download/report.id.json").status_code == 404


def test_an_existing_study_folder_opens_as_it_is(tmp_path):
    import shutil

    root = tmp_path / "root"
    shutil.copytree(EXAMPLES / "serang", root / "serang")
    c = client(root)
    assert 'href="/s/serang/review"' in c.get("/").text
    r = c.get("/s/serang/review?lang=en")
    assert r.status_code == 200 and "was not made from an upload" in r.text
    assert (
        "Passed" in c.get("/s/serang/validate").text or "Lolos" in c.get("/s/serang/validate").text
    )
    r = c.post("/s/serang/evaluate", data={"csrf": token(c)}, follow_redirects=False)
    assert r.status_code == 303
    assert c.get("/s/serang/download/report.id.json").status_code == 200


def test_two_evaluations_at_once_do_not_interfere(tmp_path):
    root = tmp_path / "studies"
    first, second = client(root), client(root)
    keys = [upload(first), upload(second, name="other.csv")]
    assert len(set(keys)) == 2
    results: dict[str, object] = {}

    def run(c: TestClient, key: str) -> None:
        r = c.post(f"/s/{key}/evaluate", data={"csrf": token(c)}, follow_redirects=False)
        results[key] = (r.status_code, c.get(f"/s/{key}/download/report.id.json").status_code)

    threads = [
        threading.Thread(target=run, args=pair) for pair in zip((first, second), keys, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert results == dict.fromkeys(keys, (303, 200))
    for key in keys:
        assert (root / key / ".publiceval-web" / "evaluation.json").is_file()


def test_serve_command_binds_loopback_on_a_free_port(monkeypatch, tmp_path):
    seen = {}

    def fake_run(app, host, port, log_level):
        seen.update(host=host, port=port, app=app)

    import uvicorn

    monkeypatch.setattr(uvicorn, "run", fake_run)
    result = CliRunner().invoke(cli, ["serve", str(tmp_path / "s"), "--no-browser"])
    assert result.exit_code == 0, result.output
    assert seen["host"] == "127.0.0.1" and seen["port"] > 0
    assert f"http://127.0.0.1:{seen['port']}/" in result.output
    assert "warning" not in result.output
    result = CliRunner().invoke(
        cli, ["serve", str(tmp_path / "s"), "--no-browser", "--host", "0.0.0.0", "--port", "8765"]
    )
    assert result.exit_code == 0 and "warning: listening on 0.0.0.0" in result.output
    assert seen["port"] == 8765
    assert server.is_loopback("::1") and not server.is_loopback("192.0.2.1")


def test_pdf_when_the_extra_is_there_and_a_clear_message_when_not(web, monkeypatch):
    import sys

    key = upload(web)
    web.post(f"/s/{key}/evaluate", data={"csrf": token(web)})
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        pass
    else:
        r = web.get(f"/s/{key}/download/report.id.pdf")
        assert r.status_code == 200 and r.content.startswith(b"%PDF")
        assert "/download/report.id.pdf" in web.get(f"/s/{key}/report").text
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    page = web.get(f"/s/{key}/report?lang=en").text
    assert "PDF is not available: install &#39;publiceval[pdf]&#39;" in page
    assert "/download/report.id.pdf" not in page
    r = web.get(f"/s/{key}/download/report.en.pdf")
    assert r.status_code == 503 and "pip install &#39;publiceval[pdf]&#39;" in r.text


def test_excel_and_kobo_exports_upload_too(web, tmp_path):
    import csv

    key = upload(web, EXPORT.with_suffix(".xlsx"))
    assert "Google Formulir" in web.get(f"/s/{key}/review").text
    rows = list(csv.reader(EXPORT.open(encoding="utf-8")))
    head = ["_submission_time" if h == "Stempel waktu" else h for h in rows[0]]
    head = [f"skm/{h}" if h[0].isdigit() else h for h in head] + ["_uuid"]
    kobo = tmp_path / "kobo.csv"
    with kobo.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([head, *([*r, f"uuid-{k}"] for k, r in enumerate(rows[1:]))])
    key = upload(web, kobo)
    text = web.get(f"/s/{key}/review?lang=en").text
    assert "a KoboToolbox export" in text and text.count('name="item-') == 9
    assert "Passed" in web.get(f"/s/{key}/validate").text


def test_a_folder_that_is_itself_a_study(tmp_path):
    import shutil

    shutil.copytree(EXAMPLES / "serang", tmp_path / "serang")
    c = client(tmp_path / "serang")
    assert 'href="/s/-/review"' in c.get("/").text
    assert c.get("/s/-/validate").status_code == 200


def test_serve_without_the_web_extra_says_how_to_install_it(monkeypatch, tmp_path):
    import sys

    monkeypatch.setitem(sys.modules, "uvicorn", None)
    result = CliRunner().invoke(cli, ["serve", str(tmp_path), "--no-browser"])
    assert result.exit_code == 5
    assert "pip install 'publiceval[web]'" in result.output


def test_two_opds_that_are_one_are_merged(web, tmp_path):
    key = upload(web)
    form = {"csrf": token(web), "opd-4-merge": "3"}  # dinkes is "actually" the kecamatan
    assert "Tersimpan" in web.post(f"/s/{key}/review", data=form).text
    study = tomllib.loads((tmp_path / "studies" / key / "study.toml").read_text("utf-8"))
    assert [o["id"] for o in study["opds"]] == [
        "dpmptsp",
        "disdukcapil",
        "satpol-pp",
        "kec-sukamaju-utara",
        "rsud",
    ]
    assert "Dinas Kesehatan" in study["opds"][3]["aliases"]
    rows = web.get(f"/s/{key}/validate?lang=en").text
    assert "<strong>149</strong> used" in rows
    bad = {"csrf": token(web), "opd-1-merge": "1"}
    assert web.post(f"/s/{key}/review", data=bad).status_code == 400
