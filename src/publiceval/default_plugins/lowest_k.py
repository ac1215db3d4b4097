"""``lowest-k``: recommend improvement for the k lowest-scoring OPDs."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..declarative import OPD_FIELDS, OPDConditions, RankCondition, RuleContext, check_text
from ..declarative import opd_recommendation as _recommend
from ..hookspecs import hookimpl
from ..results import Evaluation, Evidence, Recommendation
from ..rules import RecommendationRule
from ..text import Text

DEFAULT_TITLE = Text(
    id="Prioritaskan perbaikan layanan {short_name}",
    en="Prioritise improving the services of {short_name}",
)
DEFAULT_TEXT = Text(
    id="{name} berada di peringkat {rank} dari {n_ranked} dengan skor {score}; termasuk {k} OPD terendah.",
    en="{name} ranks {rank} of {n_ranked} with a score of {score}; it is among the {k} lowest OPDs.",
)


class LowestKOptions(BaseModel):
    """``k`` OPDs from the bottom (more when the k-th place is shared); ``priority`` 1 is most urgent.

    ``title`` and ``text`` replace the default wording; they may use the OPD placeholders of
    declarative rules and ``{k}``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    k: int = Field(default=3, ge=1)
    priority: int = Field(default=1, ge=1)
    title: Text | None = None
    text: Text | None = None
    decimals: int = Field(default=2, ge=0, le=6)

    @field_validator("title", "text")
    @classmethod
    def _template(cls, v: Text | None) -> Text | None:
        return None if v is None else check_text(v, OPD_FIELDS | {"k"})


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
                _recommend(
                    ctx,
                    found,
                    rule=self.label,
                    priority=opts.priority,
                    title=opts.title or DEFAULT_TITLE,
                    text=opts.text or DEFAULT_TEXT,
                    decimals=opts.decimals,
                    extra_facts={"id": k_facts, "en": k_facts},
                )
            )
        return out


@hookimpl
def register_rules(register: Callable[[type[RecommendationRule]], None]) -> None:
    register(LowestK)
