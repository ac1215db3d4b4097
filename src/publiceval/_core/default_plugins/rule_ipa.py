"""``ipa-concentrate``: items in the "concentrate here" quadrant of importance–performance analysis.

The ``ipa`` method puts ``evaluation.extras["ipa"] = {opd: {item: {"importance": float,
"performance": float, "quadrant": ...}}}``. Items citizens find important but rate low are
where improvement pays most (Martilla & James 1977, quadrant I, *prioritas utama*).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from pydantic import Field

from publiceval.plugin import (
    ITEM_FIELDS,
    OPD_FIELDS,
    Evaluation,
    Evidence,
    OPDMatch,
    Recommendation,
    RecommendationRule,
    RuleContext,
    RuleError,
    TemplatedOptions,
    Text,
    hookimpl,
    rule_recommendation,
)

QUADRANT = "concentrate-here"
QUADRANTS = ("concentrate-here", "keep-up-the-good-work", "low-priority", "possible-overkill")

DEFAULT_TITLE = Text(
    id="Prioritas utama perbaikan {short_name}: {items}",
    en="Concentrate here at {short_name}: {items}",
)
DEFAULT_TEXT = Text(
    id=(
        "Warga menilai {items} penting, tetapi kinerjanya di {name} rendah (kuadran prioritas "
        "utama analisis kepentingan–kinerja; kinerja terendah {item_score}). Arahkan sumber "
        "daya perbaikan ke unsur ini lebih dahulu."
    ),
    en=(
        "Citizens find {items} important but rate {name} low on it (the concentrate-here "
        "quadrant of importance–performance analysis; lowest performance {item_score}). "
        "Direct improvement resources here first."
    ),
)


class IPAConcentrateOptions(TemplatedOptions):
    """``max_items`` caps the items named per OPD (lowest performance first)."""

    TEMPLATE_FIELDS: ClassVar[frozenset[str]] = OPD_FIELDS | ITEM_FIELDS

    max_items: int | None = Field(default=None, ge=1)
    opds: list[str] | None = Field(default=None, min_length=1)
    priority: int = Field(default=2, ge=1)
    labels: dict[str, Text] = Field(default_factory=dict)
    title: Text | None = None
    text: Text | None = None
    decimals: int = Field(default=2, ge=0, le=6)


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RuleError(f"{where}: expected a number; found {value!r}")
    return float(value)


def read_ipa(extras: dict[str, Any]) -> dict[str, dict[str, tuple[float, float, str]]]:
    """``extras["ipa"]`` checked: OPD → item → (importance, performance, quadrant)."""
    if "ipa" not in extras:
        raise RuleError(
            "ipa-concentrate needs the results of the 'ipa' method (evaluation.extras['ipa']); "
            'none found: set [method] name = "ipa" in the study'
        )
    raw = extras["ipa"]
    if not isinstance(raw, dict):
        raise RuleError(f"extras['ipa']: expected a table of OPDs; found {type(raw).__name__}")
    out: dict[str, dict[str, tuple[float, float, str]]] = {}
    for opd, items in raw.items():
        if not isinstance(items, dict):
            raise RuleError(f"extras['ipa'][{opd!r}]: expected a table of items")
        out[opd] = {}
        for item, cell in items.items():
            where = f"extras['ipa'][{opd!r}][{item!r}]"
            if not isinstance(cell, dict):
                raise RuleError(f"{where}: expected importance, performance and quadrant")
            quadrant = cell.get("quadrant")
            if quadrant not in QUADRANTS:
                raise RuleError(
                    f"{where}: quadrant must be one of {', '.join(QUADRANTS)}; found {quadrant!r}"
                )
            out[opd][item] = (
                _number(cell.get("importance"), f"{where}['importance']"),
                _number(cell.get("performance"), f"{where}['performance']"),
                str(quadrant),
            )
    return out


class IPAConcentrate(RecommendationRule):
    """One recommendation per OPD naming its items in the concentrate-here quadrant."""

    name = "ipa-concentrate"
    title = Text(id="Kuadran prioritas utama (IPA)", en="IPA concentrate-here quadrant")
    Options = IPAConcentrateOptions

    def recommend(self, evaluation: Evaluation) -> list[Recommendation]:
        opts = self.options
        assert isinstance(opts, IPAConcentrateOptions)
        ctx = RuleContext(evaluation)
        ipa = read_ipa(dict(evaluation.extras))
        out = []
        for opd in ctx.opds:
            if opts.opds is not None and opd.opd not in opts.opds:
                continue
            cells = ipa.get(opd.opd, {})
            hits = sorted(
                ((perf, -imp, item) for item, (imp, perf, q) in cells.items() if q == QUADRANT)
            )
            if opts.max_items is not None:
                hits = hits[: opts.max_items]
            if not hits:
                continue
            evidence = []
            for perf, neg_imp, item in hits:
                note = f"importance {-neg_imp:g}, performance {perf:g}"
                evidence.append(
                    Evidence(
                        metric=f"IPA quadrant {item}",
                        value=QUADRANT,
                        comparator="=",
                        threshold=QUADRANT,
                        target=opd.opd,
                        note=note,
                    )
                )
                # the grid's cut points, when the method reports them (grand-mean grid)
                cut_i = opd.score.components.get("cut_importance")
                cut_p = opd.score.components.get("cut_performance")
                evidence.append(
                    Evidence(
                        metric=f"importance {item}",
                        value=-neg_imp,
                        comparator=">=" if cut_i is not None else "",
                        threshold=cut_i,
                        target=opd.opd,
                    )
                )
                evidence.append(
                    Evidence(
                        metric=f"performance {item}",
                        value=perf,
                        comparator="<" if cut_p is not None else "",
                        threshold=cut_p,
                        target=opd.opd,
                    )
                )
            found = OPDMatch(
                opd=opd, evidence=evidence, items=[h[2] for h in hits], item_score=hits[0][0]
            )
            out.append(
                rule_recommendation(
                    ctx,
                    found,
                    opts,
                    rule=self.label,
                    default=(DEFAULT_TITLE, DEFAULT_TEXT),
                    item_labels=opts.labels,
                )
            )
        return out


@hookimpl
def register_rules(register: Callable[[type[RecommendationRule]], None]) -> None:
    register(IPAConcentrate)
