"""The questionnaire on paper: one self-contained HTML page to print on A4, for offline surveys.

Items that share a scale are printed as one grid (a row per question, a box per answer), the
OPDs as boxes in columns, so the nine SKM questions, the profile and the suggestions fit one
page. Every question shows its column header in a small grey code box: a clerk typing the
answers into a spreadsheet uses those codes (or the question texts as printed) as headers, and
the file evaluates with the same study.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from ..errors import PluginError
from ..profile import name_key
from ..text import Lang
from .model import ChoiceList, Question, Questionnaire

__all__ = ["paper_html"]


@dataclass(frozen=True)
class Grid:
    """Consecutive items on the same scale: printed as one table."""

    choices: ChoiceList
    questions: tuple[Question, ...]


def _jinja() -> Any:
    try:
        import jinja2
    except ImportError:  # pragma: no cover - depends on the environment
        raise PluginError(
            "form --format html needs Jinja2; install the report extra: "
            "pip install 'publiceval[report]'"
        ) from None
    return jinja2


@cache
def _template() -> Any:
    jinja = _jinja()
    env = jinja.Environment(
        loader=jinja.PackageLoader("publiceval._core.form", "templates"),
        undefined=jinja.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("paper.html.j2")


def _grids(form: Questionnaire, questions: tuple[Question, ...]) -> list[Grid]:
    grids: list[Grid] = []
    for q in questions:
        lst = form.lists[q.list_name or ""]
        if grids and grids[-1].choices.name == lst.name:
            grids[-1] = Grid(lst, (*grids[-1].questions, q))
        else:
            grids.append(Grid(lst, (q,)))
    return grids


def _opd_columns(n: int) -> int:
    """Columns of the OPD boxes: more OPDs, more (narrower) columns, to stay on one page."""
    return 1 if n <= 3 else 2 if n <= 8 else 3 if n <= 30 else 4


#: Characters of OPD names beyond which the list is printed smaller (about 36 names of 30).
_LONG_OPD_LIST = 1100


def paper_html(form: Questionnaire, lang: Lang = "id") -> str:
    """The paper questionnaire as one HTML document (no external assets) in ``lang``."""

    def code(q: Question) -> str:
        """The column header to type, when the printed text is not already it."""
        return "" if name_key(q.column) == name_key(q.label.get(lang)) else q.column

    blocks: list[dict[str, Any]] = []
    for section in form.sections:
        items = [q for q in section.questions if q.number is not None]
        others = [q for q in section.questions if q.number is None]
        # a section of one question with the section's own title (the suggestions box)
        alone = len(section.questions) == 1 and not items
        blocks.append(
            {
                "label": section.label.get(lang),
                "code": code(others[0]) if alone else "",
                "fields": [
                    {
                        "q": q,
                        "code": code(q),
                        "text": "" if alone else q.label.get(lang),
                        "choices": form.lists[q.list_name] if q.list_name else None,
                    }
                    for q in others
                ],
                "grids": _grids(form, tuple(items)),
            }
        )
    opds = form.lists["opd"].choices if "opd" in form.lists else ()
    n_opds = len(opds)
    html: str = _template().render(
        form=form,
        lang=lang,
        blocks=blocks,
        ui=lambda key: form.text(key, lang),
        code=code,
        opd_columns=_opd_columns(n_opds),
        small_opds=sum(len(c.label.get(lang)) for c in opds) > _LONG_OPD_LIST,
        dense=n_opds > 30 or len(form.questions) > 20,
    )
    return html
