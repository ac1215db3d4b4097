"""``publiceval init``: scaffolding a study non-interactively and with prompts."""

from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner

from publiceval import StudyError, load_study
from publiceval._core.cli import cli
from publiceval._core.presets import PRESETS, get_preset
from publiceval._core.scaffold import opds_from_csv, opds_from_names, scaffold_study, slugify


def test_init_with_flags(tmp_path):
    r = CliRunner().invoke(
        cli,
        [
            "init",
            str(tmp_path / "s"),
            "--city",
            "Kota Serang",
            "--year",
            "2025",
            "--opd",
            "Dinas Kesehatan",
            "--opd",
            "Badan Pendapatan Daerah",
        ],
    )
    assert r.exit_code == 0, r.output
    study = load_study(tmp_path / "s" / "study.toml")
    sv = study.survey
    assert sv.city == "Kota Serang" and str(sv.period_start) == "2025-01-01"
    assert [o.id for o in sv.opds] == ["dinas-kesehatan", "badan-pendapatan-daerah"]
    assert next(i.element for i in sv.items) == "Persyaratan" and len(sv.items) == 9
    assert sv.scale_map["skm"].lookup["sangat sesuai"] == 4
    assert sv.scale_map["skm"].lookup["gratis"] == 4
    text = (tmp_path / "s" / "study.toml").read_text(encoding="utf-8")
    assert text.count("\n#") > 10  # commented
    with (tmp_path / "s" / "responses.csv").open(encoding="utf-8") as f:
        assert next(csv.reader(f)) == [
            "respondent",
            "opd",
            *[f"u{k}" for k in range(1, 10)],
            # the four profile questions of PermenPANRB 14/2017 and the suggestions box
            "gender",
            "age",
            "education",
            "occupation",
            "Kritik dan saran",
        ]
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(tmp_path / "s" / "responses.xlsx")
    assert [c.value for c in wb["responses"][1]][:3] == ["respondent", "opd", "u1"]
    assert wb["petunjuk"]["A2"].value == "dinas-kesehatan"


def test_init_opds_from_csv(tmp_path):
    f = tmp_path / "opd.csv"
    f.write_text(
        "id;name;short_name\ndinkes;Dinas Kesehatan;Dinkes\n;Dinas Pendidikan;\n", encoding="utf-8"
    )
    opds = opds_from_csv(f)
    assert [(o.id, o.name, o.short_name) for o in opds] == [
        ("dinkes", "Dinas Kesehatan", "Dinkes"),
        ("dinas-pendidikan", "Dinas Pendidikan", None),
    ]
    plain = tmp_path / "names.txt"
    plain.write_text("Dinas A\nDinas B\n", encoding="utf-8")
    assert [o.id for o in opds_from_csv(plain)] == ["dinas-a", "dinas-b"]
    r = CliRunner().invoke(
        cli,
        [
            "init",
            str(tmp_path / "s"),
            "--city",
            "X",
            "--year",
            "2024",
            "--opds-file",
            str(f),
            "--preset",
            "skm9-puas",
        ],
    )
    assert r.exit_code == 0, r.output
    sv = load_study(tmp_path / "s" / "study.toml").survey
    assert sv.opds[0].short_name == "Dinkes"
    assert sv.scale_map["skm"].labels[3].label.id == "Sangat Puas"


def test_refuses_to_overwrite_and_bad_values(tmp_path):
    args = ["init", str(tmp_path), "--city", "X", "--year", "2025", "--opd", "A"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 3 and "already exist" in r.stderr and "--force" in r.stderr
    assert CliRunner().invoke(cli, [*args, "--force"]).exit_code == 0
    r = CliRunner().invoke(cli, ["init", str(tmp_path / "n"), "--city", "X", "--year", "2025"])
    assert r.exit_code == 3 and "expected at least one OPD" in r.stderr
    r = CliRunner().invoke(cli, ["init", str(tmp_path / "m"), "--year", "2025", "--opd", "A"])
    assert r.exit_code == 3 and "expected --city" in r.stderr
    r = CliRunner().invoke(
        cli,
        [
            "init",
            str(tmp_path / "p"),
            "--city",
            "X",
            "--year",
            "2025",
            "--opd",
            "A",
            "--preset",
            "skm8",
        ],
    )
    assert r.exit_code == 3 and "did you mean 'skm9'" in r.stderr


def test_prompts_on_a_terminal(tmp_path, monkeypatch):
    import sys

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    runner = CliRunner()
    # CliRunner swaps the streams; make its streams report a terminal too
    from click.testing import _NamedTextIOWrapper

    monkeypatch.setattr(_NamedTextIOWrapper, "isatty", lambda self: True, raising=False)
    r = runner.invoke(
        cli, ["init", str(tmp_path / "s")], input="Kota Bogor\n2026\nDinas A; Dinas B\n"
    )
    assert r.exit_code == 0, r.output
    sv = load_study(tmp_path / "s" / "study.toml").survey
    assert sv.city == "Kota Bogor" and sv.period_end.year == 2026
    assert [o.name for o in sv.opds] == ["Dinas A", "Dinas B"]


def test_presets_and_slugs():
    assert slugify("Dinas Pariwisata & Café") == "dinas-pariwisata-cafe"
    with pytest.raises(StudyError, match="listed twice"):
        opds_from_names(["Dinas A", "dinas a"])
    for name, preset in PRESETS.items():
        assert get_preset(name) is preset
        for scale in preset.scales:
            assert scale.min == 1 and scale.max == 4 and len(scale.labels) == 4
    elements = [i.element for i in PRESETS["skm9"].items]
    assert len(set(elements)) == 9 and "Sarana dan Prasarana" in elements


@pytest.mark.parametrize("preset", list(PRESETS))
def test_the_study_file_quotes_any_name(tmp_path, preset):
    """The study file is written by a TOML library: quotes, backslashes and accents survive."""
    names = [
        'Dinas "Kesehatan"',
        "Badan \\ Pendapatan",
        "Dinas Pariwisata & Budaya — Kota",
        "Kantor 'Camat'",
    ]
    city = 'Kota "Serang" \\ Banten'
    result = scaffold_study(
        tmp_path, city=city, year=2025, opds=opds_from_names(names), preset=preset
    )
    text = result.study.read_text(encoding="utf-8")
    assert text.startswith("# publiceval study: ") and "# weight = " in text  # still commented
    study = load_study(result.study)
    assert [o.name for o in study.survey.opds] == names
    assert study.survey.city == city and study.survey.title.endswith("2025")
    expected = get_preset(preset)
    assert [i.id for i in study.survey.items] == [i.id for i in expected.items]
    assert [s.aliases for s in study.survey.scales] == [s.aliases for s in expected.scales]
