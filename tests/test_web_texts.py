"""``publiceval serve`` speaks both languages everywhere: every text a template asks for exists,
in Indonesian and in English, and every page renders in both."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("python_multipart")

from starlette.testclient import TestClient

from publiceval._core.rejects import RejectReason
from publiceval._core.web.app import WebConfig, create_app
from publiceval._core.web.texts import FIXES, REASONS, TEXTS

TEMPLATES = Path(__file__).resolve().parents[1] / "src/publiceval/_core/web/templates"
CODE = Path(__file__).resolve().parents[1] / "src/publiceval/_core/web"
EXPORT = Path(__file__).resolve().parents[1] / "examples" / "gforms-export" / "export.csv"


def test_every_text_a_template_or_handler_asks_for_exists_in_both_languages():
    asked = set()
    for path in [*TEMPLATES.glob("*.html"), *CODE.glob("*.py")]:
        text = path.read_text("utf-8")
        asked |= set(re.findall(r'\bt\("([a-z-]+)"', text))
        asked |= set(re.findall(r'translate\("([a-z-]+)"', text))
        asked |= set(re.findall(r'lead="([a-z-]+)"', text))
        asked |= set(re.findall(r'UploadError\("([a-z-]+)"', text))
        asked |= set(re.findall(r'EarlierError\("([a-z-]+)"', text))
    asked |= {"high", "medium", "low", "report-id", "report-en"}
    asked |= {f"step-{s}" for s in ("start", "review", "validate", "report", "compare")}
    asked = {k for k in asked if not k.endswith("-")} - {"key"}  # "step-" + name; a docstring
    missing = sorted(asked - set(TEXTS))
    assert not missing
    for key, (id_, en) in TEXTS.items():
        assert id_.strip() and en.strip(), key
    for table in (FIXES, REASONS):
        for key, (id_, en) in table.items():
            assert id_.strip() and en.strip() and id_ != en, key
    assert set(REASONS) == {r.value for r in RejectReason}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_page_renders_in_both_languages(tmp_path, lang):
    c = TestClient(create_app(WebConfig(root=tmp_path, allowed_hosts=("testserver",))))
    page = c.get(f"/?lang={lang}")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    with EXPORT.open("rb") as f:
        r = c.post("/upload", data={"csrf": csrf}, files={"file": ("export.csv", f, "text/csv")})
    key = r.url.path.split("/")[2]
    c.post(f"/s/{key}/evaluate", data={"csrf": csrf})
    for path in (
        "/",
        f"/s/{key}/review",
        f"/s/{key}/validate",
        f"/s/{key}/report",
        f"/s/{key}/compare",
    ):
        r = c.get(path)
        assert r.status_code == 200, path
        assert f'<html lang="{lang}">' in r.text, path
