"""The corpus of bad inputs (``tests/corpus/<case>/``) and the invariants every case keeps.

Each case folder holds a study (``study.toml``), its data file(s) and ``case.toml``, which says
what a person should see: the command, the exit code, message fragments and, for a run that
succeeds, the row counts and the per-OPD scores worked out by hand (the arithmetic is in the
case's description). ``tests/corpus/README.md`` lists the keys.

For every case, through the command line (click's runner, and the installed ``publiceval``
script for the cases marked ``subprocess``) and through Python (``load_study(...).evaluate()``):

- the exit code is the expected one, the messages carry the expected fragments, and Python raises
  the matching :class:`publiceval.PublicevalError` subclass;
- no traceback without ``--debug``, and no control character other than newline and tab in what
  is printed;
- for a success: ``rows_read == rows_used + rows_rejected``, the per-OPD ``score.n`` (one row is
  one respondent × OPD) add up to ``rows_used``, the same input gives byte-identical JSON twice,
  and the JSON read in chunks of 3 rows is the JSON read whole.

A case the code does not handle yet carries ``xfail = "reason"``: its one test is then a strict
xfail, so it turns red the moment the fix lands and the mark has to go.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import publiceval
from publiceval._core.cli import cli

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CORPUS = Path(__file__).parent / "corpus"
CASE_NAMES = sorted(p.name for p in CORPUS.iterdir() if (p / "case.toml").is_file())

#: C0 controls but newline and tab, DEL and the C1 block.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
KNOWN_KEYS = {
    "description",
    "command",
    "args",
    "exit_code",
    "error",
    "stderr",
    "stderr_absent",
    "stdout",
    "stdout_absent",
    "stdout_absent_regex",
    "rows_read",
    "rows_used",
    "rows_rejected",
    "reject_entries",
    "scores",
    "scores_exact",
    "categories",
    "subprocess",
    "output",
    "requires",
    "xfail",
}
#: How close a score must be to its hand-computed value (unless ``scores_exact``).
TOLERANCE = 1e-9


def load_case(name: str) -> dict[str, Any]:
    with (CORPUS / name / "case.toml").open("rb") as f:
        return tomllib.load(f)


def _param(name: str) -> Any:
    reason = load_case(name).get("xfail")
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(name, marks=marks, id=name)


def stage(name: str, tmp_path: Path) -> Path:
    """Copy the case two folders deep (``tmp_path/home/survey``) and its ``outside/`` files to
    ``tmp_path``, so a ``../../`` path in a study reaches them; the study file's path."""
    src = CORPUS / name
    dest = tmp_path / "home" / "survey"
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("case.toml", "outside"))
    if (src / "outside").is_dir():
        shutil.copytree(src / "outside", tmp_path, dirs_exist_ok=True)
    return dest / "study.toml"


class Run:
    """What one command printed, and how it ended."""

    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code, self.stdout, self.stderr = exit_code, stdout, stderr

    def __repr__(self) -> str:
        return f"exit {self.exit_code}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


def run_cli(*args: str) -> Run:
    """``publiceval ARGS`` through click's runner; an exception other than an exit is a failure."""
    result = CliRunner().invoke(cli, list(args))
    stderr = result.stderr if result.stderr_bytes is not None else ""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"publiceval {' '.join(args)} raised {result.exception!r}")
    return Run(result.exit_code, result.stdout, stderr)


def run_script(*args: str) -> Run:
    """``publiceval ARGS`` as a separate process, through the installed script."""
    script = Path(sys.executable).with_name("publiceval")
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "publiceval._core.cli"]
    proc = subprocess.run([*cmd, *args], capture_output=True, timeout=120, check=False)
    return Run(
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
    )


def check_printed(run: Run, what: str) -> None:
    """No traceback and no raw control character in anything a command printed."""
    for stream, text in (("stdout", run.stdout), ("stderr", run.stderr)):
        assert "Traceback" not in text, f"{what}: a traceback on {stream}\n{run!r}"
        bad = CONTROL.search(text)
        assert bad is None, (
            f"{what}: raw control character {bad.group()!r} on {stream} at "
            f"{text[max(bad.start() - 40, 0) : bad.end() + 40]!r}"
        )


