"""Build a :class:`Comparison` from evaluations of the same instrument in successive periods.

Works on :class:`Evaluation` objects alone (a study just evaluated, or an evaluation's JSON read
back), so published comparisons can be re-run from the published JSON.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import numpy as np

from ..errors import StudyError
from ..results import Evaluation, ItemInfo, OPDResult, Score
from ..survey import Item
from ..table import ResponseTable
from .change import adjust_family, score_change
from .match import OPDPair, check_instruments, pair_opds
from .models import (
    CategoryTransition,
    Change,
    Comparison,
    ItemChange,
    OPDChange,
    OPDPresence,
    PeriodInfo,
    RankChange,
    Step,
)
from .paired import Influence, Link, influence, linear_coefficients, link

__all__ = ["compare_evaluations", "period_label"]


def period_label(evaluation: Evaluation) -> str:
    """A short name for a period: its dates when known, else its title."""
    if evaluation.period_start and evaluation.period_end:
        return f"{evaluation.period_start.isoformat()}/{evaluation.period_end.isoformat()}"
    return evaluation.title


def _package_version() -> str:
    try:
        return version("publiceval")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return ""


def _rank(pair: OPDPair, a: Evaluation, b: Evaluation) -> RankChange:
    return RankChange(
        before=pair.before.rank,
        after=pair.after.rank,
        before_interval=pair.before.uncertainty.rank_interval,
        after_interval=pair.after.uncertainty.rank_interval,
        ranked_before=sum(1 for r in a.opds if r.rank is not None),
        ranked_after=sum(1 for r in b.opds if r.rank is not None),
    )


def _category(before: OPDResult, after: OPDResult) -> CategoryTransition | None:
    ca, cb = before.category, after.category
    if ca is None and cb is None:
        return None
    return CategoryTransition(
        scheme=(cb or ca).scheme,  # type: ignore[union-attr]
        before=ca.code if ca else None,
        after=cb.code if cb else None,
        before_label=ca.label if ca else None,
        after_label=cb.label if cb else None,
        changed=(ca.code if ca else None) != (cb.code if cb else None),
        after_probability=after.uncertainty.category_probability,
    )


def _items_text(items: Sequence[ItemInfo]) -> dict[str, ItemInfo]:
    return {i.id: i for i in items}


def _step(
    a: Evaluation,
    b: Evaluation,
    labels: tuple[str, str],
    level: float,
    mapping: Mapping[str, str] | None,
    aliases: tuple[Mapping[str, Sequence[str]], Mapping[str, Sequence[str]]],
    tables: tuple[ResponseTable | None, ResponseTable | None] = (None, None),
) -> Step:
    check_instruments(a, b, *labels)
    pairs, gone, new = pair_opds(a, b, mapping, aliases[0], aliases[1])
    info = _items_text(b.items)
    linker = Linker(a, b, tables[0], tables[1])
    scores = adjust_family(
        [score_change(p.before.score, p.after.score, level, link=linker.score(p)) for p in pairs],
        "opd-scores",
        level,
    )
    item_ids = [i.id for i in b.items if i.scope == "opd"]
    per_item: dict[str, list[Change]] = {}
    for item in item_ids:
        raw = []
        for p in pairs:
            sa = next((s.score for s in p.before.items if s.item == item), None)
            sb = next((s.score for s in p.after.items if s.item == item), None)
            raw.append(score_change(sa, sb, level, link=linker.item(p, item, sa, sb)))
        per_item[item] = adjust_family(raw, f"item:{item}", level)
    changes = []
    for k, p in enumerate(pairs):
        items = [
            ItemChange(item=i, element=info[i].element, text=info[i].text, change=per_item[i][k])
            for i in item_ids
            if per_item[i][k].difference is not None
        ]
        changes.append(
            OPDChange(
                opd=p.after.opd,
                opd_before=p.before.opd,
                name=p.after.name,
                short_name=p.after.short_name,
                matched_by=p.matched_by,
                name_before=p.before.name if p.before.name != p.after.name else None,
                score=scores[k],
                rank=_rank(p, a, b),
                category=_category(p.before, p.after),
                items=items,
            )
        )
    changes.sort(key=lambda c: (c.score.difference is None, -(c.score.difference or 0.0), c.opd))
    wide_a = {w.item: w for w in a.survey_wide}
    common = [w for w in b.survey_wide if w.item in wide_a]
    wide = adjust_family(
        [
            score_change(
                wide_a[w.item].score,
                w.score,
                level,
                link=linker.wide(w.item, wide_a[w.item].score, w.score),
            )
            for w in common
        ],
        "survey-wide",
        level,
    )
    return Step(
        before=labels[0],
        after=labels[1],
        opds=changes,
        appeared=[_presence(r, "appeared") for r in new],
        disappeared=[_presence(r, "disappeared") for r in gone],
        survey_wide=[
            ItemChange(item=w.item, text=w.text, change=c)
            for w, c in zip(common, wide, strict=True)
        ],
    )


class Linker:
    """The links of respondents between two periods' response tables (see :mod:`.paired`)."""

    def __init__(
        self, a: Evaluation, b: Evaluation, ta: ResponseTable | None, tb: ResponseTable | None
    ) -> None:
        self.b = b
        self.tables = (
            (ta, tb)
            if ta is not None and tb is not None and _real_ids(ta) and _real_ids(tb)
            else None
        )

    def _opd(self, t: ResponseTable, opd: str) -> int | None:
        return next((k for k, o in enumerate(t.survey.opds) if o.id == opd), None)

    def _inf(
        self, t: ResponseTable, opd: str | None, items: list[Item], coef: list[float]
    ) -> Influence | None:
        if opd is None:
            return influence(t, items, coef, opd=None)
        k = self._opd(t, opd)
        return None if k is None else influence(t, items, coef, opd=k)

    def score(self, p: OPDPair) -> Link | None:
        """The link of an OPD's score (a method's linear combination of item means)."""
        if self.tables is None:
            return None
        ta, tb = self.tables
        m = self.b.provenance.method
        found = [linear_coefficients(t, m.name, dict(m.options)) for t in (ta, tb)]
        fa, fb = found
        if fa is None or fb is None:
            why = f"the method {m.name!r} is not a linear combination of item means"
            return self._count_only(p, why)
        return link(
            self._inf(ta, p.before.opd, *fa),
            self._inf(tb, p.after.opd, *fb),
            p.before.score,
            p.after.score,
        )

    def _count_only(self, p: OPDPair, why: str) -> Link | None:
        assert self.tables is not None
        ta, tb = self.tables
        ka, kb = self._opd(ta, p.before.opd), self._opd(tb, p.after.opd)
        if ka is None or kb is None:
            return None
        ids_a = _texts(ta, ta.per_opd.respondent[ta.per_opd.opd == ka])
        ids_b = _texts(tb, tb.per_opd.respondent[tb.per_opd.opd == kb])
        nc = int(np.intersect1d(ids_a, ids_b).size)
        if nc == 0:
            return None
        return Link(
            nc,
            None,
            f"{nc} respondent(s) answered in both periods, but the covariance cannot be "
            f"estimated ({why}): the change is treated as independent samples",
        )

    def item(self, p: OPDPair, item: str, sa: Score | None, sb: Score | None) -> Link | None:
        """The link of one per-OPD item mean."""
        if self.tables is None:
            return None
        ta, tb = self.tables
        ia, ib = ta.survey.item_map[item], tb.survey.item_map[item]
        return link(
            self._inf(ta, p.before.opd, [ia], [1.0]),
            self._inf(tb, p.after.opd, [ib], [1.0]),
            sa,
            sb,
        )

    def wide(self, item: str, sa: Score | None, sb: Score | None) -> Link | None:
        """The link of a survey-wide question's mean (respondents linked whatever their OPD)."""
        if self.tables is None:
            return None
        ta, tb = self.tables
        ia, ib = ta.survey.item_map[item], tb.survey.item_map[item]
        return link(self._inf(ta, None, [ia], [1.0]), self._inf(tb, None, [ib], [1.0]), sa, sb)


