"""Reading a form export as it is: headers by meaning, OPD wordings as aliases, element names as
SKM tables write them, one invalid answer, a submission sent twice, and the notes kept."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from publiceval import OPD, load_study
from publiceval._core.errors import DataError, StudyError
from publiceval._core.rejects import RejectReason

LABELS = ["Tidak Baik", "Kurang Baik", "Baik", "Sangat Baik"]

STUDY = """
[survey]
title = "Ekspor"

[[scales]]
id = "q4"
min = 1
max = 4
labels = [
  {{ value = 1, label = {{ id = "Tidak Baik", en = "Poor" }} }},
  {{ value = 2, label = {{ id = "Kurang Baik", en = "Fair" }} }},
  {{ value = 3, label = {{ id = "Baik", en = "Good" }} }},
  {{ value = 4, label = {{ id = "Sangat Baik", en = "Very good" }} }},
]

[[items]]
id = "u1"
text = {{ id = "Bagaimana pendapat Saudara tentang persyaratan pelayanan?", en = "Requirements" }}
scale = "q4"
element = "Persyaratan"

[[items]]
id = "u2"
text = {{ id = "Bagaimana perilaku petugas?", en = "Staff behaviour" }}
scale = "q4"
element = "Perilaku"

[[opds]]
id = "dinkes"
name = "Dinas Kesehatan"
aliases = ["Dinas Kesehatan Kota Uji"]

[[opds]]
id = "dukcapil"
name = "Dinas Kependudukan dan Pencatatan Sipil"
short_name = "Disdukcapil"

[[profile]]
id = "gender"
text = {{ id = "Jenis kelamin", en = "Gender" }}
choices = [{{ id = "Laki-laki", en = "Male" }}, {{ id = "Perempuan", en = "Female" }}]

[data]
path = "export.csv"
respondent = ""
max_rejects = "100%"
{extra}

[data.columns]
respondent = ""
timestamp = "Timestamp"

