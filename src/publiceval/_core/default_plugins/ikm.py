"""``ikm-2017`` and ``ikm-2004``: the Indonesian community-satisfaction index (IKM).

PermenPANRB 14/2017 (SKM): NRR (mean answer, 1–4) per element (*unsur*), weighted sum with
weights that sum to 1 (1/9 each by default), times 25 → IKM on 25–100. KepMenPAN 25/2004: the
same with 14 elements and weight 1/14. Elements are matched by name, never by column position.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, ConfigDict, JsonValue, field_validator, model_validator

from publiceval.plugin import (
    WEIGHT_TOLERANCE,
    AggregateScoringMethod,
    EvaluationWarning,
    Item,
    MethodResult,
    PluginError,
    Score,
    ScoreScale,
    ScoringContext,
    ScoringMethod,
    Survey,
    TableAggregates,
    Text,
    aggregate_item_scores,
    aggregate_survey_wide,
    combine_per_group,
    estimates_of,
    hookimpl,
    make_scores,
    performance_items,
)

from ._skm import SKM_2017_ELEMENTS, Element, element_key

__all__ = [
    "IKM2004",
    "IKM2017",
    "SKM_2017_ELEMENTS",
    "Element",
    "IKM2004Options",
    "IKM2017Options",
    "element_key",
]

#: The IKM conversion factor: NRR on 1–4 times 25 gives 25–100.
IKM_FACTOR = 25.0
#: The weight PermenPANRB 14/2017 prints for each of its nine elements (1/9 rounded).
LEGACY_WEIGHT_2017 = 0.111
#: The weight KepMenPAN 25/2004 prints for each of its 14 elements (1/14 rounded).
LEGACY_WEIGHT_2004 = 0.071


class IKM2017Options(BaseModel):
    """Options of ``ikm-2017``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    legacy_weight: bool = False
    """Weight each element 0.111, as the regulation prints it (maximum 99.9), for agreement with
    legacy reports; default is exactly 1/9."""
    weights: dict[str, float] | None = None
    """Custom element weights by element name (summing to 1); may name elements a unit added."""
    items: list[str] | None = None
    """Use only these per-OPD items (default: every performance item)."""

    # checked here, not at scoring time, so that a study file's mistake is refused at load time
    # with the file and the line of the key, like every other option error
    @field_validator("weights")
    @classmethod
    def _weights_sum_to_one(cls, weights: dict[str, float] | None) -> dict[str, float] | None:
        if weights is None:
            return None
        bad = {k: v for k, v in weights.items() if not (v >= 0 and np.isfinite(v))}
        if bad:
            raise ValueError(f"element weights must be non-negative numbers; found {bad}")
        total = float(sum(weights.values()))
        if not np.isfinite(total) or abs(total - 1.0) > WEIGHT_TOLERANCE:
            raise ValueError(
                f"element weights must sum to 1; they sum to {total:.12g}: make them add up to 1 "
                "(e.g. divide each by their sum)"
            )
        return weights

    @model_validator(mode="after")
    def _one_kind_of_weight(self) -> IKM2017Options:
        if self.weights is not None and self.legacy_weight:
            raise ValueError(
                "'legacy_weight' and 'weights' cannot both be given; legacy_weight means 0.111 "
                "for each of the nine elements"
            )
        return self


