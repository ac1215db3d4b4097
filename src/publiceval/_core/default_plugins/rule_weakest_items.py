"""``weakest-items``: a follow-up plan (*rencana tindak lanjut*) from each OPD's lowest items."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from pydantic import Field

from publiceval.plugin import (
    ITEM_FIELDS,
    OPD_FIELDS,
    Evaluation,
    Evidence,
    ItemScore,
    Lang,
    OPDMatch,
    Recommendation,
    RecommendationRule,
    RuleContext,
    TemplatedOptions,
    Text,
    hookimpl,
    rule_recommendation,
)

DEFAULT_TITLE = Text(
    id="Rencana tindak lanjut {short_name}: {items}",
    en="Follow-up plan for {short_name}: {items}",
)
DEFAULT_TEXT = Text(
    id=(
        "Unsur dengan nilai terendah di {name} adalah {items} (terendah {item_score}; skor OPD "
        "{score}). Susun rencana tindak lanjut untuk unsur tersebut terlebih dahulu.{actions}"
    ),
    en=(
        "The lowest-rated elements at {name} are {items} (lowest {item_score}; OPD score "
        "{score}). Plan follow-up action for these elements first.{actions}"
    ),
)
#: Placeholders of this rule: the OPD's, the items', and ``{actions}`` (the actions of the items).
FIELDS = OPD_FIELDS | ITEM_FIELDS | {"actions"}


class WeakestItemsOptions(TemplatedOptions):
    """The ``n`` lowest items of each OPD (ties at the cut included).

    ``below`` keeps only items scoring under that value, so a strong OPD gets no plan. An OPD
    whose items all tie gets none either: no item is weaker than another.
    ``actions`` maps an item id (or its SKM element) to the follow-up step to propose for it.
    """

    TEMPLATE_FIELDS: ClassVar[frozenset[str]] = FIELDS

    n: int = Field(default=1, ge=1)
    below: float | None = None
    min_n: int = Field(default=1, ge=1)
    """Ignore items with fewer answers than this for the OPD."""
    opds: list[str] | None = Field(default=None, min_length=1)
    priority: int = Field(default=3, ge=1)
    labels: dict[str, Text] = Field(default_factory=dict)
    """Names for items (default: the item's SKM element, else its text)."""
    actions: dict[str, Text] = Field(default_factory=dict)
    title: Text | None = None
    text: Text | None = None
    decimals: int = Field(default=2, ge=0, le=6)


class WeakestItems(RecommendationRule):
    """A follow-up plan per OPD naming its weakest elements, with the scores that make them so."""

    name = "weakest-items"
    title = Text(id="Unsur terlemah", en="Weakest items")
    Options = WeakestItemsOptions

    def recommend(self, evaluation: Evaluation) -> list[Recommendation]:
        opts = self.options
        assert isinstance(opts, WeakestItemsOptions)
        ctx = RuleContext(evaluation)
        out = []
        for opd in ctx.opds:
            if opts.opds is not None and opd.opd not in opts.opds:
                continue
            usable = [i for i in opd.items if i.score.value is not None and i.score.n >= opts.min_n]
            if not usable:
                continue
            usable.sort(key=lambda i: (i.score.value or 0.0, i.item))
            cut = usable[min(opts.n, len(usable)) - 1].score.value or 0.0
            chosen = [i for i in usable if (i.score.value or 0.0) <= cut]
            if len(chosen) == len(usable) > opts.n:
                continue  # every item ties: none is weaker than another
            if opts.below is not None:
                chosen = [i for i in chosen if (i.score.value or 0.0) < opts.below]
            if not chosen:
                continue
            evidence = []
            for i in chosen:
                value = i.score.value
                evidence.append(
                    Evidence(
                        metric=f"item score {i.item}",
                        value=value,
                        comparator="<=",
                        threshold=cut,
                        target=opd.opd,
                        note=f"among the {opts.n} lowest of {len(usable)} items (n={i.score.n})",
                    )
                )
                if opts.below is not None:
                    evidence.append(
                        Evidence(
                            metric=f"item score {i.item}",
                            value=value,
                            comparator="<",
                            threshold=opts.below,
                            target=opd.opd,
                        )
                    )
            found = OPDMatch(
                opd=opd,
                evidence=evidence,
                items=[i.item for i in chosen],
                item_score=chosen[0].score.value,
            )
            facts: dict[Lang, dict[str, str]] = {
                "id": {"actions": self._actions(ctx, chosen, "id")},
                "en": {"actions": self._actions(ctx, chosen, "en")},
            }
            rec = rule_recommendation(
                ctx,
                found,
                opts,
                rule=self.label,
                default=(DEFAULT_TITLE, DEFAULT_TEXT),
                item_labels=opts.labels,
                extra_facts=facts,
            )
            out.append(rec)
        return out

    def _actions(self, ctx: RuleContext, chosen: list[ItemScore], lang: Lang) -> str:
        opts = self.options
        assert isinstance(opts, WeakestItemsOptions)
        steps = []
        for i in chosen:
            element = ctx.items[i.item].element if i.item in ctx.items else None
            action = opts.actions.get(i.item) or (opts.actions.get(element) if element else None)
            if action is not None:
                label = ctx.item_label(i.item, lang, opts.labels)
                steps.append(f"{label}: {action.get(lang).rstrip('. ')}")
        if not steps:
            return ""
        head = " Langkah: " if lang == "id" else " Steps: "
        return head + "; ".join(steps) + "."


@hookimpl
def register_rules(register: Callable[[type[RecommendationRule]], None]) -> None:
    register(WeakestItems)