[method]
name = "{method}"
"""

HEADER = [
    "Timestamp",
    "Unit layanan (OPD) yang dinilai",
    "  BAGAIMANA pendapat Saudara tentang persyaratan pelayanan? ",
    "Bagaimana perilaku petugas?",
    "JENIS KELAMIN",
    "Kritik dan saran",
]


def _write(tmp_path: Path, rows: list[list[str]], extra: str = "", method: str = "mean") -> Path:
    import csv

    with (tmp_path / "export.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        w.writerows(rows)
    text = textwrap.dedent(STUDY).format(extra=extra, method=method)
    text = text.replace('respondent = ""\nmax_rejects', "max_rejects", 1)
    study = tmp_path / "study.toml"
    study.write_text(text, encoding="utf-8")
    return study


def _row(t: str, opd: str, a: str, b: str, gender: str = "Perempuan", note: str = "") -> list[str]:
    return [t, opd, a, b, gender, note]


def test_headers_are_found_by_meaning_and_notes_are_kept(tmp_path):
    rows = [
        _row("2026/03/01 10:00:00", "dinas kesehatan kota uji.", "Baik", "Sangat Baik"),
        _row(
            "2026/03/01 10:30:00", "DISDUKCAPIL", "kurang  baik", "Baik", "Laki-laki", "Antri lama"
        ),
        _row("2026/03/01 11:00:00", "Dinas Kependudukan dan Pencatatan Sipil", "Baik", "Baik"),
    ]
    study = load_study(_write(tmp_path, rows))
    table = study.load_responses()
    assert table.rejects.rows_rejected == 0
    assert table.opd_counts().tolist() == [1, 2]
    notes = table.per_opd.notes
    assert notes["gender"].tolist() == ["Perempuan", "Laki-laki", "Perempuan"]
    assert notes["suggestions"].tolist() == [None, "Antri lama", None]


def test_a_shared_alias_is_refused():
    from builders import make_survey
    from publiceval import Survey

    base = make_survey(2)
    opds = (
        OPD(id="a", name="Dinas A", aliases=("Dinas-A Kota",)),
        OPD(id="b", name="Dinas B", aliases=("dinas a kota",)),
    )
    with pytest.raises(ValueError, match="both named 'dinas a kota'"):
        Survey(title="t", scales=base.scales, items=base.items, opds=opds)


def test_an_unknown_opd_suggests_the_closest_alias(tmp_path):
    rows = [_row("2026/03/01 10:00:00", "Dinas Kesehatan Kota Ujii", "Baik", "Baik")]
    table = load_study(_write(tmp_path, rows)).load_responses()
    (entry,) = table.rejects.entries
    assert entry.reason is RejectReason.UNKNOWN_OPD
    assert "did you mean 'Dinas Kesehatan Kota Uji'?" in entry.message


@pytest.mark.parametrize("name", ["Produk", "Kompetensi", "Perilaku", "Sarana", "Waktu"])
def test_ikm_accepts_the_short_element_names_skm_tables_use(tmp_path, name):
    from publiceval._core.default_plugins._skm import SKM_2017_ELEMENTS, element_key

    assert sum(element_key(name) in e.match_keys() for e in SKM_2017_ELEMENTS) == 1


def test_skm_method_counts_an_invalid_answer_as_unanswered(tmp_path):
    # u1 "Bagus sekali" is no label of the scale: under ikm-2017 only that answer is left out
    rows = [
        _row("2026/03/01 10:00:00", "Dinkes", "Bagus sekali", "Baik"),
        _row("2026/03/01 10:05:00", "Dinkes", "Baik", "Sangat Baik"),
    ]
    study = _write(tmp_path, rows, method="mean")
    mean_table = load_study(study).load_responses()
    assert mean_table.rejects.rows_rejected == 1  # mean: the default is reject-row
    skip = _write(tmp_path, rows, extra='invalid_answer = "skip-answer"')
    table = load_study(skip).load_responses()
    assert table.rejects.rows_rejected == 0 and table.rejects.rows_read == 2
    (cell,) = table.rejects.skipped_answers
    assert cell.scope == "cell" and cell.column.strip().startswith("BAGAIMANA")
    assert "counted as unanswered" in cell.message
    observed = table.per_opd.observed
    assert observed.tolist() == [[False, True], [True, True]]


def test_ikm_defaults_to_skip_answer(tmp_path):
    from publiceval._core.ingest.data import _open
    from publiceval._core.plugins import get_host

    rows = [_row("2026/03/01 10:00:00", "Dinkes", "Baik", "Baik")]
    study = load_study(_write(tmp_path, rows))
    *_, layout = _open(study, None, get_host(), None)
    assert layout.policy.invalid_answer == "reject-row"  # mean
    host = get_host()
    assert host.method("ikm-2017").default_invalid_answer == "skip-answer"
    assert host.method("mean").default_invalid_answer == "reject-row"


def _twice(t2: str) -> list[list[str]]:
    return [
        _row("2026/03/01 10:00:00", "Dinkes", "Baik", "Sangat Baik", note="ok"),
        _row("2026/03/01 10:02:00", "Dinkes", "Kurang Baik", "Baik"),
        _row(t2, "Dinkes", "Baik", "Sangat Baik", note="ok"),
    ]


def test_a_submission_sent_twice_within_the_window_keeps_the_first(tmp_path):
    table = load_study(_write(tmp_path, _twice("2026/03/01 10:01:10"))).load_responses()
    assert table.rejects.rows_rejected == 1
    (entry,) = table.rejects.entries
    assert entry.reason is RejectReason.DUPLICATE_SUBMISSION and entry.row == 4
    assert "as row 2" in entry.message and "within 10 minutes" in entry.message
    assert table.opd_counts().tolist() == [2, 0]


def test_the_same_answers_an_hour_later_are_another_person(tmp_path):
    table = load_study(_write(tmp_path, _twice("2026/03/01 11:00:00"))).load_responses()
    assert table.rejects.rows_rejected == 0


@pytest.mark.parametrize(
    ("policy", "rejected", "kept_notes"), [("keep-all", 0, 1), ("reject-all", 2, 0)]
)
def test_duplicate_policies(tmp_path, policy, rejected, kept_notes):
    extra = f'duplicates = "{policy}"'
    table = load_study(_write(tmp_path, _twice("2026/03/01 10:01:10"), extra)).load_responses()
    assert table.rejects.rows_rejected == rejected
    assert len(table.rejects.skipped_answers) == kept_notes


def test_the_window_is_a_study_option(tmp_path):
    extra = "duplicate_window_minutes = 0.5"
    table = load_study(_write(tmp_path, _twice("2026/03/01 10:01:10"), extra)).load_responses()
    assert table.rejects.rows_rejected == 0


def test_a_missing_question_column_lists_the_closest_headers(tmp_path):
    rows = [_row("2026/03/01 10:00:00", "Dinkes", "Baik", "Baik")]
    study = _write(tmp_path, rows)
    study.write_text(study.read_text().replace("Bagaimana perilaku petugas?", "Perilaku?"))
    table = load_study(study).load_responses()
    assert any("closest headers: 'Bagaimana perilaku petugas?'" in w for w in table.warnings)


def test_a_layout_that_does_not_fit_says_which_fits(tmp_path):
    (tmp_path / "grid.csv").write_text(
        "Timestamp,Persyaratan [Dinkes],Persyaratan [Disdukcapil]\n2026/03/01 10:00:00,Baik,Baik\n"
    )
    study = _write(tmp_path, [])
    study.write_text(
        study.read_text().replace('path = "export.csv"', 'path = "grid.csv"\nlayout = "wide"')
    )
    with pytest.raises(DataError, match="set \\[data\\] layout = 'opd-columns'"):
        load_study(study).load_responses()


def test_a_declared_timestamp_column_must_exist(tmp_path):
    study = _write(tmp_path, [])
    study.write_text(study.read_text().replace('timestamp = "Timestamp"', 'timestamp = "Waktu"'))
    with pytest.raises(DataError, match="expected a column 'Waktu'"):
        load_study(study).load_responses()


def test_profile_choices_in_another_kind_are_refused(tmp_path):
    study = _write(tmp_path, [])
    study.write_text(study.read_text().replace('id = "gender"', 'id = "gender"\nkind = "number"'))
    with pytest.raises(StudyError, match="choices are for kind 'choice'"):
        load_study(study)


def test_the_evaluation_carries_the_profile_and_the_suggestions(tmp_path):
    rows = [
        _row("2026/03/01 10:00:00", "Dinkes", "Baik", "Sangat Baik", "Perempuan", "Ramah"),
        _row("2026/03/01 10:30:00", "Disdukcapil", "Baik", "Baik", "laki laki", "-"),
        _row("2026/03/01 11:00:00", "Disdukcapil", "Baik", "Baik", "Female", "Antrean lama."),
        _row("2026/03/01 11:30:00", "Disdukcapil", "Baik", "Baik", "", "tidak ada"),
        _row("2026/03/01 12:00:00", "Disdukcapil", "Baik", "Baik", "Pria", ""),
    ]
    evaluation = load_study(_write(tmp_path, rows)).evaluate()
    (gender,) = evaluation.profile
    assert gender.respondents == 5
    counts = {(c.label.id, c.kind): (c.count, c.per_opd) for c in gender.counts}
    # "laki laki" is the choice "Laki-laki" (punctuation ignored); "Female" its English label
    assert counts[("Laki-laki", "choice")] == (1, {"dukcapil": 1})
    assert counts[("Perempuan", "choice")] == (2, {"dinkes": 1, "dukcapil": 1})
    assert counts[("Pria", "other")] == (1, {"dukcapil": 1})
    assert counts[("Tidak diisi", "missing")] == (1, {"dukcapil": 1})
    assert sum(c.share for c in gender.counts) == pytest.approx(1.0)
    # "-" and "tidak ada" say there is nothing to suggest
    assert [(s.opd, s.text, s.row) for s in evaluation.suggestions] == [
        ("dinkes", "Ramah", 2),
        ("dukcapil", "Antrean lama.", 4),
    ]


def test_identical_rows_without_a_timestamp_are_kept_unless_the_study_says(tmp_path):
    rows = [
        _row("", "Dinkes", "Baik", "Baik", "Perempuan"),
        _row("", "Dinkes", "Baik", "Baik", "Perempuan"),
        _row("", "Dinkes", "Baik", "Sangat Baik", "Perempuan"),
    ]
    study = _write(tmp_path, rows)
    study.write_text(study.read_text().replace('timestamp = "Timestamp"\n', ""))
    table = load_study(study).load_responses()
    assert table.rejects.rows_rejected == 0
    (note,) = table.rejects.skipped_answers
    assert note.row == 3 and "two people who answered alike" in note.message
    study.write_text(
        study.read_text().replace("[data.columns]", 'duplicates = "keep-first"\n\n[data.columns]')
    )
    table = load_study(study).load_responses()
    assert table.rejects.rows_rejected == 1 and table.rejects.entries[0].row == 3


def test_validate_lists_skipped_answers_apart_from_rejected_rows(tmp_path):
    from click.testing import CliRunner

    from publiceval._core.cli import cli

    rows = [
        _row("2026/03/01 10:00:00", "Dinkes", "Luar biasa", "Baik"),
        _row("2026/03/01 10:05:00", "Disdukcapil", "Baik", "Baik"),
    ]
    study = _write(tmp_path, rows, extra='invalid_answer = "skip-answer"')
    out = CliRunner().invoke(cli, ["validate", str(study)])
    assert out.exit_code == 0, out.output
    assert "2 rows read, 2 used, 0 rejected" in out.output
    assert "unknown_label: 1 row(s) (row used; only this answer left out)" in out.output
    assert "answers counted as unanswered (their rows used): unknown_label 1" in out.output
