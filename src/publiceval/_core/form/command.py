"""``publiceval form``: the study's questionnaire written to a file (the command's body)."""

from __future__ import annotations

from pathlib import Path

from ..errors import StudyError
from ..study import load_study
from ..text import Lang
from .model import study_questionnaire
from .paper import paper_html
from .xlsform import xlsform_bytes

__all__ = ["FORM_FORMATS", "write_study_form"]

#: Output formats and their file suffixes.
FORM_FORMATS: dict[str, str] = {"xlsform": ".xlsx", "html": ".html"}


def write_study_form(
    study: str | Path, fmt: str = "xlsform", output: Path | None = None, lang: str = "id"
) -> Path:
    """Write the questionnaire of ``study`` as ``fmt`` and return the file written.

    ``output`` (a file, or a folder to write into) defaults to ``<study>-form.xlsx`` (or
    ``.html``) next to the study file.
    """
    if fmt not in FORM_FORMATS:
        raise StudyError(f"form: unknown format {fmt!r}; expected one of {', '.join(FORM_FORMATS)}")
    language: Lang = "en" if lang == "en" else "id"
    study = Path(study)
    # the form reads no data: a [data] path outside the study's folder does no harm here
    loaded = load_study(study, allow_outside_data=True)
    questionnaire = study_questionnaire(loaded)
    if fmt == "xlsform":
        data = xlsform_bytes(questionnaire, language)
    else:
        data = paper_html(questionnaire, language).encode("utf-8")
    name = f"{study.stem}-form{FORM_FORMATS[fmt]}"
    target = output or loaded.base_dir / name
    if target.is_dir():
        target = target / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target
