"""What each column of an export holds, and the study written from it (``infer_export``)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

from publiceval import DataError, StudyError
from publiceval._core.infer import Inference, infer_export, scaffold_from_export

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

LABELS = ["Tidak Baik", "Kurang Baik", "Baik", "Sangat Baik"]
ENGLISH = [
    "Requirements",
    "Procedure",
    "Service time",
    "Fees",
    "Product specification",
    "Staff competence",
    "Staff courtesy",
    "Complaint handling",
    "Facilities",
]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def english_export(tmp_path: Path, *, opd: bool = True) -> Path:
    header = ["Timestamp", "Email Address"] + (["Office you visited"] if opd else [])
    header += [*ENGLISH, "Gender", "Comments"]
    offices = ["Health Office", "Health Office", "Transport Office", "Population Office"]
    rows = []
    for k in range(24):
        answers = [LABELS[(k + j) % 4] if j % 3 else ["Good", "Very good"][k % 2] for j in range(9)]
        rows.append(
            [f"2025/0{1 + k % 9}/1{k % 10} 10:1{k % 10}:00 AM GMT+7", f"p{k}@example.org"]
            + ([offices[k % 4]] if opd else [])
            + answers
            + [["Male", "Female"][k % 2], "" if k % 3 else f"Remark number {k}, thanks"]
        )
    return write_csv(tmp_path / "responses.csv", header, rows)


def test_english_google_forms_export(tmp_path):
    inf = infer_export(english_export(tmp_path))
    assert inf.format == "gforms"
    assert (inf.timestamp, inf.respondent, inf.opd_column, inf.suggestions) == (
        "Timestamp",
        "Email Address",
        "Office you visited",
        "Comments",
    )
    assert [i.id for i in inf.items] == [f"u{k}" for k in range(1, 10)]
    assert {i.id: i.column for i in inf.items}["u8"] == "Complaint handling"
    assert [o.name for o in inf.opds] == ["Health Office", "Population Office", "Transport Office"]
    assert [p.question.id for p in inf.profile] == ["gender"]
    assert (inf.method, inf.scheme, inf.year) == ("ikm-2017", "permenpan-2017", 2025)
    assert [c.code for c in inf.checks] == ["city-unknown"]
    assert inf.role_of("Gender").role == "profile"  # type: ignore[union-attr]
    assert Inference.model_validate_json(inf.model_dump_json()) == inf  # a record to keep


def test_no_opd_column_is_a_clear_checklist_entry(tmp_path):
    export = english_export(tmp_path, opd=False)
    inf = infer_export(export)
    assert inf.opd_column is None and inf.opds == ()
    missing = [c for c in inf.checks if c.code == "opd-column-missing"]
    assert len(missing) == 1 and "[data.columns] opd" in missing[0].message.en
    made = scaffold_from_export(tmp_path / "study", export, lang="en")
    text = made.study.read_text(encoding="utf-8")
    assert "no OPD column (the service unit rated) was found" in text
    assert '# opd = "..."' in text and tomllib.loads(text)["opds"][0]["id"] == "opd"


def test_kobo_export_with_group_paths_and_choice_names(tmp_path):
    header = ["start", "end", "grp_opd/unit_layanan", *[f"grp_skm/u{k}" for k in range(1, 10)]]
    header += ["_id", "_uuid", "_submission_time", "_validation_status", "_index"]
    rows = []
    for k in range(12):
        answers = [["sangat_baik", "baik", "kurang_baik"][(k + j) % 3] for j in range(9)]
        opd = ["dinas_kesehatan", "satpol_pp"][k % 2]
        meta = [str(k), f"uuid-{k}", f"2026-05-0{1 + k % 5}T10:05:0{k % 10}", "", str(k + 1)]
        rows.append(["2026-05-01T10:00:00", "2026-05-01T10:05:00", opd, *answers, *meta])
    inf = infer_export(write_csv(tmp_path / "kobo.csv", header, rows))
    assert inf.format == "kobo" and inf.timestamp == "_submission_time"
    assert inf.opd_column == "unit_layanan"  # the reader drops the group path
    assert [o.id for o in inf.opds] == ["dinkes", "satpol-pp"]
    assert [i.id for i in inf.items] == [f"u{k}" for k in range(1, 10)]
    assert all(i.confidence == "low" for i in inf.items)  # names carry numbers only
    roles = {c.column: c.role for c in inf.columns}
    assert roles["start"] == roles["_uuid"] == roles["_index"] == "system"
    assert not [c for c in inf.checks if c.code == "column-unused"]


def test_a_question_about_suggestions_is_a_question_and_the_box_is_the_box(tmp_path):
    header = ["Unit", "Penanganan pengaduan, saran dan masukan", "Saran dan masukan Anda", "Lain"]
    header.append("Nama lengkap")
    rows = [
        [
            "Dinas Sosial" if k % 2 else "Dinas Perhubungan",
            LABELS[k % 4],
            f"Saran ke-{k} untuk kami",
            "x",
            f"Warga {k}",
        ]
        for k in range(10)
    ]
    inf = infer_export(write_csv(tmp_path / "a.csv", header, rows))
    assert [(i.id, i.column) for i in inf.items] == [
        ("u8", "Penanganan pengaduan, saran dan masukan")
    ]
    assert inf.suggestions == "Saran dan masukan Anda" and inf.opd_column == "Unit"
    assert inf.method == "mean" and inf.scheme == "permenpan-2017"
    codes = [c.code for c in inf.checks]
    assert "column-unused" in codes and "timestamp-missing" in codes
    personal = [c for c in inf.checks if c.code == "column-personal"]
    assert [c.column for c in personal] == ["Nama lengkap"] and "personal" in personal[0].message.en
    assert "elements-missing" not in codes  # one element is no SKM: nothing to list


def test_an_skm_with_elements_missing_lists_them(tmp_path):
    header = ["Instansi", *ENGLISH[:6]]
    rows = [["Dinas Sosial", *[LABELS[(k + j) % 4] for j in range(6)]] for k in range(8)]
    inf = infer_export(write_csv(tmp_path / "six.csv", header, rows))
    assert inf.method == "mean" and inf.scheme == "permenpan-2017"
    missing = [c for c in inf.checks if c.code == "elements-missing"]
    assert len(missing) == 1
    assert "U7 Staff behaviour" in missing[0].message.en and "U9" in missing[0].message.en


def test_an_export_without_questions_is_refused_with_its_columns(tmp_path):
    export = write_csv(tmp_path / "x.csv", ["Nama", "Alamat"], [["A", "Jl. 1"], ["B", "Jl. 2"]])
    with pytest.raises(StudyError, match=r"found no question columns .*'Nama', 'Alamat'"):
        infer_export(export)


def test_files_that_are_not_exports(tmp_path):
    with pytest.raises(DataError, match="export not found"):
        infer_export(tmp_path / "missing.csv")
    odd = tmp_path / "export.ods"
    odd.write_text("x", encoding="utf-8")
    with pytest.raises(DataError, match=r"cannot tell the file type .*'\.ods'"):
        infer_export(odd)
    header_only = write_csv(tmp_path / "h.csv", ["a", "b"], [])
    with pytest.raises(DataError, match="no data rows"):
        infer_export(header_only)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(DataError, match="empty"):
        infer_export(empty)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    with pytest.raises(DataError, match=r"broken\.xlsx"):
        infer_export(broken)


def test_the_written_study_comments_in_the_users_language(tmp_path):
    export = english_export(tmp_path)
    en = scaffold_from_export(tmp_path / "en", export, lang="en", city="Kota Contoh")
    ind = scaffold_from_export(tmp_path / "id", export, lang="id", year=2024)
    text_en = en.study.read_text(encoding="utf-8")
    text_id = ind.study.read_text(encoding="utf-8")
    assert "the header says 'requirements'" in text_en and "kata 'requirements'" in text_id
    doc_en, doc_id = tomllib.loads(text_en), tomllib.loads(text_id)
    assert doc_en["survey"]["city"] == "Kota Contoh" and "city" not in doc_id["survey"]
    assert str(doc_id["survey"]["period_start"]) == "2024-01-01"
    assert str(doc_en["survey"]["period_end"]) == "2025-12-31"
    assert doc_en["data"]["columns"]["respondent"] == "Email Address"
    assert (
        doc_en["data"]["path"] == "responses.csv" and (tmp_path / "en" / "responses.csv").exists()
    )
    # the city given on the command line is not on the list to check; the unknown one is
    assert "city-unknown" not in [c.code for c in en.inference.checks]
    assert text_id.rstrip().endswith("isi 'city' di [survey]")
    with pytest.raises(StudyError, match="already exist"):
        scaffold_from_export(tmp_path / "en", export)


@pytest.mark.parametrize(
    ("header", "cells", "role"),
    [
        ("Cap waktu", ["14/03/2026 9:15:22"], "timestamp"),
        ("Timestamp", ["2026-03-14T09:15:22.120+07:00"], "timestamp"),
        ("Timestamp", ["pagi", "sore"], None),  # no dates: not a timestamp
        ("Surel", ["a@b.id"], "respondent"),
        ("Kontak", ["a@b.id", "c@d.org"], "respondent"),  # by the values
        ("_uuid", ["x"], "system"),
        ("deviceid", ["x"], "system"),
        ("Jenis kelamin responden", ["L"], "profile:gender"),
        ("Umur (tahun)", ["30"], "profile:age"),
        ("Pendidikan terakhir", ["SMA"], "profile:education"),
        ("Occupation", ["Farmer"], "profile:occupation"),
        ("OPD yang dinilai", ["Dinas Sosial"], "opd"),
        ("Instansi", ["Dinas Sosial"], "opd"),
        (
            "Kritik dan saran",
            ["Antrean terlalu panjang sekali", "Bagus", "Parkir sempit ya"],
            "suggestions",
        ),
        ("Saran", ["", "ok"], "suggestions"),  # few answers: the header decides
        ("Nama", ["Budi", "Sari"], "personal"),
        ("No. HP", ["0812"], "personal"),
        ("Nama Instansi", ["Dinas Sosial"], "opd"),
    ],
)
def test_header_hints(header, cells, role):
    from publiceval._core.infer.export import ColumnValues
    from publiceval._core.infer.headers import header_hint

    col = ColumnValues(header, "A")
    for cell in cells:
        col.add(cell)
    hint = header_hint(header, col)
    assert (hint.role if hint else None) == role


def test_the_period_of_a_long_export_reaches_its_last_submission(tmp_path):
    header = ["Timestamp", "Instansi", "Persyaratan"]
    rows = []
    for k in range(1000):  # more distinct times than are kept: the last ones still count
        day = 1 + k * 364 // 1000
        rows.append(
            [
                f"2025-{1 + (day - 1) // 31:02d}-{1 + (day - 1) % 28:02d} 08:{k % 60:02d}:{k % 59:02d}",
                "Dinas Sosial",
                LABELS[k % 4],
            ]
        )
    rows[-1][0] = "2025-12-30 09:00:00"
    inf = infer_export(write_csv(tmp_path / "long.csv", header, rows))
    assert inf.span is not None and str(inf.span[0]) == "2025-01-01"
    assert str(inf.span[1]) == "2025-12-30" and inf.year == 2025


def test_a_second_column_of_agency_names_is_named_in_the_checklist(tmp_path):
    header = ["Kecamatan tempat tinggal", "Unit layanan yang dinilai", "Persyaratan"]
    rows = [
        [f"Kecamatan {'ABC'[k % 3]}", ["Dinas Sosial", "RSUD"][k % 2], LABELS[k % 4]]
        for k in range(12)
    ]
    inf = infer_export(write_csv(tmp_path / "two.csv", header, rows))
    assert inf.opd_column == "Unit layanan yang dinilai"
    other = [c for c in inf.checks if c.code == "opd-column-other"]
    assert [c.column for c in other] == ["Kecamatan tempat tinggal"]
    assert inf.role_of("Unit layanan yang dinilai").confidence == "medium"  # type: ignore[union-attr]


def test_typos_are_written_commented_out_and_the_file_ends_with_the_list(tmp_path):
    example = Path(__file__).resolve().parents[1] / "examples" / "gforms-export" / "export.csv"
    made = scaffold_from_export(tmp_path / "s", example, lang="en")
    text = made.study.read_text(encoding="utf-8")
    doc = tomllib.loads(text)
    aliases = doc["scales"][0]["aliases"]
    assert "Gratis" in aliases and "Sangat mudaah" not in aliases
    assert '\n# "Sangat mudaah" = 4\n' in text and '\n# "Kurang cepet" = 2\n' in text
    tail = text.rstrip().splitlines()[-3:]
    assert tail[0] == "# CHECK before publishing results:"
    assert tail[1].startswith("# 1. answer 'Sangat mudaah'")
    items = doc["data"]["columns"]["items"]
    assert items["u9"].startswith("8. ") and items["u8"].startswith("9. ")
    assert [o["id"] for o in doc["opds"]] == [o.id for o in made.inference.opds]
    assert doc["data"]["columns"]["respondent"] == "" and doc["data"]["layout"] == "wide"
