"""``lowest-k``: recommend improvement for the k lowest-scoring OPDs."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from pydantic import Field

from publiceval.plugin import (
    OPD_FIELDS,
    Evaluation,
    Evidence,
    OPDConditions,
    RankCondition,
    Recommendation,
    RecommendationRule,
    RuleContext,
    TemplatedOptions,
    Text,
    hookimpl,
    rule_recommendation,
)

DEFAULT_TITLE = Text(
    id="Prioritaskan perbaikan layanan {short_name}",
    en="Prioritise improving the services of {short_name}",
)
DEFAULT_TEXT = Text(
    id="{name} berada di peringkat {rank} dari {n_ranked} dengan skor {score}; termasuk {k} OPD terendah.",
    en="{name} ranks {rank} of {n_ranked} with a score of {score}; it is among the {k} lowest OPDs.",
)


class LowestKOptions(TemplatedOptions):
    """``k`` OPDs from the bottom (more when the k-th place is shared); ``priority`` 1 is most urgent.

    ``title`` and ``text`` replace the default wording; they may use the OPD placeholders of
    declarative rules and ``{k}``.
    """

    TEMPLATE_FIELDS: ClassVar[frozenset[str]] = OPD_FIELDS | {"k"}

    k: int = Field(default=3, ge=1)
    priority: int = Field(default=1, ge=1)
    title: Text | None = None
    text: Text | None = None
    decimals: int = Field(default=2, ge=0, le=6)


class LowestK(RecommendationRule):
    """The k lowest-ranked OPDs get an improvement recommendation; ties at the cut are all included."""

    name = "lowest-k"
    title = Text(id="k OPD terendah", en="Lowest k OPDs")
    Options = LowestKOptions

    def recommend(self, evaluation: Evaluation) -> list[Recommendation]:
        opts = self.options
        assert isinstance(opts, LowestKOptions)
        ctx = RuleContext(evaluation)
        conditions = OPDConditions(rank=RankCondition(bottom=opts.k))
        k_facts = {"k": str(opts.k)}
        out = []
        for opd in ctx.ranked:
            found = conditions.match(ctx, opd)
            if found is None:
                continue
            found.evidence.append(Evidence(metric="score", value=opd.score.value, target=opd.opd))
            out.append(
                rule_recommendation(
                    ctx,
                    found,
                    opts,
                    rule=self.label,
                    default=(DEFAULT_TITLE, DEFAULT_TEXT),
                    extra_facts={"id": k_facts, "en": k_facts},
                )
            )
        return out


@hookimpl
def register_rules(register: Callable[[type[RecommendationRule]], None]) -> None:
    register(LowestK)