def _real_ids(table: ResponseTable) -> bool:
    """Whether the respondent ids came from the data (not the row numbers given in their
    absence, which would link unrelated people)."""
    block = table.per_opd
    if block.n_rows == 0:
        return False
    ids = _texts(table, block.respondent)
    return not bool(np.all(ids == block.source_row.astype(str)))


def _texts(table: ResponseTable, codes: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """The respondent ids of ``codes`` as a numpy array of text."""
    return np.asarray(table.respondent_ids[codes], dtype=object).astype(str)


def _presence(r: OPDResult, status: str) -> OPDPresence:
    return OPDPresence.model_validate(
        {"opd": r.opd, "name": r.name, "short_name": r.short_name, "status": status}
    )


def compare_evaluations(
    evaluations: Sequence[Evaluation],
    *,
    labels: Sequence[str] | None = None,
    sources: Sequence[str | None] | None = None,
    mapping: Mapping[str, str] | Sequence[Mapping[str, str]] | None = None,
    aliases: Sequence[Mapping[str, Sequence[str]]] | None = None,
    confidence: float | None = None,
    tables: Sequence[ResponseTable | None] | None = None,
) -> Comparison:
    """Compare each period with the next: the change per OPD, element and survey-wide question.

    ``mapping`` (earlier id → later id) pairs renamed OPDs; one mapping serves every step, or
    give one per step. ``aliases`` (per period: OPD id → other names) helps match by name.
    ``confidence`` defaults to that of the latest evaluation. ``tables`` (per period: the
    response table the evaluation scored, or None) links respondents by id across periods:
    a change whose OPD has respondents in both periods is then paired (see :mod:`.paired`).
    """
    if len(evaluations) < 2:
        raise StudyError(f"compare: expected two or more periods; found {len(evaluations)}")
    labels = list(labels or [period_label(e) for e in evaluations])
    if len(labels) != len(evaluations) or len(set(labels)) != len(labels):
        raise StudyError(f"compare: expected one distinct label per period; found {labels}")
    level = confidence if confidence is not None else evaluations[-1].provenance.confidence
    if not 0 < level < 1:
        raise StudyError(f"compare: confidence must lie between 0 and 1; found {level}")
    steps_maps: list[Mapping[str, str] | None]
    if mapping is None or isinstance(mapping, Mapping):
        steps_maps = [mapping] * (len(evaluations) - 1)
    else:
        steps_maps = list(mapping)
    no_alias: Mapping[str, Sequence[str]] = {}
    al = list(aliases) if aliases is not None else [no_alias] * len(evaluations)
    tabs = list(tables) if tables is not None else [None] * len(evaluations)
    if len(tabs) != len(evaluations):
        raise StudyError(f"compare: expected one table (or None) per period; found {len(tabs)}")
    steps = [
        _step(
            a,
            b,
            (labels[i], labels[i + 1]),
            level,
            steps_maps[i],
            (al[i], al[i + 1]),
            (tabs[i], tabs[i + 1]),
        )
        for i, (a, b) in enumerate(itertools.pairwise(evaluations))
    ]
    src = list(sources or [e.provenance.data_source for e in evaluations])
    last = evaluations[-1]
    scale = next((r.score.scale for r in last.opds), None)
    if scale is None:
        raise StudyError("compare: the latest period has no OPD results")
    paired = any(c.score.paired for st in steps for c in st.opds)
    return Comparison(
        test="welch-t / paired (linked respondents), holm" if paired else "welch-t, holm",
        title=" → ".join(e.title for e in evaluations)
        if len({e.title for e in evaluations}) > 1
        else last.title,
        city=last.city,
        method=last.provenance.method,
        scheme=last.provenance.scheme.name if last.provenance.scheme else None,
        scale=scale,
        confidence=level,
        periods=[
            PeriodInfo(
                label=lab,
                title=e.title,
                source=s,
                period_start=e.period_start,
                period_end=e.period_end,
                respondents=e.data.respondents,
                opds=len(e.opds),
            )
            for lab, e, s in zip(labels, evaluations, src, strict=True)
        ],
        steps=steps,
        version=_package_version(),
    )