class IKM2004Options(BaseModel):
    """Options of ``ikm-2004``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    legacy_weight: bool = False
    """Weight each element 0.071, as reports print 1/14 (maximum 99.4); default exactly 1/14."""
    items: list[str] | None = None
    """The 14 per-OPD items, when the survey has more performance items than that."""


@dataclass(frozen=True)
class _Group:
    """One element as scored: its label, its items and its weight."""

    label: str
    items: tuple[Item, ...]
    weight: float


def _check_scale(survey: Survey, items: Sequence[Item], method: str) -> None:
    bad = [i for i in items if (survey.scale_of(i).min, survey.scale_of(i).max) != (1, 4)]
    if bad:
        found = ", ".join(
            f"{i.id} ({survey.scale_of(i).id}: {survey.scale_of(i).min}–{survey.scale_of(i).max})"
            for i in bad
        )
        raise PluginError(
            f"method {method!r}: the IKM is defined on answers 1–4 (×25 → 25–100); "
            f"found items on other scales: {found}"
        )


def _score_groups(
    method: str,
    groups: Sequence[_Group],
    aggregates: TableAggregates,
    context: ScoringContext,
    extras: dict[str, JsonValue],
    warnings: list[EvaluationWarning],
) -> MethodResult:
    """IKM = 25 × Σ_e w_e NRR_e, with NRR_e the mean of element e's item means."""
    survey = aggregates.survey
    items = [i for g in groups for i in g.items]
    _check_scale(survey, items, method)
    est = estimates_of(aggregates, items, population=context.population)
    scale = ScoreScale(low=25.0, high=100.0, unit="IKM 25-100")
    spans: list[tuple[_Group, list[int]]] = []
    start = 0
    for g in groups:
        spans.append((g, list(range(start, start + len(g.items)))))
        start += len(g.items)
    total = sum(g.weight for g in groups)
    n_opd = len(survey.opds)
    answered = est.wsum > 0
    # membership[g, c]: item c belongs to element g; weights spread over an element's answered items
    membership = np.zeros((len(groups), len(items)))
    for k, (_, cols) in enumerate(spans):
        membership[k, cols] = 1.0
    weight = np.array([g.weight for g in groups])
    n_have = answered.astype(np.float64) @ membership.T  # (OPDs × elements)
    has_element = n_have > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        # an element's NRR is the mean of the means of its answered items
        nrr = (np.where(answered, est.mean, 0.0) @ membership.T) / n_have
        per_item = np.where(has_element, weight / n_have, 0.0) @ membership
    coef = per_item * answered
    kept = coef.sum(axis=1)
    # elements nobody answered: the others' weights are rescaled to the same total
    coef = np.where(kept[:, None] > 0, coef * (total / np.where(kept > 0, kept, 1.0))[:, None], 0.0)
    mean_scale = (coef * np.where(answered, est.mean, 0.0)).sum(axis=1)
    labels = [g.label for g in groups]
    components: list[dict[str, float]] = []
    notes: list[list[str]] = []
    for o in range(n_opd):  # output records only; the numbers above are computed for all OPDs
        comp = {f"nrr:{lab}": float(nrr[o, k]) for k, lab in enumerate(labels) if has_element[o, k]}
        if kept[o] > 0:
            comp["mean_scale"] = float(mean_scale[o])
        components.append(comp)
        missing = [lab for k, lab in enumerate(labels) if not has_element[o, k]]
        notes.append(
            [
                "no answers for element(s) "
                + ", ".join(missing)
                + "; the IKM uses the remaining elements with their weights rescaled to the same total"
            ]
            if missing and kept[o] > 0
            else []
        )
    if n_opd and np.all(coef == coef[0]):
        combined = est.combine(coef[0], renormalize=False)  # the usual case: one set of weights
    else:
        combined = combine_per_group(est, coef)
    scores = make_scores(
        combined, scale, context.confidence, multiplier=IKM_FACTOR, components=components
    )
    opd_scores: dict[str, Score] = {}
    for opd, s, extra_notes in zip(survey.opds, scores, notes, strict=True):
        opd_scores[opd.id] = (
            s.model_copy(update={"notes": [*s.notes, *extra_notes]}) if extra_notes else s
        )
        if extra_notes:
            warnings.append(
                EvaluationWarning(code="ikm_missing_element", message=extra_notes[0], target=opd.id)
            )
    extras_out: dict[str, JsonValue] = {
        "weights": {g.label: g.weight for g in groups},
        "elements": {g.label: [i.id for i in g.items] for g in groups},
        "weight_sum": float(sum(g.weight for g in groups)),
        "max_ikm": float(IKM_FACTOR * 4 * sum(g.weight for g in groups)),
        **extras,
    }
    return MethodResult(
        scale=scale,
        opd_scores=opd_scores,
        item_scores=aggregate_item_scores(aggregates, est, items, context.confidence),
        survey_wide=aggregate_survey_wide(aggregates, context.confidence),
        extras={method: extras_out},
        warnings=warnings,
    )


def _match_2017(
    survey: Survey, opts: IKM2017Options, method: str
) -> tuple[list[_Group], list[EvaluationWarning]]:
    """Group the items by element name and attach the weights; refuse what does not fit."""
    known: list[tuple[str, set[str]]] = []
    weights: dict[str, float] = {}
    if opts.weights is not None:  # summing to 1, alone: checked by IKM2017Options
        for name, w in opts.weights.items():
            canon = next(
                (e for e in SKM_2017_ELEMENTS if element_key(name) in e.match_keys()), None
            )
            label = canon.name.id if canon else name
            keys = canon.match_keys() if canon else {element_key(name)}
            if any(label == k for k, _ in known):
                raise PluginError(f"method {method!r}: element {label!r} is weighted twice")
            known.append((label, keys))
            weights[label] = float(w)
    else:
        w = LEGACY_WEIGHT_2017 if opts.legacy_weight else 1.0 / len(SKM_2017_ELEMENTS)
        for e in SKM_2017_ELEMENTS:
            known.append((e.name.id, e.match_keys()))
            weights[e.name.id] = w

    def find(name: str) -> str | None:
        key = element_key(name)
        return next((label for label, keys in known if key in keys), None)

    members: dict[str, list[Item]] = {label: [] for label, _ in known}
    unknown: list[str] = []
    ignored: list[str] = []
    for item in performance_items(survey, opts.items):
        if item.element is not None:
            found = find(item.element)
            if found is None:
                unknown.append(f"{item.id} (element {item.element!r})")
                continue
        else:
            found = find(item.text.id) or find(item.text.en)
            if found is None:
                ignored.append(item.id)
                continue
        members[found].append(item)
    missing = [label for label, its in members.items() if not its]
    problems = []
    if unknown:
        problems.append("unknown element(s): " + ", ".join(unknown))
    if missing:
        problems.append("no item measures element(s): " + ", ".join(missing))
    if problems:
        expected = ", ".join(label for label, _ in known)
        raise PluginError(
            f"method {method!r}: " + "; ".join(problems) + f". Expected elements: {expected}. "
            "Name each item's element with Item.element (matched ignoring case, spaces and "
            "punctuation); for added elements give 'weights'"
        )
    warnings = []
    if ignored:
        warnings.append(
            EvaluationWarning(
                code="ikm_items_ignored",
                message=f"items {', '.join(ignored)} name no SKM element and are not part of the IKM",
            )
        )
    groups = [_Group(label, tuple(members[label]), weights[label]) for label, _ in known]
    return groups, warnings


