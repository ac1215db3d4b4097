"""Evaluations built by hand for the rule tests, so every number a rule sees is known exactly."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from publiceval import (
    Category,
    ComponentInfo,
    DataQuality,
    Evaluation,
    ItemScore,
    OPDResult,
    Provenance,
    Score,
    ScoreScale,
    SurveyWideResult,
    Text,
)
from publiceval._core.pipeline import run_rules
from publiceval._core.plugins import get_host
from publiceval._core.ranking import competition_ranks
from publiceval._core.results import ItemInfo, SchemeInfo
from publiceval._core.schemes import band_of, check_bands, scale_label_bands

SCALE = ScoreScale(low=1, high=4, unit="mean 1-4")
#: ``cutoffs`` bands: Baik >= 3.00 > Kurang Baik >= 2.50 > Tidak Baik.
BANDS: list[dict[str, Any]] = [
    {"code": "B", "label": {"id": "Baik", "en": "Good"}, "low": 3.0},
    {"code": "KB", "label": {"id": "Kurang Baik", "en": "Fair"}, "low": 2.5},
    {"code": "TB", "label": {"id": "Tidak Baik", "en": "Poor"}, "low": 1.0},
]
#: A second scheme to compare with: Baik from 2.90.
LENIENT: list[dict[str, Any]] = [
    {"code": "B", "label": {"id": "Baik", "en": "Good"}, "low": 2.9},
    {"code": "TB", "label": {"id": "Tidak Baik", "en": "Poor"}, "low": 1.0},
]
SATISFACTION = {
    "1": Text(id="Tidak Puas", en="Not satisfied"),
    "2": Text(id="Kurang Puas", en="Rather unsatisfied"),
    "3": Text(id="Puas", en="Satisfied"),
    "4": Text(id="Sangat Puas", en="Very satisfied"),
}
AGREEMENT = {
    "1": Text(id="Tidak Setuju", en="Disagree"),
    "2": Text(id="Kurang Setuju", en="Rather disagree"),
    "3": Text(id="Setuju", en="Agree"),
    "4": Text(id="Sangat Setuju", en="Strongly agree"),
}
ITEMS = [
    ItemInfo(
        id="u1",
        text=Text(id="Persyaratan layanan", en="Service requirements"),
        element="Persyaratan",
        scale_min=1,
        scale_max=4,
    ),
    ItemInfo(
        id="u2",
        text=Text(id="Waktu penyelesaian", en="Completion time"),
        element="Waktu",
        scale_min=1,
        scale_max=4,
    ),
    ItemInfo(id="u3", text=Text(id="Biaya", en="Cost"), scale_min=1, scale_max=4),
    ItemInfo(
        id="mayor",
        text=Text(id="Kepuasan terhadap wali kota", en="Satisfaction with the mayor"),
        scope="survey",
        scale_min=1,
        scale_max=4,
        labels=SATISFACTION,
    ),
    ItemInfo(
        id="program",
        text=Text(id="Program 100 hari tolok ukur yang adil", en="The 100-day programme is fair"),
        scope="survey",
        scale_min=1,
        scale_max=4,
        labels=AGREEMENT,
    ),
]


@dataclass
class Unit:
    """An OPD as a test writes it: id, score, tags and item means."""

    id: str
    score: float | None
    tags: tuple[str, ...] = ()
    items: Mapping[str, float] = field(default_factory=dict)
    short: str | None = None


def _category(scheme: str, bands: list[dict[str, Any]], value: float | None) -> Category | None:
    if value is None:
        return None
    obj = get_host().scheme("cutoffs").create({"bands": bands})
    return band_of(scheme, obj.checked_bands(SCALE), value)


def _scheme_info(name: str, bands: list[dict[str, Any]], main: bool) -> SchemeInfo:
    """The scheme as the pipeline describes it in an evaluation (every band, with labels)."""
    info = get_host().scheme("cutoffs").create({"bands": bands}).describe(SCALE, main=main)
    return info.model_copy(update={"name": name})


def make_evaluation(
    opds: Sequence[Unit],
    *,
    survey_wide: Mapping[str, float] | None = None,
    extras: Mapping[str, Any] | None = None,
    scheme: bool = True,
    compare: bool = False,
    city: str = "Kota Uji",
    sort: bool = True,
    uncertainty: Mapping[str, dict[str, Any]] | None = None,
) -> Evaluation:
    """An evaluation of ``opds`` on the 1–4 mean, categorised by ``BANDS`` (and ``LENIENT``)."""
    ranks = competition_ranks([o.score for o in opds])
    results = []
    for o, rank in zip(opds, ranks, strict=True):
        main = _category("cutoffs", BANDS, o.score) if scheme else None
        cats = {"cutoffs": main} if main else {}
        if compare and (lenient := _category("lenient", LENIENT, o.score)) is not None:
            cats["lenient"] = lenient
        results.append(
            OPDResult(
                opd=o.id,
                name=f"Dinas {o.id.upper()}",
                short_name=o.short or o.id.upper(),
                tags=list(o.tags),
                score=Score(value=o.score, scale=SCALE, n=10),
                rank=rank,
                uncertainty=dict((uncertainty or {}).get(o.id, {})),
                category=main,
                categories=cats,
                items=[
                    ItemScore(item=k, score=Score(value=v, scale=SCALE, n=10))
                    for k, v in o.items.items()
                ],
            )
        )
    if sort:  # as the pipeline does; sort=False keeps the order given, as a third party might
        results.sort(key=lambda r: (r.rank is None, r.rank or 0, r.opd))
    wide = []
    for item_id, value in (survey_wide or {}).items():
        info = next(i for i in ITEMS if i.id == item_id)
        labels = [(int(k), t) for k, t in info.labels.items()]
        bands = check_bands("scale-labels", scale_label_bands(1, 4, labels))
        wide.append(
            SurveyWideResult(
                item=item_id,
                text=info.text,
                score=Score(value=value, scale=SCALE, n=50),
                category=band_of("scale-labels", bands, value),
            )
        )
    compared = [ComponentInfo(name="lenient", options={"bands": LENIENT})] if compare else []
    schemes = [_scheme_info("cutoffs", BANDS, True)] if scheme else []
    schemes += [_scheme_info("lenient", LENIENT, False)] if compare else []
    return Evaluation(
        title="Uji aturan",
        city=city,
        opds=results,
        survey_wide=wide,
        items=ITEMS,
        data=DataQuality(rows_read=0, rows_used=0, rows_rejected=0, respondents=0),
        provenance=Provenance(
            version="test",
            method=ComponentInfo(name="mean"),
            scheme=ComponentInfo(name="cutoffs", options={"bands": BANDS}) if scheme else None,
            compared_schemes=compared,
        ),
        schemes=schemes,
        extras=dict(extras or {}),
    )


def run(evaluation: Evaluation, name: str, options: Mapping[str, Any] | None = None) -> Evaluation:
    """``evaluation`` after the rule ``name`` ran (through the pipeline's rule runner)."""
    rule = get_host().rule(name).create(options or {})
    return run_rules(evaluation, [rule])


def recommend(evaluation: Evaluation, name: str, options: Mapping[str, Any] | None = None):
    """What the rule returns, called directly (errors propagate)."""
    return get_host().rule(name).create(options or {}).recommend(evaluation)


#: A small city: two tied at the bottom, one basic service in the middle, one good OPD.
CITY = [
    Unit("a", 3.2, ("administrative",), {"u1": 3.4, "u2": 3.1, "u3": 3.1}),
    Unit("b", 2.7, ("basic-service", "health"), {"u1": 2.9, "u2": 2.4, "u3": 2.8}),
    Unit("c", 2.3, ("enforcement",), {"u1": 2.0, "u2": 2.5, "u3": 2.4}),
    Unit("d", 2.3, ("transport", "infrastructure"), {"u1": 2.2, "u2": 2.2, "u3": 2.5}),
    Unit("e", 2.9, ("employment",), {"u1": 2.9, "u2": 2.9, "u3": 2.9}),
]
