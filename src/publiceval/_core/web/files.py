"""The downloads: the report in each format and language, the study file, the study as a zip.

Reports are rendered from the last evaluation (kept as JSON in the study's folder) with the same
reporters as ``publiceval evaluate``, and kept once rendered: a PDF takes seconds. Names come from
a fixed set, never used as a path: a URL cannot name any other file.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from starlette.responses import Response

from ..errors import StudyError
from ..render_report import render
from ..results import Evaluation
from ..study import load_study
from ..text import Lang
from .workspace import StudyFolder, atomic_write

__all__ = ["REPORT_CSP", "Download", "download_response", "preview_response", "study_downloads"]

_REPORT = re.compile(r"^report\.(id|en)\.(html|pdf|xlsx|json)$")
_MEDIA = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
#: The report page may style itself and draw inline pictures; it runs no script, loads nothing.
REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
)


@dataclass(frozen=True)
class Download:
    """One link of the report step."""

    name: str
    fmt: str
    lang: Lang | None


def study_downloads(pdf: bool) -> list[Download]:
    """What the report step offers (PDF only when WeasyPrint is installed)."""
    formats = ["html", *(["pdf"] if pdf else []), "xlsx", "json"]
    out = [Download(f"report.{lang}.{fmt}", fmt, lang) for lang in ("id", "en") for fmt in formats]
    return [*out, Download("study.toml", "toml", None), Download("study.zip", "zip", None)]


def _evaluation(study: StudyFolder) -> Evaluation:
    if not study.evaluation_is_current():
        raise StudyError(
            f"{study.key}: not evaluated since study.toml last changed; evaluate it first"
        )
    return Evaluation.model_validate_json(study.evaluation_file.read_text(encoding="utf-8"))


def _evaluation_bytes(study: StudyFolder) -> bytes:
    """The last evaluation as publiceval wrote it (``publiceval evaluate -f json``'s model)."""
    return _evaluation(study).model_dump_json(indent=1).encode("utf-8")


def _report(study: StudyFolder, lang: Lang, fmt: str) -> bytes:
    """The report's bytes, rendered once per evaluation."""
    cached = study.cached_report(f"report.{lang}.{fmt}")
    evaluation = _evaluation(study)  # checks the evaluation is current before any cache is read
    if cached.is_file():
        return cached.read_bytes()
    data = render(evaluation, fmt, lang=lang)
    atomic_write(cached, data)
    return data


def _lang(text: str) -> Lang:
    if text not in ("id", "en"):
        raise StudyError(f"unknown report language {text!r}; expected id or en")
    return "en" if text == "en" else "id"


def preview_response(study: StudyFolder, lang: str) -> Response:
    """The HTML report shown inline (in the report step's frame or a tab of its own)."""
    data = _report(study, _lang(lang), "html")
    return Response(
        data, media_type=_MEDIA["html"], headers={"content-security-policy": REPORT_CSP}
    )


def _zip(study: StudyFolder) -> bytes:
    """``study.toml`` and its data file: what ``publiceval evaluate study.toml`` needs."""
    loaded = load_study(study.study)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(study.study, f"{study.folder.name}/study.toml")
        data = loaded.data_path
        if data is not None and data.is_file():
            archive.write(data, f"{study.folder.name}/{data.name}")
    return buffer.getvalue()


def download_response(study: StudyFolder, name: str) -> Response:
    """The file ``name`` as an attachment, named after the study's folder."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", study.folder.name).strip(".-") or "study"
    if name == "study.toml":
        data, media = study.study.read_bytes(), "application/toml"
        filename = "study.toml"
    elif name == "study.zip":
        data, media, filename = _zip(study), "application/zip", f"{stem}.zip"
    elif name == "evaluation.json":  # for next semester's comparison (the compare step)
        data, media, filename = _evaluation_bytes(study), _MEDIA["json"], f"{stem}-{name}"
    elif match := _REPORT.match(name):
        lang, fmt = match.groups()
        data, media = _report(study, _lang(lang), fmt), _MEDIA[fmt]
        filename = f"{stem}-{name}"
    else:
        raise StudyError(f"no download named {name!r}")
    headers = {
        "content-disposition": f'attachment; filename="{filename}"',
        "content-security-policy": REPORT_CSP,
    }
    return Response(data, media_type=media, headers=headers)
