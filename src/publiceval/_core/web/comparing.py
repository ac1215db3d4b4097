"""The compare step's work: keep the earlier period, compare it with this one, render it.

The earlier period is an evaluation's JSON (the one the report step offers for next semester)
or the earlier export, read with *this* study (so the instrument is the same by construction).
Each upload gets a folder of its own under the study's ``.publiceval-web/compare``; a pointer
file names the one in use and is written only once the comparison was made, so a refused upload
never replaces a good one. The comparison, and each file rendered from it, is kept until the
study is evaluated again (then it is made again from the kept upload).
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import GateError, PublicevalError, StudyError
from ..results import Evaluation
from ..text import Lang
from .files import Download
from .workspace import StudyFolder, atomic_write

if TYPE_CHECKING:
    from ..compare.models import Comparison

__all__ = [
    "Earlier",
    "EarlierError",
    "comparison_downloads",
    "current_comparison",
    "render_comparison_file",
    "save_earlier",
]

_POINTER = "current.json"
_FOLDER = re.compile(r"^[0-9a-f]{16}$")
_RENDERED = re.compile(r"^comparison\.(id|en)\.(html|pdf|xlsx)$")
_EXCEL = (".xlsx", ".xlsm")
MEDIA = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


class EarlierError(Exception):
    """An earlier period refused: ``key`` names the text said first (see ``texts``), ``detail``
    is publiceval's own message (may be empty)."""

    def __init__(self, key: str, detail: str = "") -> None:
        super().__init__(detail or key)
        self.key = key
        self.detail = detail


@dataclass(frozen=True)
class Earlier:
    """The earlier period in use: its folder, what it is, and the names of both periods."""

    folder: Path
    kind: str
    """``json`` (an evaluation) or ``export`` (read with this study)."""
    file: str
    labels: tuple[str, str]

    @property
    def path(self) -> Path:
        """The uploaded file, as kept."""
        return self.folder / self.file


def comparison_downloads(pdf: bool) -> list[Download]:
    """What the compare step offers (PDF only when WeasyPrint is installed)."""
    formats = ["html", *(["pdf"] if pdf else []), "xlsx"]
    out = [Download(f"comparison.{x}.{f}", f, x) for x in ("id", "en") for f in formats]
    return [*out, Download("comparison.json", "json", None)]


def _current_evaluation(study: StudyFolder) -> Evaluation:
    if not study.evaluation_is_current():
        raise EarlierError("compare-evaluate-first")
    return Evaluation.model_validate_json(study.evaluation_file.read_text(encoding="utf-8"))


def earlier(study: StudyFolder) -> Earlier | None:
    """The earlier period uploaded last, or ``None``."""
    try:
        meta = json.loads((study.compare_dir / _POINTER).read_text(encoding="utf-8"))
        folder, kind, file = str(meta["folder"]), str(meta["kind"]), str(meta["file"])
        labels = (str(meta["labels"][0]), str(meta["labels"][1]))
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return None
    if not _FOLDER.match(folder) or "/" in file or "\\" in file or file.startswith("."):
        return None
    entry = Earlier(study.compare_dir / folder, kind, file, labels)
    return entry if entry.path.is_file() else None


def _evaluate_export(study: StudyFolder, export: Path) -> Evaluation:
    """The earlier export evaluated with this study's instrument, columns and gates."""
    from ..study import Study, load_study

    spec = load_study(study.study).file_spec
    if spec.periods or spec.data is None:
        raise EarlierError("compare-export-unsupported")
    data = spec.data
    update: dict[str, Any] = {"path": export.name}
    if data.format in ("csv", "xlsx"):  # Google Forms and Kobo read both
        fmt = "xlsx" if export.suffix.lower() in _EXCEL else "csv"
        if fmt != data.format:
            update.update(format=fmt, options={})
    # the study's dates are this period's: the earlier one's are not known
    survey = spec.survey.model_copy(update={"period_start": None, "period_end": None})
    earlier_spec = spec.model_copy(
        update={"data": data.model_copy(update=update), "survey": survey}
    )
    return Study(earlier_spec, export.parent / "study.toml").evaluate()


