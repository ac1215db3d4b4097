"""``lowest-k``: recommend improvement for the k lowest-scoring OPDs."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel, ConfigDict, Field

from ..hookspecs import hookimpl
from ..results import Evaluation, Evidence, Recommendation
from ..rules import RecommendationRule
from ..text import Text, format_number


class LowestKOptions(BaseModel):
    """``k`` OPDs from the bottom (more when the k-th place is shared); ``priority`` 1 is most urgent."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    k: int = Field(default=3, ge=1)
    priority: int = Field(default=1, ge=1)


class LowestK(RecommendationRule):
    """The k lowest-ranked OPDs get an improvement recommendation; ties at the cut are all included."""

    name = "lowest-k"
    title = Text(id="k OPD terendah", en="Lowest k OPDs")
    Options = LowestKOptions

    def recommend(self, evaluation: Evaluation) -> list[Recommendation]:
        opts = self.options
        assert isinstance(opts, LowestKOptions)
        ranked = [r for r in evaluation.opds if r.rank is not None and r.score.value is not None]
        if not ranked:
            return []
        ranked.sort(key=lambda r: r.rank or 0)
        total = len(ranked)
        cut_rank = ranked[max(total - opts.k, 0)].rank
        out = []
        for r in ranked:
            if r.rank is None or cut_rank is None or r.rank < cut_rank:
                continue
            value = r.score.value
            assert value is not None
            label = r.short_name or r.name
            out.append(
                Recommendation(
                    target=r.opd,
                    priority=opts.priority,
                    title=Text(
                        id=f"Prioritaskan perbaikan layanan {label}",
                        en=f"Prioritise improving the services of {label}",
                    ),
                    text=Text(
                        id=(
                            f"{r.name} berada di peringkat {r.rank} dari {total} dengan skor "
                            f"{format_number(value, 'id')}; termasuk {opts.k} OPD terendah."
                        ),
                        en=(
                            f"{r.name} ranks {r.rank} of {total} with a score of "
                            f"{format_number(value, 'en')}; it is among the {opts.k} lowest OPDs."
                        ),
                    ),
                    rule=self.name,
                    evidence=[
                        Evidence(
                            metric="rank",
                            value=r.rank,
                            comparator=">=",
                            threshold=cut_rank,
                            target=r.opd,
                        ),
                        Evidence(metric="score", value=value, target=r.opd),
                    ],
                )
            )
        return out


@hookimpl
def register_rules(register: Callable[[type[RecommendationRule]], None]) -> None:
    register(LowestK)
