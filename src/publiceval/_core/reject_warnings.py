"""What an evaluation says about rows it used but did not take whole."""

from __future__ import annotations

from .rejects import RejectLog
from .results import EvaluationWarning
from .text import Text

__all__ = ["kept_with_notes"]


def kept_with_notes(rejects: RejectLog) -> list[EvaluationWarning]:
    """Warnings for answers left out of used rows, and for submissions sent twice but kept."""
    out: list[EvaluationWarning] = []
    skipped = rejects.skipped_by_reason()
    kept = skipped.pop("duplicate_submission", 0)
    if skipped:
        n = sum(skipped.values())
        text = Text(
            id=f"{n} jawaban tidak sah dihitung sebagai tidak dijawab; jawaban lain pada "
            "baris yang sama tetap dipakai",
            en=f"{n} invalid answers were counted as unanswered; the other answers in their "
            "rows were used",
        )
        out.append(EvaluationWarning(code="answers_skipped", message=text.en, text=text))
    if kept:
        text = Text(
            id=f"{kept} kiriman tampak terkirim dua kali tetapi tetap dihitung "
            "(duplicates = 'keep-all')",
            en=f"{kept} submissions look sent twice but were kept (duplicates = 'keep-all')",
        )
        out.append(EvaluationWarning(code="duplicate_submissions_kept", message=text.en, text=text))
    return out
