"""The pages of the flow, one per step: start, review, validate, report (and the downloads).

Each step calls the same library functions as the command line (``infer_export``,
``scaffold_from_export``, ``validate_study``, ``Study.evaluate``, ``render``) and shows a
:class:`PublicevalError` as its message, so the app and the CLI say the same thing. Handlers are
plain functions (Starlette runs them in a thread pool): two evaluations run side by side, each in
its own study folder, with no state shared between requests.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..errors import GateError, PluginError, PublicevalError
from ..infer.api import infer_export, scaffold_from_export
from ..presets import SKM_ELEMENTS
from ..rejects import RejectReason
from ..study import load_study
from ..validation import validate_study
from .edit import apply_corrections, save_study, state_inference
from .files import download_response, preview_response, study_downloads
from .pages import WebConfig, csrf_ok, error_page, page, remember, ui_lang
from .texts import translate
from .upload import UploadError, receive_upload
from .workspace import StudyFolder, atomic_write

__all__ = ["download", "evaluate", "preview", "report", "review", "start", "upload", "validate"]

FORMATS = ("auto", "gforms", "kobo", "csv", "xlsx")


def _config(request: Request) -> WebConfig:
    config: WebConfig = request.app.state.config
    return config


def _study(request: Request) -> StudyFolder:
    """The study the URL names (a :class:`PublicevalError` for anything else)."""
    return _config(request).workspace.get(request.path_params["key"])


def _redirect(request: Request, url: str) -> Response:
    response = RedirectResponse(url, status_code=303)
    remember(request, response)
    return response


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


async def start(request: Request) -> Response:
    """Step 1: upload an export, or open a study already in the folder."""
    config = _config(request)
    return page(
        request,
        "start.html",
        step="start",
        studies=config.workspace.studies(),
        root=config.root,
        formats=FORMATS,
        max_upload=_mb(config.max_upload),
    )


async def upload(request: Request) -> Response:
    """Read the upload into a new folder, infer the study from it, and go to the review."""
    config = _config(request)
    lang = ui_lang(request)
    try:
        got = await receive_upload(request, config.max_upload)
    except UploadError as exc:
        return error_page(
            request, translate(exc.key, lang, limit=_mb(config.max_upload)), exc.status
        )
    if not csrf_ok(request, got.fields.get("csrf")):
        return error_page(request, translate("csrf", lang), 403)
    fmt = got.fields.get("format", "auto")
    study = config.workspace.new_folder(got.filename)
    try:
        export = study.folder / got.filename
        export.write_bytes(got.data)
        await run_in_threadpool(_scaffold, study, export, None if fmt == "auto" else fmt, lang)
    except PublicevalError as exc:
        config.workspace.discard(study)
        message = str(exc).replace(str(study.folder) + "/", "")
        return error_page(request, message, 400, lead="upload-failed")
    except Exception:
        config.workspace.discard(study)
        raise
    return _redirect(request, f"/s/{study.key}/review")


def _scaffold(study: StudyFolder, export: Any, fmt: str | None, lang: Any) -> None:
    inf = infer_export(export, format=fmt if fmt in FORMATS else None)
    scaffold_from_export(study.folder, export, lang=lang, inference=inf)
    study.save_state(
        {"inference": inf.model_dump(mode="json"), "data_file": export.name, "lang": lang}
    )


def _duplicates(study: StudyFolder) -> list[Any]:
    """The forms sent twice, as ``validate`` finds them (empty when the data cannot be read)."""
    try:
        report = validate_study(study.study, show=10)
    except PublicevalError:
        return []
    return [g for g in report.groups if g.reason is RejectReason.DUPLICATE_SUBMISSION]


async def review(request: Request) -> Response:
    """Step 2: what was inferred, with a form to correct it (POST writes ``study.toml``)."""
    lang = ui_lang(request)
    try:
        study = _study(request)
    except PublicevalError as exc:
        return error_page(request, str(exc), 404)
    state = study.load_state()
    if request.method == "POST":
        form = await request.form(max_fields=10_000)  # five fields an OPD, one a question
        fields = {k: str(v) for k, v in form.multi_items() if isinstance(v, str)}
        if not csrf_ok(request, fields.get("csrf")):
            return error_page(request, translate("csrf", lang), 403)
        if state is None:
            return error_page(request, translate("existing-intro", lang), 400)
        try:
            state = apply_corrections(state, fields)
            await run_in_threadpool(save_study, study, state, state.get("lang", lang))
        except PublicevalError as exc:
            return error_page(request, str(exc), 400, lead="not-saved")
        study.save_state(state)
        return _redirect(request, f"/s/{study.key}/review?saved=1")  # a reload posts nothing
    try:
        loaded = await run_in_threadpool(load_study, study.study)
    except PublicevalError as exc:
        return error_page(request, str(exc), 400)
    duplicates = await run_in_threadpool(_duplicates, study)
    return page(
        request,
        "review.html",
        step="review",
        study=study,
        state=state,
        inf=state_inference(state) if state else None,
        survey=loaded.survey,
        spec=loaded.spec,
        duplicates=duplicates,
        saved=request.query_params.get("saved") == "1",
        elements=SKM_ELEMENTS,
    )


async def validate(request: Request) -> Response:
    """Step 3: rows read, used and rejected, why, the gates and what to do."""
    try:
        study = _study(request)
    except PublicevalError as exc:
        return error_page(request, str(exc), 404)
    try:
        report = await run_in_threadpool(validate_study, study.study, show=5)
        opds = (await run_in_threadpool(load_study, study.study)).survey.opds
    except PublicevalError as exc:
        return error_page(request, str(exc), 400)
    names = {o.id: o.short_name or o.name for o in opds}
    return page(request, "validate.html", step="validate", study=study, report=report, names=names)


def _evaluate(study: StudyFolder) -> None:
    evaluation = load_study(study.study).evaluate()
    study.forget_evaluation()
    atomic_write(study.evaluation_file, evaluation.model_dump_json().encode("utf-8"))


async def evaluate(request: Request) -> Response:
    """Run the evaluation with the gates on; a gate that stops it is shown with its fix."""
    lang = ui_lang(request)
    form = await request.form()
    if not csrf_ok(request, form.get("csrf")):
        return error_page(request, translate("csrf", lang), 403)
    try:
        study = _study(request)
        await run_in_threadpool(_evaluate, study)
    except GateError as exc:
        return page(
            request,
            "error.html",
            status_code=409,
            message=str(exc),
            lead=translate("gates-failed", lang),
            fix=translate("gate-fix", lang),
            back=f"/s/{request.path_params['key']}/validate",
        )
    except PublicevalError as exc:
        return error_page(request, str(exc), 400)
    return _redirect(request, f"/s/{study.key}/report")


def _pdf_available() -> bool:
    """The pdf extra is installed (whether Pango loads shows only when a PDF is made)."""
    try:
        return importlib.util.find_spec("weasyprint") is not None
    except (ImportError, ValueError):  # ValueError: a module set to None (blocked)
        return False


async def report(request: Request) -> Response:
    """Step 4: the report's preview and every download."""
    try:
        study = _study(request)
    except PublicevalError as exc:
        return error_page(request, str(exc), 404)
    current = study.evaluation_is_current()
    pdf = _pdf_available()
    return page(
        request,
        "report.html",
        step="report",
        study=study,
        current=current,
        pdf=pdf,
        downloads=study_downloads(pdf) if current else [],
        report_lang=_preview_lang(request),
    )


def _preview_lang(request: Request) -> str:
    """The preview's language: ``?preview=`` when given, else the page's."""
    asked = request.query_params.get("preview")
    return asked if asked in ("id", "en") else ui_lang(request)


async def preview(request: Request) -> Response:
    """The HTML report as a page of its own (shown in the report step's frame)."""
    try:
        study = _study(request)
        return await run_in_threadpool(preview_response, study, request.path_params["report_lang"])
    except PublicevalError as exc:
        return error_page(request, str(exc), 404)


async def download(request: Request) -> Response:
    """A report (HTML, PDF, XLSX, JSON in either language), ``study.toml`` or the study's zip."""
    try:
        study = _study(request)
        return await run_in_threadpool(download_response, study, request.path_params["name"])
    except PluginError as exc:  # e.g. the pdf extra or the system's Pango is missing
        return error_page(request, str(exc), 503)
    except PublicevalError as exc:
        return error_page(request, str(exc), 404)
