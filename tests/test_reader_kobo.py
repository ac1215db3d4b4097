"""KoboToolbox reader: group-prefixed columns, ';' CSV, choice names, _uuid respondents."""

from __future__ import annotations

import pytest

from _reader_support import survey
from publiceval import ColumnMap, DataError
from publiceval._core.default_plugins.kobo_reader import KoboReader, strip_groups
from publiceval._core.ingest import read_responses

KOBO = (
    "start;end;grp_profil/opd;grp_layanan/q1;grp_layanan/q2;grp_umum/mayor;_id;_uuid;_index\n"
    "2025-01-01;2025-01-01;dinkes;sangat_baik;3;baik;11;u-1;1\n"
    "2025-01-01;2025-01-01;disdik;kurang_baik;tidak_baik;;12;u-2;2\n"
    "2025-01-01;2025-01-01;disdik;4;4;;13;u-1;3\n"
)


def _read(path, **options):
    return read_responses(KoboReader.create(options), path, survey(), ColumnMap())


def test_group_prefixes_choice_names_and_uuid(tmp_path):
    p = tmp_path / "kobo.csv"
    p.write_text(KOBO, encoding="utf-8")
    t = _read(p)
    assert t.rejects.rows_rejected == 0
    assert t.per_opd.values.tolist() == [[4, 3], [2, 1], [4, 4]]
    # respondent u-1 rated two OPDs: one respondent, not two
    assert t.n_respondents == 2
    assert t.survey_wide.values.tolist() == [[3]]


def test_strip_groups_clash_is_an_error():
    assert strip_groups(["a/q1", "b/q2", "x"], "/") == ["q1", "q2", "x"]
    with pytest.raises(DataError, match=r"'a/q1' and 'b/q1' both become 'q1'"):
        strip_groups(["a/q1", "b/q1"], "/")


def test_other_group_separator(tmp_path):
    p = tmp_path / "kobo.csv"
    p.write_text(KOBO.replace("/", "."), encoding="utf-8")
    t = _read(p, group_separator=".")
    assert t.per_opd.values.tolist() == [[4, 3], [2, 1], [4, 4]]


def test_kobo_xlsx(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    for line in KOBO.splitlines():
        ws.append(line.split(";"))
    p = tmp_path / "kobo.xlsx"
    wb.save(p)
    t = _read(p)
    assert t.per_opd.values.tolist() == [[4, 3], [2, 1], [4, 4]]
