"""Without the report extra, asking for a report that needs it is one clear error, not a traceback."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from publiceval._core.cli import cli
from publiceval._core.report import render

STUDY = Path(__file__).resolve().parents[1] / "examples" / "serang" / "study-published.toml"


@pytest.mark.parametrize(
    ("fmt", "module", "needs"),
    [
        ("html", "jinja2", "Jinja2"),  # charts are drawn by hand: no matplotlib
        ("markdown", "jinja2", "Jinja2"),
        ("xlsx", "openpyxl", "openpyxl"),
    ],
)
def test_a_missing_optional_dependency_names_the_extra(monkeypatch, tmp_path, fmt, module, needs):
    for name in [m for m in sys.modules if m == module or m.startswith(module + ".")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, module, None)  # makes `import module` raise ImportError
    # environments built by earlier tests are cached; start as a fresh process would
    render.html_environment.cache_clear()
    render.markdown_environment.cache_clear()
    result = CliRunner().invoke(cli, ["evaluate", str(STUDY), "-f", fmt, "-o", str(tmp_path / "r")])
    assert result.exit_code == 5, result.output  # a plugin that cannot run here
    assert "Traceback" not in result.output
    assert needs in result.output
    assert "pip install 'publiceval[report]'" in result.output


def test_pdf_without_weasyprint_says_what_to_install(monkeypatch, tmp_path):
    for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    result = CliRunner().invoke(
        cli, ["evaluate", str(STUDY), "-f", "pdf", "-o", str(tmp_path / "r.pdf")]
    )
    assert result.exit_code == 5, result.output
    assert "Traceback" not in result.output
    assert "pip install 'publiceval[pdf]'" in result.output
    assert "libpango-1.0-0" in result.output
    assert not (tmp_path / "r.pdf").exists()
