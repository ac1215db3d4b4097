"""Respondent-profile questions: who answered (gender, age, education, occupation …).

PermenPANRB 14/2017 asks every SKM questionnaire for the respondent's gender, age, education
and occupation, and SKM reports show their distribution. A profile question is described, not
scored: its answers travel with the responses for the reports and for segment analyses.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from .text import Text

__all__ = [
    "OPD_QUESTION",
    "PROFILE_KINDS",
    "STANDARD_PROFILE",
    "STANDARD_QUESTIONS",
    "SUGGESTIONS_QUESTION",
    "ProfileKind",
    "ProfileQuestion",
    "name_key",
]

ProfileKind = Literal["choice", "number", "text"]
PROFILE_KINDS: tuple[ProfileKind, ...] = ("choice", "number", "text")

#: The profile questions PermenPANRB 14/2017 asks, by their conventional ids.
STANDARD_PROFILE: dict[str, Text] = {
    "gender": Text(id="Jenis kelamin", en="Gender"),
    "age": Text(id="Usia", en="Age"),
    "education": Text(id="Pendidikan terakhir", en="Education"),
    "occupation": Text(id="Pekerjaan utama", en="Occupation"),
}

#: The question that names the OPD being rated, as ``publiceval form`` prints it; a data column
#: headed with either wording is the OPD column when the study names none.
OPD_QUESTION = Text(id="Unit layanan (OPD) yang dinilai", en="Service unit (OPD) being rated")

#: The free-text question for criticism and suggestions, as ``publiceval form`` prints it.
SUGGESTIONS_QUESTION = Text(id="Kritik dan saran", en="Criticism and suggestions")

_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_JUNK = re.compile(r"[\W_]+", re.UNICODE)


def name_key(text: str) -> str:
    """Case-, space- and punctuation-insensitive key (``"DINAS  Kesehatan."`` → ``"dinas kesehatan"``).

    OPD names and their aliases match on this key, so a form's wording with other capitals,
    spacing or punctuation still finds its OPD.
    """
    return " ".join(_JUNK.sub(" ", text.casefold()).split())


class ProfileQuestion(BaseModel):
    """One respondent-profile question: its id, its text, its column and its answers.

    ``kind`` is ``choice`` (answers from ``choices``, matched ignoring case, spacing and
    punctuation; other answers are kept as typed and reported as "other"), ``number`` (e.g.
    age in years) or ``text``. ``column`` is the data header (default: ``id``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    text: Text
    column: str | None = None
    kind: ProfileKind = "choice"
    choices: tuple[Text, ...] = ()

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not _SLUG.match(v):
            raise ValueError(
                "profile question id must start with a letter or digit and use only letters, "
                f"digits, '-', '_' or '.'; found {v!r}"
            )
        return v

    @model_validator(mode="after")
    def _choices(self) -> ProfileQuestion:
        if self.choices and self.kind != "choice":
            raise ValueError(
                f"profile question {self.id!r}: choices are for kind 'choice'; found kind "
                f"{self.kind!r} with {len(self.choices)} choices"
            )
        keys = [name_key(c.id) for c in self.choices]
        dup = sorted({k for k in keys if keys.count(k) > 1})
        if dup:
            raise ValueError(
                f"profile question {self.id!r}: choice(s) listed twice: {', '.join(dup)}"
            )
        return self

    @property
    def data_column(self) -> str:
        """The header of the column holding the answers."""
        return self.column or self.id

    def choice_of(self, answer: str) -> int | None:
        """The position of ``answer`` among the choices (either language), or ``None``."""
        key = name_key(answer)
        for k, c in enumerate(self.choices):
            if key in (name_key(c.id), name_key(c.en)):
                return k
        return None


def _choices(*pairs: tuple[str, str]) -> tuple[Text, ...]:
    return tuple(Text(id=a, en=b) for a, b in pairs)


#: The four profile questions of PermenPANRB 14/2017 with the usual answer choices, as
#: ``publiceval init`` writes them for an SKM instrument (a study edits the choices to its form's).
STANDARD_QUESTIONS: tuple[ProfileQuestion, ...] = (
    ProfileQuestion(
        id="gender",
        text=STANDARD_PROFILE["gender"],
        choices=_choices(("Laki-laki", "Male"), ("Perempuan", "Female")),
    ),
    ProfileQuestion(id="age", text=STANDARD_PROFILE["age"], kind="number"),
    ProfileQuestion(
        id="education",
        text=STANDARD_PROFILE["education"],
        choices=_choices(
            ("SD ke bawah", "Primary or less"),
            ("SMP", "Junior high"),
            ("SMA", "Senior high"),
            ("D1-D3-D4", "Diploma"),
            ("S1", "Bachelor"),
            ("S2 ke atas", "Master or above"),
        ),
    ),
    ProfileQuestion(
        id="occupation",
        text=STANDARD_PROFILE["occupation"],
        choices=_choices(
            ("PNS", "Civil servant"),
            ("TNI/Polri", "Military/police"),
            ("Swasta", "Private sector"),
            ("Wirausaha", "Self-employed"),
            ("Pelajar/Mahasiswa", "Student"),
            ("Lainnya", "Other"),
        ),
    ),
)
