"""The questionnaire as data: what ``publiceval form`` asks, built from a study's survey.

One model feeds both outputs (the XLSForm for KoboToolbox/ODK and the paper form), so the two
ask the same questions with the same names. Every name and label is chosen so that an export
of the form reads back with the same study and no mapping: a question's name is the column the
study expects (or the item id), its label is the study's own text, and a choice's name is its
label written as an XML name (``"Sangat Baik"`` → ``sangat_baik``) or the OPD id.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from ..errors import StudyError
from ..profile import OPD_QUESTION, SUGGESTIONS_QUESTION, ProfileQuestion
from ..study import Study
from ..survey import Item, Scale, Survey
from ..table import ColumnMap
from ..text import Lang, Text

__all__ = [
    "Choice",
    "ChoiceList",
    "Question",
    "QuestionKind",
    "Questionnaire",
    "Section",
    "build_questionnaire",
    "choice_name",
    "is_xml_name",
    "study_questionnaire",
]

QuestionKind = Literal["select_one", "integer", "text"]

_XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
_NOT_WORD = re.compile(r"[^a-z0-9]+")

#: Interface texts of the form (section titles, instructions), in both languages.
UI: dict[str, Text] = {
    "respondent_section": Text(id="Data responden", en="About the respondent"),
    "rating_section": Text(id="Penilaian pelayanan", en="Rating of the service"),
    "general_section": Text(id="Pertanyaan umum", en="General questions"),
    "suggestions_section": Text(id="Kritik dan saran", en="Criticism and suggestions"),
    "respondent_no": Text(id="No. responden", en="Respondent no."),
    "instructions": Text(
        id="Pilih satu unit layanan, lalu beri tanda centang (✓) pada satu kotak untuk setiap "
        "pertanyaan sesuai pengalaman Saudara.",
        en="Choose one service unit, then tick (✓) one box for each question according to your "
        "experience.",
    ),
    "entry_note": Text(
        id="Entri data: judul kolom = kode dalam kotak abu-abu, atau teks pertanyaan bila tanpa kode.",
        en="Data entry: column header = the code in the grey box, or the question as printed.",
    ),
    "thanks": Text(id="Terima kasih atas partisipasi Saudara.", en="Thank you for taking part."),
    "years": Text(id="tahun", en="years"),
    "in_years": Text(id="Dalam tahun", en="In years"),
    "question": Text(id="Pertanyaan", en="Question"),
}


def is_xml_name(text: str) -> bool:
    """Whether ``text`` can name an XLSForm question (an XML element name, ASCII only)."""
    return bool(_XML_NAME.match(text)) and not text.lower().startswith("xml")


def choice_name(label: str) -> str:
    """A label as an XLSForm choice name: ``"Kurang Baik"`` → ``kurang_baik`` (ASCII, ``_``).

    The kobo reader turns such names back into the label they came from (it compares both
    ignoring case, accents and punctuation), so an "XML values" export reads as the labels.
    """
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return _NOT_WORD.sub("_", ascii_text.lower()).strip("_")


@dataclass(frozen=True)
class Choice:
    """One answer option: its name in exports and its label on the form."""

    name: str
    label: Text
    value: int | None = None
    """The scale point it stands for (``None`` for OPDs and profile choices)."""


@dataclass(frozen=True)
class ChoiceList:
    """The options of a select question (one list per scale, the OPDs, each profile choice)."""

    name: str
    choices: tuple[Choice, ...]


@dataclass(frozen=True)
class Question:
    """One question: ``name`` is its XLSForm name and the header of its column in exports."""

    name: str
    label: Text
    kind: QuestionKind
    column: str = ""
    """The header the study reads the answers from: what a clerk types on top of the column
    (printed on the paper form when it differs from the question's text)."""
    list_name: str | None = None
    required: bool = False
    number: int | None = None
    """The number printed before an item (items only)."""
    hint: Text | None = None
    unit: Text | None = None
    """Printed after a number's blank ("tahun" after the age)."""
    multiline: bool = False
    """A long free-text answer (the suggestions box): a text area, several lines on paper."""


@dataclass(frozen=True)
class Section:
    """A group of questions (an XLSForm group, a block of the paper form)."""

    name: str
    label: Text
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Questionnaire:
    """The whole form: a title, sections of questions and the choice lists they use."""

    title: str
    subtitle: str
    form_id: str
    sections: tuple[Section, ...]
    lists: dict[str, ChoiceList] = field(default_factory=dict)
    respondent_column: str | None = None
    """Printed as a "respondent no." box on paper when the study reads a respondent column."""
    timestamp_name: str = "end"
    """The name of the XLSForm's submission-time field (``end``): the study's timestamp
    column, so an export has the timestamp where the study looks for it."""

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question, in order."""
        return tuple(q for s in self.sections for q in s.questions)

    @property
    def version(self) -> str:
        """A short hash of the content: changes when the form does, stable otherwise."""
        digest = hashlib.sha256(repr((self.title, self.sections, self.lists)).encode())
        return digest.hexdigest()[:10]

    def text(self, key: str, lang: Lang) -> str:
        """An interface text of the form in ``lang``."""
        return UI[key].get(lang)


def _question_name(column: str | None, fallback: str, what: str) -> str:
    """The study's column as a name when it can be one, else ``fallback`` (an id)."""
    if column and is_xml_name(column):
        return column
    if column and is_xml_name(choice_name(column)):
        return choice_name(column)
    if is_xml_name(fallback):
        return fallback
    raise StudyError(
        f"form: {what} {fallback!r} cannot name an XLSForm question (a name starts with a letter "
        "or '_' and has only letters, digits, '_', '-' or '.'); rename it in the study"
    )


def _own_label(column: str | None, standard: Text) -> Text:
    """The standard label, in Indonesian replaced by the study's column when it is a sentence,
    so a labels export of the form has the very header the study names."""
    if column and not is_xml_name(column):
        return Text(id=column, en=standard.en)
    return standard


class _Builder:
    """Collects the choice lists while the sections are built."""

    def __init__(self, survey: Survey, columns: ColumnMap) -> None:
        self.survey, self.columns = survey, columns
        self.lists: dict[str, ChoiceList] = {}

    def add_list(self, base: str, choices: list[Choice]) -> str:
        name, k = base, 2
        while name in self.lists:
            name, k = f"{base}_{k}", k + 1
        self.lists[name] = ChoiceList(name, tuple(choices))
        return name

    def scale_list(self, scale: Scale) -> str:
        """The options of a scale, worst to best; unlabelled points are named by their number."""
        choices: list[Choice] = []
        used: set[str] = set()
        for value in range(scale.min, scale.max + 1):
            label = scale.label_for(value)
            name = choice_name(label.id) if label else ""
            if not name or name in used or (name.isdigit() and name != str(value)):
                name = str(value)  # a number reads as itself in any export
            used.add(name)
            text = label or Text(id=str(value), en=str(value))
            choices.append(Choice(name=name, label=text, value=value))
        return self.add_list(f"scale_{choice_name(scale.id) or 'x'}", choices)

    def opd_question(self) -> Question:
        opds = self.survey.opds
        self.add_list("opd", [Choice(name=o.id, label=Text(id=o.name, en=o.name)) for o in opds])
        set_by_study = "opd" in self.columns.model_fields_set
        column = self.columns.opd if set_by_study else None
        return Question(
            name=_question_name(column, "opd", "the OPD column"),
            label=_own_label(column, OPD_QUESTION),
            kind="select_one",
            column=column or "opd",
            list_name="opd",
            required=True,
        )

    def profile_question(self, p: ProfileQuestion) -> Question:
        # a sentence as column: the id names the question (headers find profile questions by id)
        column = p.column if p.column and is_xml_name(p.column) else None
        name = _question_name(column, p.id, "profile question")
        if p.kind != "choice" or not p.choices:
            kind: QuestionKind = "integer" if p.kind == "number" else "text"
            unit = UI["years"] if p.id == "age" and kind == "integer" else None
            hint = UI["in_years"] if unit else None
            return Question(
                name=name, label=p.text, kind=kind, column=p.data_column, unit=unit, hint=hint
            )
        choices: list[Choice] = []
        used: set[str] = set()
        for k, c in enumerate(p.choices, start=1):
            cname = choice_name(c.id)
            if not cname or cname in used:
                cname = f"{choice_name(p.id) or 'c'}_{k}"
            used.add(cname)
            choices.append(Choice(name=cname, label=c))
        list_name = self.add_list(f"profile_{choice_name(p.id) or 'x'}", choices)
        return Question(
            name=name, label=p.text, kind="select_one", column=p.data_column, list_name=list_name
        )

    def item_questions(
        self, chosen: tuple[Item, ...], scale_lists: dict[str, str], number: dict[str, int]
    ) -> tuple[Question, ...]:
        out = []
        for item in chosen:
            column = self.columns.items.get(item.id)
            if not (column and is_xml_name(column)):
                column = item.id  # a sentence as header: the id finds the column too
            out.append(
                Question(
                    name=_question_name(column, item.id, "item"),
                    label=item.text,
                    kind="select_one",
                    column=column,
                    list_name=scale_lists[item.scale],
                    required=item.required,
                    number=number[item.id],
                )
            )
        return tuple(out)

    def build(self) -> Questionnaire:
        survey, columns = self.survey, self.columns
        respondent = [self.opd_question(), *(self.profile_question(p) for p in survey.profile)]
        scale_lists = {s.id: self.scale_list(s) for s in survey.scales}
        ordered = [*survey.opd_items, *survey.survey_items]
        number = {item.id: k for k, item in enumerate(ordered, start=1)}
        sections = [
            Section("grp_responden", UI["respondent_section"], tuple(respondent)),
            Section(
                "grp_penilaian",
                UI["rating_section"],
                self.item_questions(survey.opd_items, scale_lists, number),
            ),
        ]
        if survey.survey_items:
            questions = self.item_questions(survey.survey_items, scale_lists, number)
            sections.append(Section("grp_umum", UI["general_section"], questions))
        if columns.suggestions:
            box = Question(
                name=_question_name(columns.suggestions, "saran", "the suggestions column"),
                label=_own_label(columns.suggestions, SUGGESTIONS_QUESTION),
                kind="text",
                column=columns.suggestions,
                multiline=True,
            )
            sections.append(Section("grp_saran", UI["suggestions_section"], (box,)))
        timestamp = _question_name(columns.timestamp, "end", "the timestamp column")
        _check_unique(sections, {"start", timestamp, *(s.name for s in sections)})
        return Questionnaire(
            title=survey.title,
            subtitle=_subtitle(survey),
            form_id=choice_name(survey.title)[:60] or "publiceval",
            sections=tuple(sections),
            lists=self.lists,
            respondent_column=columns.respondent or None,
            timestamp_name=timestamp,
        )


def study_questionnaire(study: Study) -> Questionnaire:
    """The questionnaire of a loaded study, with the columns its ``[data]`` table names."""
    columns = study.spec.data.columns if study.spec.data is not None else None
    return build_questionnaire(study.survey, columns)


def build_questionnaire(survey: Survey, columns: ColumnMap | None = None) -> Questionnaire:
    """The questionnaire of ``survey``: the OPD, the profile questions the study declares, the
    items (per OPD, then survey-wide) and, when the study keeps one, the suggestions box.

    ``columns`` is the study's ``[data.columns]``: names of the OPD, profile, item and
    suggestion columns, so an export has the headers the study reads.
    """
    return _Builder(survey, columns or ColumnMap()).build()


def _subtitle(survey: Survey) -> str:
    parts = [survey.organisation or "", survey.city or ""]
    if survey.period_start and survey.period_end:
        parts.append(f"{survey.period_start:%d/%m/%Y} - {survey.period_end:%d/%m/%Y}")
    return " · ".join(p for p in parts if p)


def _check_unique(sections: list[Section], reserved: set[str]) -> None:
    """Every question name once, and none taken by a group or a metadata field."""
    seen: dict[str, str] = {name.casefold(): f"the form's own field {name!r}" for name in reserved}
    for q in (q for s in sections for q in s.questions):
        key = q.name.casefold()
        if key in seen:
            raise StudyError(
                f"form: two questions would share the column {q.name!r} ({seen[key]} and "
                f"{q.label.id!r}); give them different ids or columns in the study"
            )
        seen[key] = repr(q.label.id)
