"""The HTML report in a real headless Chromium: every OPD shows, the charts draw, nothing is fetched.

CI installs Chromium from Debian (``apt-get install -y chromium``). The tests skip, saying why,
only when no Chromium can be found; ``PUBLICEVAL_BROWSER`` may name the executable.

Chromium itself phones home (updates, accounts, spelling dictionaries) whatever the flags, so
the network check separates the page's requests from the browser's: a request a document
made has an origin as its initiator (``null`` for a ``file://`` page), the browser's own have
``not an origin``. A canary page with an external image proves the check sees page requests.
Every run also points Chromium at a closed local proxy port, so nothing leaves the machine.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from publiceval._core.report.colors import mix
from report_builders import evaluation, rendered

pytest.importorskip("jinja2")
pytest.importorskip("jinja2")

_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
_TIMEOUT = 90


def _browser() -> str:
    named = os.environ.get("PUBLICEVAL_BROWSER")
    if named:
        return named
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip(
        "no Chromium found (looked for " + ", ".join(_CANDIDATES) + "; set PUBLICEVAL_BROWSER, "
        "or install the Debian package: apt-get install -y chromium)"
    )


def _run(page: Path, tmp: Path, *action: str) -> tuple[str, list[dict[str, object]]]:
    """Open ``page`` once with ``action`` flags; the stdout and the page's own network requests."""
    profile = tmp / f"profile-{len(list(tmp.iterdir()))}"
    netlog = profile.with_suffix(".netlog.json")
    cmd = [
        _browser(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--disable-extensions",
        f"--user-data-dir={profile}",
        f"--log-net-log={netlog}",
        "--proxy-server=http://127.0.0.1:9",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        *action,
        page.as_uri(),
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=_TIMEOUT, check=False)
    if out.returncode != 0:
        pytest.fail(f"chromium failed ({out.returncode}): {out.stderr[-2000:]}")
    return out.stdout, _page_requests(netlog)


def _page_requests(netlog: Path) -> list[dict[str, object]]:
    log = json.loads(netlog.read_text(encoding="utf-8"))
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    found = []
    for event in log["events"]:
        params = event.get("params") or {}
        if event["type"] != start or "url" not in params:
            continue
        if params.get("initiator") == "not an origin":
            continue  # the browser's own housekeeping, not the page
        if str(params["url"]).startswith("file:"):
            continue  # the page itself
        found.append(params)
    return found


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "laporan.html"
    path.write_bytes(rendered("html", "id"))
    return path


def test_the_request_check_sees_a_page_request(tmp_path: Path) -> None:
    canary = tmp_path / "canary.html"
    canary.write_text(
        '<!DOCTYPE html><html><body><img src="http://canary.invalid/x.png"><p>x</p></body></html>',
        encoding="utf-8",
    )
    _, requests = _run(canary, tmp_path, "--dump-dom")
    assert [r["url"] for r in requests] == ["http://canary.invalid/x.png"]


def test_every_opd_appears_and_nothing_is_fetched(report: Path, tmp_path: Path) -> None:
    dom, requests = _run(report, tmp_path, "--dump-dom")
    assert requests == []
    assert "<svg" in dom
    for r in evaluation().opds:
        assert r.name in dom, r.name
    # every chart is in the DOM with a non-zero size
    sizes = re.findall(r'<svg[^>]*\swidth="([\d.]+)(?:pt)?"[^>]*\sheight="([\d.]+)(?:pt)?"', dom)
    ev = evaluation()
    assert len(sizes) == 1 + sum(1 for r in ev.opds if r.items) + 1 + 2
    assert all(float(w) > 100 and float(h) > 50 for w, h in sizes)


def test_the_score_chart_is_drawn(report: Path, tmp_path: Path) -> None:
    pil_image = pytest.importorskip("PIL.Image")
    shot = tmp_path / "shot.png"
    _, requests = _run(report, tmp_path, f"--screenshot={shot}", "--window-size=1100,2600")
    assert requests == []
    image = pil_image.open(shot).convert("RGB")
    colors = image.getcolors(maxcolors=1 << 20)
    assert colors is not None and len(colors) > 200  # text, tables and charts, not a blank page
    # the chart's band backgrounds (drawn only in the SVG) are on screen
    from publiceval._core.report.context import build_context

    ctx = build_context(evaluation(), "id")
    assert ctx.scheme is not None
    pixels = {rgb: n for n, rgb in colors}
    for band in ctx.scheme.bands:
        tint = mix(band.color, "#ffffff", 0.55)
        want = tuple(int(tint[k : k + 2], 16) for k in (1, 3, 5))
        near = sum(
            n
            for rgb, n in pixels.items()
            if max(abs(a - b) for a, b in zip(rgb, want, strict=False)) <= 3
        )
        assert near > 2000, (band.label, tint, near)


# ---------------------------------------------------------------- phone and desktop widths

#: Run inside a test copy of the report (the report itself runs no script), shown in an iframe
#: of the width under test: how far the page and any text reach past the frame's right edge,
#: outside the containers that scroll sideways on purpose (wide tables and charts).
_MEASURE = """<script>
addEventListener("load", () => {
  const width = document.documentElement.clientWidth;
  const page = document.documentElement.scrollWidth - width;
  const cut = [];
  for (const el of document.querySelectorAll("h1,h2,h3,p,li,dt,dd,td,th,figcaption,summary")) {
    let scrolls = false;
    for (let up = el.parentElement; up && !scrolls; up = up.parentElement) {
      scrolls = ["auto", "scroll"].includes(getComputedStyle(up).overflowX);
    }
    if (scrolls) continue;
    const box = el.getBoundingClientRect();
    const spills = el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0;
    if ((box.width > 0 && box.right > width + 1) || spills) cut.push(el.tagName + ": " + el.textContent.slice(0, 60));
  }
  parent.document.body.setAttribute("data-measure", JSON.stringify({width, page, cut}));
});
</script>"""


def _measured(html: bytes, width: int, tmp: Path) -> dict[str, object]:
    """Layout facts of ``html`` shown ``width`` CSS pixels wide (a phone is 390)."""
    import html as html_lib

    text = html.decode("utf-8")
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text)
    inner = html_lib.escape(text.replace("</body>", _MEASURE + "</body>"), quote=True)
    page = tmp / f"measure-{width}.html"
    page.write_text(
        f'<!DOCTYPE html><html><body style="margin:0"><iframe style="width:{width}px;'
        f'height:1200px;border:0" srcdoc="{inner}"></iframe></body></html>',
        encoding="utf-8",
    )
    dom, _ = _run(
        page,
        tmp,
        "--dump-dom",
        "--hide-scrollbars",
        "--window-size=1400,1300",
        "--virtual-time-budget=5000",
    )
    found = re.search(r'data-measure="([^"]*)"', dom)
    assert found is not None, "the measuring script did not run"
    return json.loads(html_lib.unescape(found.group(1)))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def skm_page(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    import publiceval
    from skm_builders import skm_evaluation

    root = tmp_path_factory.mktemp("skm")
    return publiceval.render(skm_evaluation(str(root)), "html", lang="id")


@pytest.mark.parametrize("width", [390, 1280])
def test_skm_report_fits_phone_and_desktop(skm_page: bytes, width: int, tmp_path: Path) -> None:
    got = _measured(skm_page, width, tmp_path)
    assert got["width"] == width
    assert got["page"] == 0, got
    assert got["cut"] == [], got


def test_the_report_with_long_names_fits_a_phone(tmp_path: Path) -> None:
    got = _measured(rendered("html", "en", "hostile"), 390, tmp_path)
    assert got["page"] == 0 and got["cut"] == [], got


def test_the_serang_example_fits_a_phone(tmp_path: Path) -> None:
    from skm_builders import serang_page

    got = _measured(serang_page("id"), 390, tmp_path)
    assert got["page"] == 0 and got["cut"] == [], got
