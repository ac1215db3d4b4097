"""Cities side by side: the OPD average and its SE by hand, pairs, refusals, the command."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from click.testing import CliRunner
from scipy import stats

from publiceval._core.cli import cli
from publiceval._core.compare.cities import (
    CityComparison,
    average_score,
    city_notes,
    compare_cities,
)
from publiceval._core.errors import StudyError
from publiceval._core.results import Evaluation, Score, ScoreScale
from publiceval._core.study import load_study

ROOT = Path(__file__).resolve().parents[1] / "examples"
SCALE = ScoreScale(low=1, high=4, unit="mean 1-4")


@pytest.fixture(scope="module")
def two_cities() -> tuple[Evaluation, Evaluation]:
    return (
        load_study(ROOT / "serang" / "study.toml").evaluate(),
        load_study(ROOT / "two-semesters" / "semester-2.toml").evaluate(),
    )


def test_average_by_hand():
    scores = [
        Score(value=v, scale=SCALE, n=n, se=s, df=n - 1)
        for v, s, n in ((3.0, 0.06, 41), (2.8, 0.08, 31), (3.2, 0.05, 61))
    ]
    avg = average_score(scores, SCALE, 0.95)
    var = [0.06**2, 0.08**2, 0.05**2]
    assert avg.value == pytest.approx(3.0)
    assert avg.se == pytest.approx(math.sqrt(sum(var)) / 3)
    df = sum(var) ** 2 / (var[0] ** 2 / 40 + var[1] ** 2 / 30 + var[2] ** 2 / 60)
    assert avg.df == pytest.approx(df)
    q = stats.t.ppf(0.975, df)
    assert avg.ci is not None and avg.ci.high == pytest.approx(3.0 + q * avg.se)
    none = average_score([*scores, Score(value=3.1, scale=SCALE, n=1)], SCALE, 0.95)
    assert none.se is None and none.ci is None and none.notes


def test_two_cities(two_cities):
    serang, _contoh = two_cities
    result = compare_cities(two_cities)
    assert [c.label for c in result.cities] == ["Kota Serang", "Kota Contoh"]
    city = result.cities[0]
    assert city.score.value == pytest.approx(sum(r.score.value for r in serang.opds) / 20)
    assert city.score.se == pytest.approx(math.sqrt(sum(r.score.se**2 for r in serang.opds)) / 20)
    pair = result.pairs[0]
    assert pair.change.difference == pytest.approx(result.cities[1].score.value - city.score.value)
    assert pair.change.family == "city-pairs" and pair.change.p_adjusted == pair.change.p_value
    assert len(result.opds) == 28 and result.opds[0].score.value >= result.opds[-1].score.value
    assert len(city.items) == 9
    # each city keeps its own scheme (cutoffs, permenpan-2017), and the report says so
    assert result.notes == ["schemes_differ"]
    assert "different category schemes" in city_notes(result, "en")[0]
    assert "skema kategori yang berbeda" in city_notes(result, "id")[0]


def test_three_cities_holm_over_the_pairs(two_cities):
    serang, contoh = two_cities
    result = compare_cities([serang, contoh, serang], labels=["A", "B", "C"])
    assert [(p.first, p.second) for p in result.pairs] == [("A", "B"), ("A", "C"), ("B", "C")]
    same = result.pairs[1].change  # a city against itself: no difference, never significant
    assert same.difference == pytest.approx(0.0) and same.significant is False
    ps = sorted(p.change.p_value for p in result.pairs)
    assert min(p.change.p_adjusted for p in result.pairs) == pytest.approx(min(1.0, 3 * ps[0]))


def test_different_items_are_refused(two_cities):
    serang, contoh = two_cities
    items = [i for i in contoh.items if i.id != "sarana"]
    with pytest.raises(
        StudyError, match=r"item\(s\) 'sarana' in Kota Serang but not in Kota Contoh"
    ):
        compare_cities([serang, contoh.model_copy(update={"items": items})])


def test_command(tmp_path):
    out = tmp_path / "cities.json"
    args = [
        "compare",
        "--cities",
        str(ROOT / "serang" / "study.toml"),
        str(ROOT / "two-semesters" / "semester-2.toml"),
    ]
    res = CliRunner().invoke(cli, [*args, "-f", "json", "-o", str(out)])
    assert res.exit_code == 0, res.output
    back = CityComparison.model_validate_json(out.read_text(encoding="utf-8"))
    assert back.kind == "cities" and len(back.cities) == 2
    res = CliRunner().invoke(cli, [*args, "--lang", "en", "-f", "markdown"])
    assert (
        "The OPD average of Kota Contoh (3.00) is 0.15 higher than that of Kota Serang"
        in res.stdout
    )
    assert "| Completion time | 2.63 (2.58–2.67) |" in res.stdout  # the regulation's English name
