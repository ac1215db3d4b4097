"""What a report shows, as plain frozen data: rows, bands, schemes, warnings, the whole context."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..results import (
    ItemInfo,
    ScoreScale,
)
from ..text import Lang, format_number
from .messages import Messages
from .skm import SKMView

#: Decimals of scores in documents (published SKM results use two).
SCORE_DECIMALS = 2


#: Category probabilities below this are left out of the text (they stay in the data).
PROBABILITY_SHOWN = 0.005


COMPARATORS = {">=": "≥", "<=": "≤", "!=": "≠", "==": "="}


@dataclass(frozen=True)
class BandView:
    """One category band, ready to draw and to list."""

    code: str
    label: str
    low: float
    high: float
    order: int
    color: str
    low_text: str
    high_text: str


@dataclass(frozen=True)
class CategoryView:
    """The category an OPD got under one scheme."""

    scheme: str
    code: str
    label: str
    order: int
    color: str


@dataclass(frozen=True)
class ScaleView:
    """An answer scale: its points and their labels in the report's language."""

    min: int
    max: int
    points: tuple[int, ...]
    labels: tuple[str, ...]
    """One label per point (the point itself when the scale does not name it)."""


@dataclass(frozen=True)
class ItemRow:
    """One item's result for one OPD."""

    item: str
    label: str
    element: str | None
    value: float | None
    value_text: str
    n: int
    ci_low: float | None
    ci_high: float | None
    ci_text: str
    weakest: bool
    reverse: bool
    counts: tuple[int, ...]
    """Answers per scale point, in the order of ``scale.points``."""
    scale: ScaleView
    color: str


@dataclass(frozen=True)
class OPDRow:
    """Everything a report says about one OPD."""

    opd: str
    name: str
    label: str
    anchor: str
    rank: int | None
    rank_text: str
    shared_rank: bool
    score: float | None
    score_text: str
    n: int | None
    n_text: str
    se: float | None
    ci_low: float | None
    ci_high: float | None
    ci_text: str
    source: str
    category: CategoryView | None
    categories: dict[str, CategoryView]
    rank_low: int | None
    rank_high: int | None
    rank_interval_text: str
    probabilities: tuple[tuple[str, str, float, str], ...]
    """(code, label, probability, text) per category, most likely first."""
    probability_text: str
    probability_top: str
    """The most likely category and its probability (``Baik 90%``)."""
    tier: int | None
    tier_text: str
    adequacy: str
    """Whether the OPD has enough respondents, as a sentence (empty when not assessed)."""
    flags: tuple[str, ...]
    notes: tuple[str, ...]
    placeholder: bool
    """The score is a placeholder standing in for a value the publication did not give."""
    items: tuple[ItemRow, ...]
    item_map: dict[str, ItemRow]
    """The same items by id."""
    weakest: tuple[str, ...]
    """Labels of the weakest item(s)."""


@dataclass(frozen=True)
class DistributionRow:
    """One bar of a diverging stacked bar chart."""

    label: str
    counts: tuple[int, ...]
    n: int
    percents: tuple[float, ...]
    reverse: bool


@dataclass(frozen=True)
class DistributionGroup:
    """Bars that share one scale, so they share one legend."""

    title: str
    scale: ScaleView
    rows: tuple[DistributionRow, ...]


@dataclass(frozen=True)
class SurveyWideRow:
    """A survey-wide question and its result."""

    item: str
    text: str
    value: float | None
    value_text: str
    n: int
    ci_low: float | None
    ci_high: float | None
    ci_text: str
    category: str | None
    scale: ScaleView
    counts: tuple[int, ...]


@dataclass(frozen=True)
class SchemeView:
    """A category scheme: its bands and how many OPDs fell in each."""

    name: str
    title: str
    main: bool
    bands: tuple[BandView, ...]
    counts: tuple[tuple[BandView, int, str], ...]
    """(band, OPDs in it, "3 of 20 OPDs"), best band first."""
    precision: int | None
    options_json: str


