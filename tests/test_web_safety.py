"""``publiceval serve`` refuses what it should, each time with a page that says why.

Oversized and malformed uploads, an unknown study, a form without a valid CSRF token, a gate
that stops the evaluation (shown with its fix), path traversal in URLs and file names, a
foreign Host header; and nothing is left behind by an upload that could not be read.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("python_multipart")

from starlette.testclient import TestClient

from publiceval._core.web.app import WebConfig, create_app
from publiceval._core.web.workspace import safe_filename

EXPORT = Path(__file__).resolve().parents[1] / "examples" / "gforms-export" / "export.csv"


def client(root: Path, **kwargs) -> TestClient:
    return TestClient(create_app(WebConfig(root=root, allowed_hosts=("testserver",), **kwargs)))


def token(c: TestClient) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', c.get("/").text).group(1)


def post_file(c: TestClient, name: str, data: bytes, csrf: str | None = None, **kw):
    fields = {"csrf": token(c) if csrf is None else csrf, "format": kw.pop("format", "auto")}
    return c.post("/upload", data=fields, files={"file": (name, io.BytesIO(data), "text/csv")})


@pytest.fixture
def root(tmp_path) -> Path:
    return tmp_path / "studies"


def test_oversized_upload_is_refused_with_the_limit(root):
    c = client(root, max_upload=1000)
    r = post_file(c, "export.csv", EXPORT.read_bytes())
    assert r.status_code == 413
    assert "Berkas terlalu besar" in r.text and "0 MB" in r.text
    assert not root.exists() or list(root.iterdir()) == []


def test_oversized_upload_without_a_declared_length_is_refused_while_read(root):
    c = client(root, max_upload=1000)
    csrf = token(c)
    boundary = "b0undary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{csrf}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + EXPORT.read_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )

    def chunks():
        for k in range(0, len(body), 4096):
            yield body[k : k + 4096]

    r = c.post(
        "/upload",
        content=chunks(),
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert r.status_code == 413 and "Berkas terlalu besar" in r.text


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("export.csv", b"just,a,header\n", "found a header row but no data rows"),
        ("export.csv", b"\x00\x01\x02\xff\xfe" * 50, "export.csv"),
        ("export.xlsx", b"PK\x03\x04 not really a workbook", "export.xlsx"),
        ("notes.pdf", b"%PDF-1.4", "notes-pdf.csv: found a header row"),
    ],
)
def test_malformed_upload_shows_the_readers_message_and_leaves_nothing(root, name, data, expected):
    c = client(root)
    r = post_file(c, name, data)
    assert r.status_code == 400, r.text
    assert "Tidak bisa dilanjutkan" in r.text and expected in r.text
    assert "tidak bisa dibaca sebagai ekspor survei" in r.text
    assert 'href="/?lang=en"' in r.text  # the language switch of a POST's page is a GET
    assert list(root.iterdir()) == []  # the upload's folder was removed


def test_upload_without_a_file_or_not_multipart(root):
    c = client(root)
    r = c.post("/upload", data={"csrf": token(c)})
    assert r.status_code == 400 and "Pilih berkas ekspor" in r.text
    r = c.post("/upload", content=b"garbage", headers={"content-type": "multipart/form-data"})
    assert r.status_code == 400


def test_csrf_is_required_on_every_post(root):
    c = client(root)
    key = re.search(r"/s/([^/]+)/review", post_file(c, "export.csv", EXPORT.read_bytes()).url.path)
    key = key.group(1)
    for path in ("/upload", f"/s/{key}/review", f"/s/{key}/evaluate"):
        for bad in ("", "0" * 64):
            r = c.post(path, data={"csrf": bad}, files={"file": ("e.csv", b"a,b\n1,2\n")})
            assert r.status_code == 403 and "kedaluwarsa" in r.text, path
    # a token from another browser (another session cookie) is refused too
    other = client(root)
    foreign = token(other)
    r = c.post(f"/s/{key}/evaluate", data={"csrf": foreign})
    assert r.status_code == 403
    # and a client with no session cookie at all
    fresh = client(root)
    fresh.cookies.clear()
    assert fresh.post(f"/s/{key}/evaluate", data={"csrf": token(c)}).status_code == 403


def test_unknown_study_and_unknown_pages(root):
    c = client(root)
    for path in ("/s/nope/review", "/s/nope/validate", "/s/nope/report", "/s/nope/download/x"):
        r = c.get(path)
        assert r.status_code == 404 and "nope" in r.text, path
    r = c.get("/no/such/page")
    assert r.status_code == 404 and "Halaman tidak ditemukan" in r.text
    assert c.delete("/upload").status_code == 405


def test_path_traversal_reaches_no_file_outside(root, tmp_path):
    c = client(root)
    (tmp_path / "study.toml").write_text("secret = 1\n", encoding="utf-8")
    r = post_file(c, "../../../evil.csv", EXPORT.read_bytes())
    assert r.status_code == 200
    key = r.url.path.split("/")[2]
    assert not (tmp_path / "evil.csv").exists() and (root / key / "evil.csv").is_file()
    for path in (
        "/s/../review",
        "/s/%2e%2e/review",
        "/s/..%2f..%2f/review",
        "/s/%2Fetc/review",
        f"/s/{key}/download/..%2fstudy.toml",
        f"/s/{key}/download/..%2f..%2fstudy.toml",
        f"/s/{key}/preview/..%2f..",
        "/static/..%2f..%2fapp.py",
    ):
        r = c.get(path)
        assert r.status_code in (400, 404), path
        assert "secret" not in r.text and "import" not in r.text, path
    # a symlink out of the folder is not a study
    (root / "outside").symlink_to(tmp_path)
    assert c.get("/s/outside/review").status_code == 404


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../x.csv", "x.csv"),
        ("C:\\Users\\me\\data.xlsx", "data.xlsx"),
        (".hidden.csv", "hidden.csv"),
        ("Ekspor Survei (1).csv", "Ekspor-Survei-1.csv"),
        ("", "export.csv"),
        ("..", "export.csv"),
        ("evil.sh", "evil-sh.csv"),
    ],
)
def test_safe_filename(given, kept):
    assert safe_filename(given) == kept


def test_gate_failure_is_shown_with_its_fix(root):
    c = client(root)
    r = post_file(c, "export.csv", EXPORT.read_bytes())
    key = r.url.path.split("/")[2]
    study = root / key / "study.toml"
    text = study.read_text("utf-8").replace('max_rejects = "10%"', 'max_rejects = "0"')
    study.write_text(text, encoding="utf-8")
    r = c.get(f"/s/{key}/validate?lang=en")
    assert "The evaluation stops" in r.text and "limit of 0" in r.text
    assert "add the data&#39;s wording of an OPD name as an alias" in r.text
    assert f'action="/s/{key}/evaluate"' not in r.text
    r = c.post(f"/s/{key}/evaluate", data={"csrf": token(c)})
    assert r.status_code == 409 and "limit of 0" in r.text and "How to fix" in r.text
    assert not (root / key / ".publiceval-web" / "evaluation.json").exists()


def test_a_foreign_host_header_is_refused(root):
    c = TestClient(create_app(WebConfig(root=root)), base_url="http://evil.example")
    assert c.get("/").status_code == 400
    ok = TestClient(create_app(WebConfig(root=root)), base_url="http://127.0.0.1:8000")
    assert ok.get("/").status_code == 200


def test_pages_forbid_framing_and_scripts(root):
    c = client(root)
    csp = c.get("/").headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src" not in csp
    assert "default-src 'none'" in csp
    cookie = c.get("/").headers.get("set-cookie", "") or str(c.cookies)
    assert "publiceval_session" in cookie


def test_an_unexpected_error_shows_a_plain_page_and_leaves_nothing(root, monkeypatch):
    from publiceval._core.web import steps

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(steps, "infer_export", broken)
    app = create_app(WebConfig(root=root, allowed_hosts=("testserver",)))
    c = TestClient(app, raise_server_exceptions=False)
    r = post_file(c, "export.csv", EXPORT.read_bytes())
    assert r.status_code == 500 and "kesalahan internal" in r.text and "boom" not in r.text
    assert list(root.iterdir()) == []