def check_expected_output(case: dict[str, Any], run: Run, what: str) -> None:
    assert run.exit_code == case["exit_code"], f"{what}: exit code\n{run!r}"
    for frag in case.get("stderr", []):
        assert frag in run.stderr, f"{what}: {frag!r} not on stderr\n{run!r}"
    for frag in case.get("stderr_absent", []):
        assert frag not in run.stderr, f"{what}: {frag!r} on stderr\n{run!r}"
    for frag in case.get("stdout", []):
        assert frag in run.stdout, f"{what}: {frag!r} not on stdout\n{run!r}"
    for frag in case.get("stdout_absent", []):
        assert frag not in run.stdout, f"{what}: {frag!r} on stdout\n{run!r}"
    for pattern in case.get("stdout_absent_regex", []):
        assert re.search(pattern, run.stdout) is None, f"{what}: /{pattern}/ on stdout\n{run!r}"
    if case["exit_code"] != 0:
        assert run.stderr.startswith("error: "), f"{what}: not one clear error line\n{run!r}"


def check_counts(case: dict[str, Any], data: dict[str, Any], opds: list[Any], what: str) -> None:
    """``data`` is the JSON ``data`` section; ``opds`` pairs of (opd id, score dict or None)."""
    read, used, rejected = data["rows_read"], data["rows_used"], data["rows_rejected"]
    assert read == used + rejected, f"{what}: read {read} != used {used} + rejected {rejected}"
    for key in ("rows_read", "rows_used", "rows_rejected"):
        if key in case:
            assert data[key] == case[key], f"{what}: {key} {data[key]}, expected {case[key]}"
    n = sum((score or {}).get("n", 0) or 0 for _opd, score in opds)
    assert n == used, f"{what}: per-OPD n add up to {n}, not to the {used} rows used"


def check_scores(case: dict[str, Any], doc: dict[str, Any], what: str) -> None:
    by_opd = {o["opd"]: o for o in doc["opds"]}
    for opd, expected in case.get("scores", {}).items():
        score = by_opd[opd]["score"]
        assert score is not None and score["value"] is not None, f"{what}: {opd} has no score"
        value = score["value"]
        if case.get("scores_exact"):
            assert value == expected, f"{what}: {opd} scores {value!r}, expected exactly {expected}"
        else:
            assert math.isclose(value, expected, rel_tol=0, abs_tol=TOLERANCE), (
                f"{what}: {opd} scores {value!r}, expected {expected}"
            )
    for opd, code in case.get("categories", {}).items():
        category = by_opd[opd]["category"]
        assert category is not None, f"{what}: {opd} has no category (expected {code})"
        assert category["code"] == code, f"{what}: {opd} in {category['code']}, expected {code}"
    if "reject_entries" in case:
        entries = doc["data"]["rejects"]
        assert len(entries) == case["reject_entries"], f"{what}: reject entries {entries}"


def check_written(case: dict[str, Any], study: Path, what: str) -> None:
    """The report written with ``-o``: no raw control character in its text (or its cells)."""
    if "output" not in case or case["exit_code"] != 0:
        return
    written = study.parent / case["output"]
    assert written.is_file(), f"{what}: {written.name} not written"
    if written.suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(written)
        text = "\n".join(
            str(cell.value)
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if isinstance(cell.value, str)
        )
    else:
        text = written.read_text(encoding="utf-8")
    bad = CONTROL.search(text)
    assert bad is None, (
        f"{what}: raw control character {bad.group()!r} in {written.name} at "
        f"{text[max(bad.start() - 40, 0) : bad.end() + 40]!r}"
    )
    written.unlink()


def check_cli(case: dict[str, Any], study: Path) -> None:
    output = ["-o", str(study.parent / case["output"])] if "output" in case else []
    args = [case["command"], *case.get("args", []), *output, str(study)]
    run = run_cli(*args)
    check_printed(run, "cli")
    check_expected_output(case, run, "cli")
    check_written(case, study, "cli")
    if case.get("subprocess"):
        proc = run_script(*args)
        check_printed(proc, "script")
        check_expected_output(case, proc, "script")
        check_written(case, study, "script")