class IKM2017(AggregateScoringMethod):
    """IKM by PermenPANRB 14/2017: 25 × Σ w_e NRR_e over the nine SKM elements, on 25–100.

    Components of each OPD score: ``nrr:<element>`` (NRR on 1–4) and ``mean_scale``
    (the IKM divided by 25, i.e. the weighted NRR on 1–4).
    """

    name = "ikm-2017"
    # the NRR of an element divides by the answers it was given: an invalid answer is one
    # fewer answer to that element, not a reason to drop the respondent's other answers
    default_invalid_answer = "skip-answer"
    title = Text(
        id="Indeks Kepuasan Masyarakat (PermenPANRB 14/2017)",
        en="Community Satisfaction Index (PermenPANRB 14/2017)",
    )
    Options = IKM2017Options

    def _options(self) -> IKM2017Options:
        opts = self.options
        if not isinstance(opts, IKM2017Options):
            raise PluginError(f"method {self.name!r} got options of the wrong type")
        return opts

    def aggregate_items(self, survey: Survey) -> tuple[str, ...]:
        """The items that measure an element."""
        groups, _ = _match_2017(survey, self._options(), self.name)
        return tuple(i.id for g in groups for i in g.items)

    def score_aggregates(
        self, aggregates: TableAggregates, context: ScoringContext
    ) -> MethodResult:
        opts = self._options()
        groups, warnings = _match_2017(aggregates.survey, opts, self.name)
        return _score_groups(
            self.name,
            groups,
            aggregates,
            context,
            {"legacy_weight": opts.legacy_weight, "custom_weights": opts.weights is not None},
            warnings,
        )


class IKM2004(AggregateScoringMethod):
    """IKM by KepMenPAN 25/2004: 25 × Σ NRR_j / 14 over 14 elements, on 25–100.

    The 14 elements are taken as the survey's 14 per-OPD performance items (or the 14 given in
    ``items``); their names are not checked, since the names are not part of this project's
    verified reference.
    """

    name = "ikm-2004"
    # the NRR of an element divides by the answers it was given: an invalid answer is one
    # fewer answer to that element, not a reason to drop the respondent's other answers
    default_invalid_answer = "skip-answer"
    title = Text(
        id="Indeks Kepuasan Masyarakat (KepMenPAN 25/2004)",
        en="Community Satisfaction Index (KepMenPAN 25/2004)",
    )
    Options = IKM2004Options

    def _groups(self, survey: Survey) -> tuple[IKM2004Options, list[_Group]]:
        opts = self.options
        if not isinstance(opts, IKM2004Options):
            raise PluginError(f"method {self.name!r} got options of the wrong type")
        items = performance_items(survey, opts.items)
        if len(items) != 14:
            raise PluginError(
                f"method {self.name!r} needs exactly 14 per-OPD performance items (the 14 "
                f"elements of KepMenPAN 25/2004); found {len(items)}: "
                f"{', '.join(i.id for i in items)}. Choose 14 with the 'items' option"
            )
        w = LEGACY_WEIGHT_2004 if opts.legacy_weight else 1.0 / 14
        return opts, [_Group(i.id, (i,), w) for i in items]

    def aggregate_items(self, survey: Survey) -> tuple[str, ...]:
        """The 14 element items."""
        return tuple(g.label for g in self._groups(survey)[1])

    def score_aggregates(
        self, aggregates: TableAggregates, context: ScoringContext
    ) -> MethodResult:
        opts, groups = self._groups(aggregates.survey)
        return _score_groups(
            self.name, groups, aggregates, context, {"legacy_weight": opts.legacy_weight}, []
        )


@hookimpl
def register_methods(register: Callable[[type[ScoringMethod]], None]) -> None:
    register(IKM2017)
    register(IKM2004)
