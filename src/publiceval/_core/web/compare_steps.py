"""The compare step: upload the earlier period, see each OPD's change, download the comparison.

The same functions as ``publiceval compare`` make and render the comparison
(``compare_evaluations``, ``render_comparison``); a refusal (instruments that differ, a file that
is neither an evaluation's JSON nor an export of this form) is shown on the page, in the page's
language, with publiceval's own message under it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ..errors import PluginError, PublicevalError
from ..text import Lang
from .comparing import (
    EarlierError,
    comparison_downloads,
    current_comparison,
    render_comparison_file,
    save_earlier,
)
from .files import REPORT_CSP
from .pages import csrf_ok, error_page, page, ui_lang
from .steps import _config, _mb, _pdf_available, _redirect, _study
from .texts import translate
from .upload import UploadError, receive_upload
from .workspace import StudyFolder

if TYPE_CHECKING:
    from ..compare.models import Comparison

__all__ = ["compare_download", "compare_page", "compare_preview", "compare_upload"]


def _summary(comparison: Comparison, lang: Lang) -> list[dict[str, Any]]:
    """Each OPD's change in a few cells, as the comparison's own reports word it."""
    from ..compare.render_text import verdict
    from ..compare.sentences import ci_text, fmt, fmt_signed

    step = comparison.steps[-1]
    rows = []
    for o in step.opds:
        c = o.score
        category = o.category
        rows.append(
            {
                "name": o.short_name or o.name,
                "full": o.name,
                "before": fmt(c.before, lang),
                "after": fmt(c.after, lang),
                "change": fmt_signed(c.difference, lang),
                "ci": ci_text(c, lang),
                "direction": c.direction,
                "verdict": verdict(c.direction, lang),
                "category": f"{category.before or '–'} → {category.after or '–'}"
                if category is not None
                else "",
            }
        )
    return rows


async def _show(
    request: Request, study: StudyFolder, error: tuple[str, str] | None = None, status: int = 200
) -> Response:
    lang = ui_lang(request)
    current = study.evaluation_is_current()
    got = None
    if current and error is None:
        try:
            got = await run_in_threadpool(current_comparison, study)
        except EarlierError as exc:
            error, status = (translate(exc.key, lang), exc.detail), 400
    entry, comparison = got if got is not None else (None, None)
    pdf = _pdf_available()
    asked = request.query_params.get("preview")
    return page(
        request,
        "compare.html",
        status_code=status,
        step="compare",
        study=study,
        current=current,
        entry=entry,
        comparison=comparison,
        step_=comparison.steps[-1] if comparison is not None else None,
        rows=_summary(comparison, lang) if comparison is not None else [],
        downloads=comparison_downloads(pdf),
        pdf=pdf,
        error=error,
        preview_lang=asked if asked in ("id", "en") else lang,
        max_upload=_mb(_config(request).max_upload),
    )


async def compare_page(request: Request) -> Response:
    """Step 5: the upload form, and the comparison once an earlier period was uploaded."""
    try:
        study = _study(request)
    except PublicevalError as exc:
        return error_page(request, str(exc), 404)
    return await _show(request, study)


def _label(fields: dict[str, str], name: str, default: str) -> str:
    text = re.sub(r"\s+", " ", fields.get(name, "")).strip()[:60]
    return text or default


async def compare_upload(request: Request) -> Response:
    """Receive the earlier period (same size limit and token as the export's upload)."""
    config = _config(request)
    lang = ui_lang(request)
    try:
        study = _study(request)
    except PublicevalError as exc:
        return error_page(request, str(exc), 404)
    try:
        got = await receive_upload(request, config.max_upload)
    except UploadError as exc:
        return error_page(
            request, translate(exc.key, lang, limit=_mb(config.max_upload)), exc.status
        )
    if not csrf_ok(request, got.fields.get("csrf")):
        return error_page(request, translate("csrf", lang), 403)
    labels = (
        _label(got.fields, "before", translate("compare-before-default", lang)),
        _label(got.fields, "after", translate("compare-after-default", lang)),
    )
    try:
        await run_in_threadpool(save_earlier, study, got.filename, got.data, labels)
    except EarlierError as exc:
        return await _show(request, study, (translate(exc.key, lang), exc.detail), 400)
    return _redirect(request, f"/s/{study.key}/compare")


async def compare_preview(request: Request) -> Response:
    """The comparison's HTML report as a page of its own (shown in the step's frame)."""
    lang = request.path_params["report_lang"]
    try:
        study = _study(request)
        if lang not in ("id", "en"):
            raise EarlierError("not-found")
        data, media = await run_in_threadpool(
            render_comparison_file, study, f"comparison.{lang}.html"
        )
    except EarlierError as exc:
        return error_page(request, translate(exc.key, ui_lang(request)), 404)
    except PublicevalError as exc:
        return error_page(request, str(exc), 404)
    return Response(data, media_type=media, headers={"content-security-policy": REPORT_CSP})


async def compare_download(request: Request) -> Response:
    """The comparison as HTML, PDF or XLSX in either language, or as JSON."""
    name = request.path_params["name"]
    try:
        study = _study(request)
        data, media = await run_in_threadpool(render_comparison_file, study, name)
    except PluginError as exc:  # the pdf extra or the system's Pango is missing
        return error_page(request, str(exc), 503)
    except EarlierError as exc:
        return error_page(request, translate(exc.key, ui_lang(request)), 404)
    except PublicevalError as exc:
        return error_page(request, str(exc), 404)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", study.folder.name).strip(".-") or "study"
    headers = {
        "content-disposition": f'attachment; filename="{stem}-{name}"',
        "content-security-policy": REPORT_CSP,
    }
    return Response(data, media_type=media, headers=headers)
