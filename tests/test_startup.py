"""Start-up stays light: ``import publiceval`` and ``publiceval --help`` load no heavy extras.

scipy.stats alone costs about half a second; matplotlib, jinja2, openpyxl and pyarrow are needed
only by the reporters and readers that use them. Each check runs in a fresh interpreter, because
this test session has long since imported everything. (The measured times are in
docs/performance.md; tests assert no timings.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

HEAVY_PACKAGES = ("matplotlib", "jinja2", "openpyxl", "pyarrow")
HEAVY_MODULES = ("scipy.stats",)

_REPORT = textwrap.dedent(
    f"""
    import json, sys
    heavy = sorted(
        m for m in sys.modules
        if m.split(".")[0] in {HEAVY_PACKAGES!r}
        or any(m == h or m.startswith(h + ".") for h in {HEAVY_MODULES!r})
    )
    print(json.dumps(heavy))
    """
)

IMPORT = "import publiceval\n" + _REPORT


def _command(*args: str, expect: str) -> str:
    """Run ``publiceval ARGS`` in-process (as the console script does), then report."""
    return (
        textwrap.dedent(
            f"""
            import contextlib, io, sys
            from publiceval._core.cli import main
            sys.argv = ["publiceval", *{args!r}]
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                try:
                    main()
                except SystemExit as exc:
                    assert exc.code in (0, None), exc.code
            assert {expect!r} in out.getvalue(), out.getvalue()
            """
        )
        + _REPORT
    )


HELP = _command("--help", expect="Usage:")
# the built-in plugins only: an installed third-party plugin may import what it likes
PLUGINS = _command("plugins", expect="html")


def _heavy_modules_after(code: str) -> list[str]:
    env = {**os.environ, "PUBLICEVAL_LOAD_PLUGINS": ""}
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    loaded: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


@pytest.mark.parametrize(
    "code",
    [IMPORT, HELP, PLUGINS],
    ids=["import publiceval", "publiceval --help", "publiceval plugins"],
)
def test_start_up_loads_no_heavy_extras(code):
    assert _heavy_modules_after(code) == []


def test_the_check_would_see_a_heavy_import():
    """The probe is not vacuous: importing scipy.stats shows up."""
    assert "scipy.stats" in _heavy_modules_after("import scipy.stats\n" + _REPORT)
