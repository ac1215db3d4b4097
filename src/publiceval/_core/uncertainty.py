"""Attach uncertainty to OPD results: rank intervals, tiers, category probabilities, adequacy.

Called once by :func:`publiceval.evaluate` after the OPD results are built; the numbers come
from the kernels in :mod:`publiceval._core.stats`. What it writes is typed, and read by rules and
reporters:

``OPDResult.uncertainty`` (an :class:`~publiceval._core.results.OPDUncertainty`)
    ``rank_interval`` (low, high, level, method); ``tier``: 1 = the top group the data can tell
    apart; ``category_probabilities``: ``{band code: p}`` for the evaluation's scheme (summing
    to 1) and ``category_probability``: that of the reported category; ``adequacy`` (adequate,
    n, required, criterion); ``pairwise`` (on request): better_than, worse_than (OPD ids),
    method, level.
``OPDResult.flags``
    ``small-sample``, ``inadequate-sample``, ``excluded-from-ranking``, ``no-standard-error``.
Evaluation warnings
    ``inadequate_sample``, ``rank_not_supported`` (the first or last place is not borne out by
    the data), ``ranking_not_supported`` (no OPD can be told apart from any other),
    ``uncertainty_unavailable`` (no standard errors, e.g. published aggregates).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .errors import PublicevalError
from .estimation import variance_options
from .methods import MethodResult
from .ranking import competition_ranks
from .results import (
    AdequacyResult,
    EvaluationWarning,
    Interval,
    OPDResult,
    OPDUncertainty,
    PairwiseResult,
    RankInterval,
    SmallAreaResult,
)
from .schemes import CategoryScheme
from .statistics import DesignChoices, StatisticsOptions, design_choices
from .stats.adequacy import assess_adequacy
from .stats.categories import category_probabilities
from .stats.pairwise import pairwise_comparisons
from .stats.ranks import rank_intervals
from .stats.small_area import fay_herriot
from .stats.tiers import tiers
from .text import Text

__all__ = [
    "DesignChoices",
    "StatisticsOptions",
    "attach_uncertainty",
    "design_choices",
    "variance_options",
]


def _flag(flags: list[str], flag: str) -> None:
    if flag not in flags:
        flags.append(flag)


def attach_uncertainty(
    opd_results: Sequence[OPDResult],
    result: MethodResult,
    scheme: CategoryScheme | None,
    options: StatisticsOptions,
    *,
    population: Mapping[str, float | None] | None = None,
    confidence: float = 0.95,
    seed: int = 0,
    rank_precision: int | None = None,
    warnings: list[EvaluationWarning] | None = None,
    provenance: dict[str, Any] | None = None,
) -> list[OPDResult]:
    """New OPD results with uncertainty, flags and (when suppressing) updated ranks.

    ``warnings`` is extended in place with what the data do not support; ``provenance`` (the
    evaluation's statistics provenance) learns when small-area estimates could not be used.
    """
    warns: list[EvaluationWarning] = [] if warnings is None else warnings
    k = len(opd_results)
    if k == 0:
        return []
    pop_map = population or {}
    ids = [r.opd for r in opd_results]
    scores = [r.score for r in opd_results]
    value = np.array([np.nan if s.value is None else s.value for s in scores])
    se = np.array([np.nan if s.se is None else s.se for s in scores])
    df = np.array([np.inf if s.df is None else s.df for s in scores])
    n = np.array([s.n for s in scores], dtype=np.int64)
    cv = np.array([np.nan if s.cv is None else s.cv for s in scores])
    pop = np.array([np.nan if pop_map.get(i) is None else float(pop_map[i] or 0) for i in ids])
    has_value = np.isfinite(value)
    known_se = has_value & np.isfinite(se) & (df >= 1)
    unc: list[dict[str, Any]] = [r.uncertainty.model_dump(exclude_none=True) for r in opd_results]
    flags: list[list[str]] = [list(r.flags) for r in opd_results]
    ranks: list[int | None] = [r.rank for r in opd_results]

    # -- sample adequacy ------------------------------------------------------------------
    adequacy = assess_adequacy(n, pop, cv, options.adequacy)
    inadequate = np.array([a is False for a in adequacy.adequate])
    for g in np.flatnonzero(has_value):
        req = adequacy.required[g]
        unc[g]["adequacy"] = AdequacyResult(
            adequate=adequacy.adequate[g],
            n=int(n[g]),
            required=None if not np.isfinite(req) else float(req),
            criterion=adequacy.criterion[g],
        )
        if 0 < n[g] < options.small_n:
            _flag(flags[g], "small-sample")
        if not known_se[g]:
            _flag(flags[g], "no-standard-error")
        if inadequate[g]:
            _flag(flags[g], "inadequate-sample")
            if options.adequacy.criterion == "max-cv":
                what = Text(
                    id=f"koefisien variasi {cv[g]:.3g}, di atas batas {req:g}",
                    en=f"a coefficient of variation of {cv[g]:.3g}, above the {req:g} allowed",
                )
            else:
                what = Text(
                    id=f"{n[g]} responden, kurang dari {req:g} yang diperlukan ({adequacy.criterion[g]})",
                    en=f"{n[g]} respondents, fewer than the {req:g} required ({adequacy.criterion[g]})",
                )
            unranked = options.suppress_inadequate
            text = Text(
                id=f"OPD {ids[g]!r} memiliki {what.id}"
                + (" (tidak diperingkat)" if unranked else ""),
                en=f"OPD {ids[g]!r} has {what.en}"
                + (" (left out of the ranking)" if unranked else ""),
            )
            warns.append(
                EvaluationWarning(
                    code="inadequate_sample", message=text.en, text=text, target=ids[g]
                )
            )
    if options.suppress_inadequate and inadequate.any():
        keep = has_value & ~inadequate
        new = competition_ranks(
            [float(v) if kp else None for v, kp in zip(value, keep, strict=True)],
            precision=rank_precision,
        )
        for g in np.flatnonzero(inadequate & has_value):
            _flag(flags[g], "excluded-from-ranking")
        ranks = new

    # -- small-area estimates: ranks, sets, tiers and categories then use them -------------
    updates: list[dict[str, Any]] = [{} for _ in opd_results]
    if options.small_area != "off" and options.uncertainty:
        fit = _small_area(opd_results, value, se, known_se, options, confidence, unc, warns)
        if fit is None and provenance is not None:
            provenance["ranked"] = "direct (the small-area model could not be fitted)"
        if fit is not None:
            value, se, df = fit
            ranks = competition_ranks(
                [float(v) if r is not None else None for v, r in zip(value, ranks, strict=True)],
                precision=rank_precision,
            )
            for g in np.flatnonzero(known_se).tolist() if scheme is not None else []:
                assert scheme is not None
                cat = scheme.categorize(float(value[g]), result.scale)
                cats = {**opd_results[g].categories, **({cat.scheme: cat} if cat else {})}
                updates[g] = {"category": cat, "categories": cats}

    # -- ranks and tiers ------------------------------------------------------------------
    ranked = np.array([r is not None for r in ranks])
    idx = np.flatnonzero(ranked)
    if options.uncertainty and idx.size and not known_se[idx].any():
        text = Text(
            id="skor tidak memiliki galat baku (agregat terbitan atau responden terlalu sedikit), "
            "sehingga tidak dapat diuji apakah peringkat dan kategori didukung data",
            en="the scores have no standard errors (published aggregates or too few "
            "respondents), so whether ranks and categories are borne out by the data "
            "cannot be tested",
        )
        warns.append(EvaluationWarning(code="uncertainty_unavailable", message=text.en, text=text))
    elif options.uncertainty and idx.size >= 2:
        ri = rank_intervals(
            value[idx],
            np.where(known_se[idx], se[idx], np.nan),
            df=np.where(known_se[idx], df[idx], np.inf),
            level=confidence,
            method=options.rank_method,
            draws=options.draws,
            seed=seed,
            stepdown=options.rank_sets == "step-down",
        )
        shown = np.array([ranks[g] for g in idx], dtype=np.int64)
        low = np.minimum(ri.low, shown)
        high = np.maximum(ri.high, shown)
        tier = tiers(ri.better)
        for pos, g in enumerate(idx):
            unc[g]["rank_interval"] = RankInterval(
                low=int(low[pos]),
                high=int(high[pos]),
                level=confidence,
                method=options.rank_method,
            )
            unc[g]["tier"] = int(tier[pos])
        _rank_warnings(ids, idx, shown, low, high, tier, warns, confidence)
        if options.pairwise:
            pc = pairwise_comparisons(
                value[idx],
                np.where(known_se[idx], se[idx], np.nan),
                df=df[idx],
                level=confidence,
            )
            mat = pc.matrix(idx.size)
            for pos, g in enumerate(idx):
                unc[g]["pairwise"] = PairwiseResult(
                    better_than=[ids[idx[q]] for q in np.flatnonzero(mat[pos])],
                    worse_than=[ids[idx[q]] for q in np.flatnonzero(mat[:, pos])],
                    method="holm",
                    level=confidence,
                )
    elif options.uncertainty and idx.size == 1:
        g = idx[0]
        unc[g]["rank_interval"] = RankInterval(
            low=1, high=1, level=confidence, method=options.rank_method
        )
        unc[g]["tier"] = 1

    # -- category probabilities ----------------------------------------------------------
    if options.uncertainty and scheme is not None and known_se.any():
        bands = scheme.checked_bands(result.scale)
        precision = getattr(scheme.options, "precision", None)
        rows = np.flatnonzero(known_se)
        probs = category_probabilities(
            value[rows], se[rows], bands, df=df[rows], precision=precision
        )
        codes = [b.code for b in bands]
        for pos, g in enumerate(rows.tolist()):
            cp = {c: float(p) for c, p in zip(codes, probs[pos], strict=True)}
            unc[g]["category_probabilities"] = cp
            cat = updates[g].get("category", opd_results[g].category)
            if cat is not None and cat.code in cp:
                unc[g]["category_probability"] = cp[cat.code]

    out = [
        r.model_copy(
            update={
                "uncertainty": OPDUncertainty.model_validate(unc[g]),
                "flags": flags[g],
                "rank": ranks[g],
                **updates[g],
            }
        )
        for g, r in enumerate(opd_results)
    ]
    out.sort(key=lambda r: (r.rank is None, r.rank or 0, r.opd))
    return out


def _small_area(
    opd_results: Sequence[OPDResult],
    value: np.ndarray,
    se: np.ndarray,
    known: np.ndarray,
    options: StatisticsOptions,
    level: float,
    unc: list[dict[str, Any]],
    warns: list[EvaluationWarning],
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Fay–Herriot estimates of the OPDs with a known SE, written to ``unc``; the values, SEs
    (root MSEs) and df (normal) that ranks and categories then use. None when it cannot fit."""
    from scipy.special import ndtri

    rows = np.flatnonzero(known & (se > 0))
    listed = rows.tolist()
    x = np.ones((rows.size, 1))
    model = "fay-herriot (REML), toward the city mean"
    if options.small_area == "tags":
        tags = sorted({t for g in listed for t in opd_results[g].tags})
        has = np.array([[t in opd_results[g].tags for t in tags] for g in listed], np.float64)
        has = has.reshape(rows.size, len(tags))
        vary = (has.sum(axis=0) > 0) & (has.sum(axis=0) < rows.size)
        x = np.column_stack([x, has[:, vary]])
        model = "fay-herriot (REML), regression on the OPD tags"
    try:
        fit = fay_herriot(value[rows], se[rows], x)
    except PublicevalError as exc:
        text = Text(
            id=f"estimasi area kecil tidak dihitung: {exc}",
            en=f"small-area estimates were not computed: {exc}",
        )
        warns.append(EvaluationWarning(code="small_area_unavailable", message=text.en, text=text))
        return None
    z = float(ndtri(0.5 + level / 2.0))
    value, se = value.copy(), se.copy()
    df = np.where(known, np.inf, np.nan)
    for pos, g in enumerate(listed):
        est, rmse = float(fit.estimate[pos]), float(fit.rmse[pos])
        unc[g]["small_area"] = SmallAreaResult(
            estimate=est,
            rmse=rmse,
            ci=Interval(low=est - z * rmse, high=est + z * rmse, level=level, method="normal"),
            weight=float(fit.weight[pos]),
            synthetic=float(fit.synthetic[pos]),
            model=model,
        )
        value[g], se[g] = est, rmse
    return value, se, df


def _names(ids: Sequence[str], limit: int = 10) -> Text:
    """``'a', 'b' and 3 more`` — a bounded list of OPD ids for a message, in both languages."""
    shown = ", ".join(repr(i) for i in ids[:limit])
    rest = len(ids) - limit
    return Text(
        id=shown + (f" dan {rest} lainnya" if rest > 0 else ""),
        en=shown + (f" and {rest} more" if rest > 0 else ""),
    )


def _rank_warnings(
    ids: Sequence[str],
    idx: np.ndarray,
    shown: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    tier: np.ndarray,
    warns: list[EvaluationWarning],
    level: float,
) -> None:
    """Say when the first or last place, or the whole order, is not borne out by the data."""
    kk = idx.size
    pct = f"{level:.0%}"
    if int(tier.max()) == 1:
        text = Text(
            id=f"pada tingkat kepercayaan {pct} data tidak dapat membedakan satu pun dari {kk} "
            "OPD yang diperingkat: urutan peringkat bisa jadi hanya derau sampel",
            en=f"at {pct} confidence the data cannot tell any of the {kk} ranked OPDs "
            "apart from the others: the order of the ranking may be sampling noise",
        )
        warns.append(EvaluationWarning(code="ranking_not_supported", message=text.en, text=text))
    for pos in np.flatnonzero(shown == shown.min()):
        if high[pos] > 1:
            rivals = _names([ids[idx[q]] for q in np.flatnonzero(tier == 1) if q != pos])
            text = Text(
                id=f"OPD {ids[idx[pos]]!r} berada di peringkat pertama, tetapi pada tingkat "
                f"kepercayaan {pct} peringkatnya antara {low[pos]} dan {high[pos]}"
                + (f"; tidak dapat dibedakan dari {rivals.id}" if rivals.id else ""),
                en=f"OPD {ids[idx[pos]]!r} is ranked first, but at {pct} confidence "
                f"its rank lies between {low[pos]} and {high[pos]}"
                + (f"; it cannot be told apart from {rivals.en}" if rivals.en else ""),
            )
            warns.append(
                EvaluationWarning(
                    code="rank_not_supported", message=text.en, text=text, target=ids[idx[pos]]
                )
            )
    worst = shown.max()
    for pos in np.flatnonzero(shown == worst):
        if low[pos] < kk and worst > 1:
            text = Text(
                id=f"OPD {ids[idx[pos]]!r} berada di peringkat terakhir, tetapi pada tingkat "
                f"kepercayaan {pct} peringkatnya antara {low[pos]} dan {high[pos]} dari {kk}",
                en=f"OPD {ids[idx[pos]]!r} is ranked last, but at {pct} confidence its "
                f"rank lies between {low[pos]} and {high[pos]} of {kk}",
            )
            warns.append(
                EvaluationWarning(
                    code="rank_not_supported", message=text.en, text=text, target=ids[idx[pos]]
                )
            )
