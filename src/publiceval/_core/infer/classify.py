"""Each column's role in the study: the answers decide first, then the header's words.

A column whose cells are answer words or small numbers is a question, whatever its header says
("Penanganan pengaduan, saran dan masukan" is a question, not the suggestion box). Then the
header's words name the timestamp, the respondent, the profile questions and the suggestions;
the OPD column is the one whose header says so or whose values repeat a few agency names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..text import Text
from .export import ExportTable
from .headers import HeaderHint, free_text, header_hint
from .model import ColumnRole, Confidence, Role
from .opds import agency_share
from .scales import ColumnFit, fit_column

__all__ = ["Roles", "classify_columns"]

_DIRECT: dict[str, Role] = {
    "timestamp": "timestamp",
    "respondent": "respondent",
    "system": "system",
}
#: The OPD column's values repeat: at most this many distinct OPDs.
MAX_OPDS = 80


@dataclass
class Roles:
    """The columns by role (header names) and the decision about each column."""

    decisions: dict[str, ColumnRole] = field(default_factory=dict)
    questions: list[str] = field(default_factory=list)
    fits: dict[str, ColumnFit] = field(default_factory=dict)
    profile: dict[str, tuple[str, Text]] = field(default_factory=dict)
    """Profile question id → (column, why)."""
    timestamp: str | None = None
    respondent: str | None = None
    opd: str | None = None
    opd_others: list[str] = field(default_factory=list)
    """Other columns that looked like an OPD column, less so (named in the checklist)."""
    suggestions: str | None = None
    personal: list[str] = field(default_factory=list)
    """Columns of personal data (names, phone numbers): not used, and not to be published."""


def _decide(
    roles: Roles, table: ExportTable, column: str, role: Role, conf: Confidence, why: Text
) -> None:
    roles.decisions[column] = ColumnRole(
        column=column,
        letter=table.columns[column].letter,
        role=role,
        confidence=conf,
        why=why,
    )


def _opd_score(table: ExportTable, column: str, hint: HeaderHint | None) -> tuple[float, Text]:
    col = table.columns[column]
    distinct = len(col.counts)
    share = agency_share(col)
    repeats = not col.overflow and 1 <= distinct <= MAX_OPDS and distinct <= max(1, col.filled // 2)
    said = hint is not None and hint.role == "opd"
    score = (2.0 if said else 0.0) + 2.0 * share + (1.0 if repeats else 0.0)
    if not repeats or (not said and share < 0.5):
        return 0.0, Text(id="", en="")
    parts_id = [hint.why.id] if said and hint else []
    parts_en = [hint.why.en] if said and hint else []
    if share >= 0.5:
        parts_id.append(f"{share:.0%} isinya nama instansi (Dinas, Badan, RSUD ...)")
        parts_en.append(f"{share:.0%} of its cells name an agency (Dinas, Badan, RSUD ...)")
    parts_id.append(f"{distinct} nilai berbeda yang berulang")
    parts_en.append(f"{distinct} distinct values that repeat")
    return score, Text(id="; ".join(parts_id), en="; ".join(parts_en))


def classify_columns(table: ExportTable) -> Roles:
    """Decide every column's role (see the module's docstring for the order of evidence)."""
    roles = Roles()
    hints: dict[str, HeaderHint | None] = {}
    for column in table.columns:
        col = table.columns[column]
        hint = hints[column] = header_hint(column, col)
        fit = fit_column(col, underscores=table.format == "kobo")
        role = hint.role if hint else None
        direct = _DIRECT.get(role or "")
        # a second timestamp or respondent column is left unused, for the checklist
        first = direct == "system" or (direct is not None and getattr(roles, direct) is None)
        if hint is not None and direct is not None and first:
            if direct != "system":
                setattr(roles, direct, column)
            _decide(roles, table, column, direct, "high", hint.why)
            continue
        profile_id = role.split(":", 1)[1] if role and role.startswith("profile:") else None
        words_fit = fit is not None and fit.is_question and fit.set_name != "numbers"
        if profile_id and profile_id not in roles.profile and not words_fit:
            assert hint is not None
            roles.profile[profile_id] = (column, hint.why)
            _decide(roles, table, column, "profile", "high", hint.why)
            continue
        if fit is not None and fit.is_question:
            roles.fits[column] = fit
            roles.questions.append(column)
            _decide(
                roles,
                table,
                column,
                "question",
                "high" if fit.share >= 0.95 else "medium",
                Text(
                    id=f"{fit.share:.0%} jawabannya pada skala",
                    en=f"{fit.share:.0%} of its answers are on a scale",
                ),
            )
    scored = [
        (*_opd_score(table, column, hints[column]), column)
        for column in table.columns
        if column not in roles.decisions
    ]
    ranked = sorted((t for t in scored if t[0] > 0), key=lambda t: -t[0])
    if ranked:
        score, why, column = ranked[0]
        roles.opd = column
        roles.opd_others = [c for _, _, c in ranked[1:]]
        confidence: Confidence = "high" if score >= 4 and not roles.opd_others else "medium"
        _decide(roles, table, column, "opd", confidence, why)
    for column in table.columns:
        hint = hints[column]
        if column in roles.decisions or roles.suggestions is not None:
            continue
        if hint is not None and hint.role == "suggestions":
            roles.suggestions = column
            _decide(roles, table, column, "suggestions", "high", hint.why)
    for column in table.columns:
        hint = hints[column]
        if column not in roles.decisions and hint is not None and hint.role == "personal":
            roles.personal.append(column)
            _decide(roles, table, column, "unused", "high", hint.why)
    for column in table.columns:
        if column not in roles.decisions:
            free = free_text(table.columns[column])
            _decide(
                roles,
                table,
                column,
                "unused",
                "low",
                Text(
                    id="teks bebas yang tidak dikenali" if free else "tidak dikenali",
                    en="free text not recognised" if free else "not recognised",
                ),
            )
    return roles
