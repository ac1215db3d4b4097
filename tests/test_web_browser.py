"""``publiceval serve`` in a real headless Chromium: the whole flow, as a volunteer clicks it.

Debian's ``chromium`` (installed by ``.ci/run``) driven by Playwright, with no browser download
(``executable_path``). The app runs on a free loopback port in a thread. The test uploads the
example Google Forms export, accepts the two typos, validates, evaluates and downloads the
report, then looks at each page at 390 px and 1280 px: no horizontal overflow, and no request
leaves 127.0.0.1. ``PUBLICEVAL_WEB_SHOTS=DIR`` keeps the screenshots (the docs' pictures).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
pytest.importorskip("jinja2")
pytest.importorskip("playwright.sync_api")

import uvicorn
from playwright.sync_api import sync_playwright

from publiceval._core.web.app import WebConfig, create_app
from publiceval._core.web.server import free_port

EXPORT = Path(__file__).resolve().parents[1] / "examples" / "gforms-export" / "export.csv"
WIDTHS = (390, 1280)


def _chromium() -> str:
    for name in (os.environ.get("PUBLICEVAL_BROWSER"), "chromium", "chromium-browser"):
        found = name and shutil.which(name)
        if found:
            return found
    pytest.skip("no Chromium found (install the Debian package: apt-get install -y chromium)")


@pytest.fixture
def served(tmp_path):
    """The app on a free loopback port, serving ``tmp_path/studies``; its base URL."""
    port = free_port("127.0.0.1")
    app = create_app(WebConfig(root=tmp_path / "studies", max_upload=1 << 20))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def browser():
    executable = _chromium()
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--proxy-server=http://127.0.0.1:9"],
        )
        yield b
        b.close()


def _look(page, name: str, shots: Path) -> None:
    """A full-page screenshot at each width, and no page wider than the window."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_load_state("load")
        wide = page.evaluate("document.documentElement.scrollWidth")
        inner = page.evaluate("window.innerWidth")
        assert wide <= inner, f"{name} at {width}px: {wide}px wide"
        page.screenshot(path=str(shots / f"serve-{name}-{width}.png"), full_page=width > 400)


def test_the_whole_flow_in_chromium(served, browser, tmp_path):
    shots = Path(os.environ.get("PUBLICEVAL_WEB_SHOTS") or tmp_path / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))

    page.goto(served + "/")
    assert page.locator("h1").inner_text() == "Mulai evaluasi baru"
    _look(page, "start", shots)

    page.set_input_files("#file", str(EXPORT))
    page.click("button[type=submit]")
    page.wait_for_url("**/review")
    assert "Yang ditemukan" in page.locator("h1").inner_text()
    assert page.locator("fieldset.opd").count() == 6
    assert page.locator("select[name^=item-]").count() == 9
    _look(page, "review", shots)

    # the two typos mean what they resemble: accept them, save, and see it saved
    page.check("input[name=typo-0-0]")
    page.check("input[name=typo-0-1]")
    page.click("text=Simpan perbaikan")
    page.wait_for_selector("text=Tersimpan")

    # English, one click away, and kept from page to page
    page.click("a.lang")
    page.wait_for_selector("text=What was found in the export")
    page.click("text=Next: validate the data")
    page.wait_for_url("**/validate")
    assert "150" in page.locator(".stats").inner_text()
    assert page.locator("text=Passed").count() == 1
    _look(page, "validate", shots)

    page.click("text=Evaluate and make the report")
    page.wait_for_url("**/report")
    frame = page.frame_locator("iframe")
    frame.locator("h1").first.wait_for()
    _look(page, "report", shots)

    with page.expect_download() as got:
        page.click("a[href$='/download/report.en.html']")
    target = tmp_path / "report.en.html"
    got.value.save_as(target)
    assert "<html" in target.read_text("utf-8")[:500].lower()
    with page.expect_download() as got:
        page.click("a[href$='/download/study.toml']")
    assert got.value.suggested_filename == "study.toml"

    # an error page: a second upload of something that is not an export
    page.goto(served + "/")
    bad = tmp_path / "notes.csv"
    bad.write_text("just,a,header\n", encoding="utf-8")
    page.set_input_files("#file", str(bad))
    page.click("button[type=submit]")
    page.wait_for_selector(".box.bad")
    _look(page, "error", shots)

    # too large for the app's 1 MB limit: the browser shows the app's page, not a reset
    page.goto(served + "/")
    big = tmp_path / "big.csv"
    big.write_bytes(b"a,b\n" + b"1,2\n" * (600 << 10))
    page.set_input_files("#file", str(big))
    page.click("button[type=submit]")
    page.wait_for_selector(".box.bad")
    assert "too large" in page.locator(".box.bad").inner_text()

    assert all(u.startswith(served) for u in requests), [
        u for u in requests if not u.startswith(served)
    ]
    context.close()