@dataclass(frozen=True)
class EvidenceView:
    """One fact behind a recommendation."""

    metric: str
    value: str
    comparator: str
    threshold: str
    target: str
    note: str


@dataclass(frozen=True)
class RecommendationView:
    """A recommendation in the report's language, with its evidence."""

    priority: int
    target: str
    target_name: str
    city_wide: bool
    title: str
    text: str
    rule: str
    evidence: tuple[EvidenceView, ...]
    sentences: tuple[str, ...]
    """The evidence as sentences in the report's language."""


@dataclass(frozen=True)
class RejectView:
    """One rejected cell or row."""

    source: str
    row: int
    column: str
    value: str
    reason: str
    reason_label: str
    message: str


@dataclass(frozen=True)
class ReliabilityItemView:
    """One item's part in its dimension's reliability."""

    label: str
    alpha_if_deleted_text: str
    item_total_text: str
    notes: tuple[str, ...]


@dataclass(frozen=True)
class ReliabilityView:
    """Cronbach's α of one dimension of the instrument, with its CI and per-item diagnostics."""

    dimension: str
    n: int
    alpha_text: str
    ci_text: str
    items: tuple[ReliabilityItemView, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class WarningView:
    """A warning: its code, the code's label, the OPD it concerns, and the message (in the
    report's language where the warning carries a translation, else English)."""

    code: str
    label: str
    target: str
    message: str


@dataclass(frozen=True)
class ComponentView:
    """A plugin used in the evaluation, for the provenance appendix."""

    name: str
    title: str
    plugin: str
    options_json: str


@dataclass(frozen=True)
class ReportContext:
    """What every report format needs, in one language."""

    lang: Lang
    m: Messages
    title: str
    city: str
    organisation: str
    period: str
    respondents: int
    opd_count: int
    confidence: float
    confidence_text: str
    scale: ScoreScale
    scale_text: str
    aggregate: bool
    method: ComponentView
    scheme: SchemeView | None
    schemes: tuple[SchemeView, ...]
    """The main scheme first, then the compared ones."""
    opds: tuple[OPDRow, ...]
    any_shared_rank: bool
    has_rank_intervals: bool
    has_probabilities: bool
    has_tiers: bool
    ci_method: str
    items: tuple[ItemInfo, ...]
    """Per-OPD items that have scores, in survey order."""
    item_distributions: tuple[DistributionGroup, ...]
    survey_wide: tuple[SurveyWideRow, ...]
    survey_wide_distributions: tuple[DistributionGroup, ...]
    recommendations: tuple[RecommendationView, ...]
    rows_read: int
    rows_used: int
    rows_rejected: int
    reasons: tuple[tuple[str, str, int], ...]
    """(code, label, rows) per reject reason."""
    rejects: tuple[RejectView, ...]
    rejects_truncated: bool
    small_samples: tuple[OPDRow, ...]
    warnings: tuple[WarningView, ...]
    rules: tuple[ComponentView, ...]
    library: str
    version: str
    schema_version: str
    seed: str
    data_source: str
    reliability: tuple[ReliabilityView, ...]
    """Cronbach's α per dimension, when the evaluation was asked for it."""
    best: tuple[OPDRow, ...]
    """The OPD(s) sharing the best rank."""
    worst: tuple[OPDRow, ...]
    """The OPD(s) sharing the worst rank."""
    summary_lines: tuple[str, ...] = ()
    """The summary in words, generated from the evaluation."""
    claims: tuple[str, ...] = ()
    """The summary's sentences on what the data support about the top and the bottom."""
    generated: str = ""
    """The date the report was made, in the report's language."""
    item_labels: tuple[str, ...] = ()
    """Each of ``items`` by its element's name (else its text) in the report's language."""
    skm: SKMView | None = None
    extra: dict[str, object] = field(default_factory=dict)

    def number(self, value: float | None, decimals: int = SCORE_DECIMALS) -> str:
        """A number as this report's language writes it."""
        return format_number(value, self.lang, decimals)