def _earlier_evaluation(study: StudyFolder, entry: Earlier) -> Evaluation:
    if entry.kind == "json":
        try:
            return Evaluation.from_json(entry.path.read_bytes())
        except ValueError:  # not JSON, or not an evaluation (pydantic's ValidationError)
            raise EarlierError("compare-not-evaluation") from None
    cached = entry.folder / "evaluation.json"
    if cached.is_file() and cached.stat().st_mtime_ns >= study.study.stat().st_mtime_ns:
        return Evaluation.model_validate_json(cached.read_text(encoding="utf-8"))
    try:
        evaluation = _evaluate_export(study, entry.path)
    except GateError as exc:
        raise EarlierError("compare-gates", _short(exc, entry)) from None
    except PublicevalError as exc:
        raise EarlierError("compare-not-export", _short(exc, entry)) from None
    atomic_write(cached, evaluation.model_dump_json().encode("utf-8"))
    return evaluation


def _short(exc: Exception, entry: Earlier) -> str:
    """publiceval's message without the app's folders (the file is named as uploaded)."""
    return str(exc).replace(str(entry.folder) + "/", "").replace(str(entry.folder), "")


def _build(study: StudyFolder, entry: Earlier, current: Evaluation) -> Comparison:
    from ..compare.build import compare_evaluations
    from ..study import load_study

    before = _earlier_evaluation(study, entry)
    opds = load_study(study.study).survey.opds
    aliases = {o.id: (*o.aliases, o.short_name or "") for o in opds}
    try:
        return compare_evaluations(
            [before, current], labels=list(entry.labels), aliases=[aliases, aliases]
        )
    except StudyError as exc:  # the instruments differ (every difference named)
        raise EarlierError("compare-refused", str(exc)) from None


def _store(entry: Earlier, comparison: Comparison) -> None:
    shutil.rmtree(entry.folder / "renders", ignore_errors=True)
    atomic_write(entry.folder / "comparison.json", comparison.to_json().encode("utf-8"))


def save_earlier(study: StudyFolder, filename: str, data: bytes, labels: tuple[str, str]) -> None:
    """Keep an uploaded earlier period once it compares with this one (:class:`EarlierError`
    says why not). ``filename`` is already safe (see ``workspace.safe_filename``)."""
    current = _current_evaluation(study)
    if labels[0] == labels[1]:
        raise EarlierError("compare-same-labels")
    is_json = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")  # an export never is
    folder = study.compare_dir / secrets.token_hex(8)
    entry = Earlier(
        folder, "json" if is_json else "export", "earlier.json" if is_json else filename, labels
    )
    try:
        folder.mkdir(parents=True)
        entry.path.write_bytes(data)
        _store(entry, _build(study, entry, current))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    meta = {"folder": folder.name, "kind": entry.kind, "file": entry.file, "labels": labels}
    atomic_write(study.compare_dir / _POINTER, json.dumps(meta).encode("utf-8"))
    for old in study.compare_dir.iterdir():
        if old.is_dir() and old != folder:
            shutil.rmtree(old, ignore_errors=True)


def current_comparison(study: StudyFolder) -> tuple[Earlier, Comparison] | None:
    """The earlier period and its comparison with the current evaluation (made again when the
    study was evaluated since); ``None`` before any upload."""
    from ..compare.models import Comparison

    entry = earlier(study)
    if entry is None:
        return None
    current = _current_evaluation(study)
    kept = entry.folder / "comparison.json"
    if kept.is_file() and kept.stat().st_mtime_ns >= study.evaluation_file.stat().st_mtime_ns:
        return entry, Comparison.from_json(kept.read_bytes())
    comparison = _build(study, entry, current)
    _store(entry, comparison)
    return entry, comparison


def render_comparison_file(study: StudyFolder, name: str) -> tuple[bytes, str]:
    """The download ``name`` (from a fixed set, never a path) and its media type."""
    from ..compare.command import render_comparison

    got = current_comparison(study)
    if got is None:
        raise StudyError(f"{study.key}: no earlier period uploaded yet")
    entry, comparison = got
    if name == "comparison.json":
        return comparison.to_json().encode("utf-8") + b"\n", MEDIA["json"]
    match = _RENDERED.match(name)
    if match is None:
        raise StudyError(f"no download named {name!r}")
    lang: Lang = "en" if match.group(1) == "en" else "id"
    fmt = match.group(2)
    cached = entry.folder / "renders" / name
    if cached.is_file():
        return cached.read_bytes(), MEDIA[fmt]
    out = render_comparison(comparison, fmt, lang)
    data = out.encode("utf-8") if isinstance(out, str) else out
    atomic_write(cached, data)
    return data, MEDIA[fmt]
