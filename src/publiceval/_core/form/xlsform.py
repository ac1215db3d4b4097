"""The questionnaire as an XLSForm: the spreadsheet form definition KoboToolbox and ODK import.

Three sheets (``survey``, ``choices``, ``settings``) with ``label::Indonesian (id)`` and
``label::English (en)`` columns. Question names are the column headers the study reads and
choice names are labels written as names (or OPD ids), so an export, in "XML values" or in
"labels", evaluates with the same study as it is.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ..errors import PluginError
from ..text import Lang
from .model import Question, Questionnaire, is_xml_name

__all__ = ["LANGUAGES", "write_xlsform", "xlsform_bytes", "xlsform_rows"]

#: XLSForm language names (``Name (code)``, as ODK and Kobo expect) by publiceval language.
LANGUAGES: dict[Lang, str] = {"id": "Indonesian (id)", "en": "English (en)"}

_SURVEY_HEADER = [
    "type",
    "name",
    *(f"label::{LANGUAGES[lang]}" for lang in ("id", "en")),
    *(f"hint::{LANGUAGES[lang]}" for lang in ("id", "en")),
    "required",
    "appearance",
]
_CHOICES_HEADER = ["list_name", "name", *(f"label::{LANGUAGES[lang]}" for lang in ("id", "en"))]
_SETTINGS_HEADER = ["form_title", "form_id", "version", "default_language", "style"]


def _question_row(q: Question) -> list[str]:
    kind = f"select_one {q.list_name}" if q.kind == "select_one" else q.kind
    hint = q.hint
    return [
        kind,
        q.name,
        q.label.id,
        q.label.en,
        hint.id if hint else "",
        hint.en if hint else "",
        "yes" if q.required else "",
        "multiline" if q.multiline else "",
    ]


def xlsform_rows(form: Questionnaire, lang: Lang = "id") -> dict[str, list[list[str]]]:
    """The three sheets as rows of text (header first): what :func:`write_xlsform` writes."""
    survey: list[list[str]] = [_SURVEY_HEADER]
    if form.timestamp_name != "start":
        survey.append(["start", "start", "", "", "", "", "", ""])
    survey.append(["end", form.timestamp_name, "", "", "", "", "", ""])
    for section in form.sections:
        # a group of one question would only lengthen its header in exports ("A/B")
        grouped = len(section.questions) > 1
        if grouped:
            survey.append(
                ["begin_group", section.name, section.label.id, section.label.en, "", "", "", ""]
            )
        survey += [_question_row(q) for q in section.questions]
        if grouped:
            survey.append(["end_group", section.name, "", "", "", "", "", ""])
    choices: list[list[str]] = [_CHOICES_HEADER]
    for lst in form.lists.values():
        choices += [[lst.name, c.name, c.label.id, c.label.en] for c in lst.choices]
    form_id = form.form_id if is_xml_name(form.form_id) else f"f_{form.form_id}"
    settings = [
        _SETTINGS_HEADER,
        [form.title, form_id, form.version, LANGUAGES[lang], "pages"],
    ]
    return {"survey": survey, "choices": choices, "settings": settings}


def _openpyxl() -> Any:
    try:
        import openpyxl  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:  # pragma: no cover - depends on the environment
        raise PluginError(
            "form --format xlsform needs openpyxl; install the xlsx extra: "
            "pip install 'publiceval[xlsx]'"
        ) from None
    return openpyxl


def xlsform_bytes(form: Questionnaire, lang: Lang = "id") -> bytes:
    """The XLSForm as an .xlsx workbook (``lang`` is the form's default language)."""
    openpyxl = _openpyxl()
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in xlsform_rows(form, lang).items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        ws.freeze_panes = "A2"
        for column in ws.columns:
            width = max(len(str(c.value or "")) for c in column)
            ws.column_dimensions[column[0].column_letter].width = min(max(10, width + 2), 60)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_xlsform(form: Questionnaire, path: Path, lang: Lang = "id") -> Path:
    """Write the XLSForm to ``path`` (an .xlsx file) and return it."""
    path.write_bytes(xlsform_bytes(form, lang))
    return path
