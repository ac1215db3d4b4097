"""The summary in words at the top of a report, and the date it was made.

Generated from the evaluation: who answered, how many OPDs in each category, the top and the
bottom with what the data do and do not support about them, the survey-wide results, the
recommendations. Every sentence comes from the catalogue.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence

from .messages import Messages
from .views import OPDRow, RecommendationView, SchemeView, SurveyWideRow

__all__ = ["claims", "generated_date", "summary_lines"]


def generated_date(m: Messages) -> str:
    """Today (or ``SOURCE_DATE_EPOCH``, for reproducible builds) as the report's language writes it."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    day = (
        dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
        if epoch.isdigit()
        else dt.date.today()
    )
    return m.format("generated_on", date=f"{day.day} {m[f'month.{day.month}']} {day.year}")


def _names(rows: Sequence[OPDRow], m: Messages) -> str:
    """``RSUD``, ``RSUD dan Satpol PP``, ``A, B dan C`` (``and`` in English)."""
    labels = [r.label for r in rows]
    if len(labels) < 2:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} {m['list_and']} {labels[-1]}"


def claims(
    rows: Sequence[OPDRow], best: Sequence[OPDRow], worst: Sequence[OPDRow], m: Messages, level: str
) -> list[str]:
    """What the data do and do not support about the top and the bottom (OPDs sharing the
    first or last rank together), and the groups."""
    out = []
    n_ranked = len([r for r in rows if r.rank is not None])
    for which, group in (("top", best), ("bottom", worst)):
        if which == "bottom" and best and group and group[0].rank == best[0].rank:
            break  # everyone shares one rank: nothing to say about a bottom
        lows = [r.rank_low for r in group if r.rank_low is not None]
        highs = [r.rank_high for r in group if r.rank_high is not None]
        if not group or len(lows) != len(group) or len(highs) != len(group):
            continue
        low, high = min(lows), max(highs)
        clear = high == 1 if which == "top" else low == n_ranked
        if clear and len(group) == 1:
            out.append(m.format(f"sum_{which}_clear", name=group[0].label, level=level))
        elif not clear:
            key = f"sum_{which}_not_supported"
            out.append(m.format(key, name=_names(group, m), level=level, low=low, high=high))
    tiers = {r.tier for r in rows if r.tier is not None}
    if len(tiers) > 1:
        out.append(m.format("sum_tiers", tiers=len(tiers)))
    return out


def summary_lines(
    *,
    m: Messages,
    respondents: int,
    aggregate: bool,
    period: str,
    rows: Sequence[OPDRow],
    best: Sequence[OPDRow],
    worst: Sequence[OPDRow],
    scheme: SchemeView | None,
    survey_wide: Sequence[SurveyWideRow],
    recommendations: Sequence[RecommendationView],
    level: str,
) -> tuple[str, ...]:
    """The summary's sentences, in reading order (:func:`claims` among them)."""
    out = []
    if aggregate:
        out.append(m.format("sum_respondents_aggregate", opds=len(rows)))
    else:
        out.append(
            m.format("sum_respondents", respondents=respondents, opds=len(rows), period=period)
        )
    if scheme is not None:
        counts = [
            m.format("sum_category_count", count=count, label=band.label)
            for band, count, _ in scheme.counts
            if count
        ]
        if counts:
            out.append(m.format("sum_categories", counts=", ".join(counts)))
    if best and worst and best[0].rank != worst[0].rank:
        out.append(m.format("sum_top", names=_names(best, m), score=best[0].score_text))
        out.append(m.format("sum_bottom", names=_names(worst, m), score=worst[0].score_text))
        out += claims(rows, best, worst, m, level)
    for w in survey_wide:
        if w.value is not None:
            out.append(
                m.format(
                    "sum_survey_wide",
                    question=w.text,
                    value=w.value_text,
                    category=w.category or m.dash,
                )
            )
    if recommendations:
        urgent = sum(1 for r in recommendations if r.priority == 1)
        key = "sum_recommendations" if urgent else "sum_recommendations_plain"
        out.append(m.format(key, count=len(recommendations), urgent=urgent))
    return tuple(out)
