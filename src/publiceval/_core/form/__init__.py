"""``publiceval form``: the study's questionnaire as an XLSForm (KoboToolbox, ODK) or on paper.

An export of either form evaluates with the same study and no mapping (see ``docs/form.md``).
"""

from __future__ import annotations

from .command import FORM_FORMATS, write_study_form
from .model import (
    Choice,
    ChoiceList,
    Question,
    Questionnaire,
    Section,
    build_questionnaire,
    choice_name,
    study_questionnaire,
)
from .paper import paper_html
from .xlsform import xlsform_bytes, xlsform_rows

__all__ = [
    "FORM_FORMATS",
    "Choice",
    "ChoiceList",
    "Question",
    "Questionnaire",
    "Section",
    "build_questionnaire",
    "choice_name",
    "paper_html",
    "study_questionnaire",
    "write_study_form",
    "xlsform_bytes",
    "xlsform_rows",
]