def check_json(case: dict[str, Any], study: Path) -> None:
    """A success: the JSON report, twice whole and once in chunks, and the validate report."""
    whole = run_cli("evaluate", "-f", "json", str(study))
    again = run_cli("evaluate", "-f", "json", str(study))
    chunked = run_cli("evaluate", "-f", "json", "--chunk-rows", "3", str(study))
    for name, run in (("json", whole), ("json again", again), ("json chunked", chunked)):
        check_printed(run, name)
        assert run.exit_code == 0, f"{name}\n{run!r}"
    assert whole.stdout == again.stdout, "the same input gave different JSON bytes"
    assert chunked.stdout == whole.stdout, "JSON read in chunks of 3 rows differs from whole"
    doc = json.loads(whole.stdout)
    check_counts(case, doc["data"], [(o["opd"], o["score"]) for o in doc["opds"]], "json")
    check_scores(case, doc, "json")
    validate = run_cli("validate", "--json", str(study))
    check_printed(validate, "validate --json")
    assert validate.exit_code == 0, f"validate --json\n{validate!r}"
    report = json.loads(validate.stdout)
    for key in ("rows_read", "rows_used", "rows_rejected"):
        assert report[key] == doc["data"][key], f"validate and evaluate disagree on {key}"


def check_error_chunked(case: dict[str, Any], study: Path) -> None:
    """A failure: ``evaluate`` read in chunks of 3 rows ends as the whole-file run does."""
    whole = run_cli("evaluate", "-f", "json", str(study))
    chunked = run_cli("evaluate", "-f", "json", "--chunk-rows", "3", str(study))
    check_printed(chunked, "chunked")
    assert whole.exit_code == case["exit_code"], f"evaluate whole\n{whole!r}"
    assert (chunked.exit_code, chunked.stderr) == (whole.exit_code, whole.stderr), (
        f"evaluate in chunks of 3 rows ends differently:\n{chunked!r}\nwhole:\n{whole!r}"
    )


def check_python(case: dict[str, Any], study: Path) -> None:
    if case["exit_code"] != 0:
        expected = getattr(publiceval, case.get("error", "PublicevalError"))
        assert issubclass(expected, publiceval.PublicevalError)
        with pytest.raises(publiceval.PublicevalError) as info:
            publiceval.load_study(study).evaluate()
        assert isinstance(info.value, expected), f"python: {info.value!r}, expected {expected}"
        assert info.value.exit_code == case["exit_code"], f"python: exit code of {info.value!r}"
        for frag in case.get("stderr", []):
            assert frag in str(info.value), f"python: {frag!r} not in {str(info.value)!r}"
        for frag in case.get("stderr_absent", []):
            assert frag not in str(info.value), f"python: {frag!r} in {str(info.value)!r}"
        return
    ev = publiceval.load_study(study).evaluate()
    check_counts(
        case,
        ev.data.model_dump(),
        [(o.opd, o.score.model_dump() if o.score else None) for o in ev.opds],
        "python",
    )
    check_scores(case, json.loads(ev.to_json()), "python")


def test_corpus_is_well_formed():
    assert len(CASE_NAMES) >= 20
    for name in CASE_NAMES:
        case = load_case(name)
        assert set(case) <= KNOWN_KEYS, f"{name}: unknown keys {set(case) - KNOWN_KEYS}"
        assert case["command"] in {"validate", "evaluate"}, name
        assert case["description"].strip(), name
        assert (CORPUS / name / "study.toml").is_file(), name
        if case["exit_code"] == 0:
            assert {"rows_read", "rows_used", "rows_rejected"} <= set(case), name
        else:
            assert "error" in case and case.get("stderr"), name
    assert sum(1 for n in CASE_NAMES if load_case(n).get("subprocess")) >= 1


@pytest.mark.parametrize("name", [_param(n) for n in CASE_NAMES])
def test_corpus_case(name, tmp_path):
    """Every check of one case; all failures are reported together."""
    case = load_case(name)
    for module in case.get("requires", []):
        pytest.importorskip(module)
    study = stage(name, tmp_path)
    checks = [check_cli, check_python]
    checks.append(check_json if case["exit_code"] == 0 else check_error_chunked)
    failures = []
    for check in checks:
        try:
            check(case, study)
        except (AssertionError, pytest.fail.Exception) as exc:
            failures.append(f"[{check.__name__}] {exc}")
        except Exception as exc:  # an unexpected error is a failure of this check, not the others
            failures.append(f"[{check.__name__}] {exc.__class__.__name__}: {exc}")
    assert not failures, f"{name}: {case['description']}\n\n" + "\n\n".join(failures)
