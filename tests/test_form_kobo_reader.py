"""The kobo reader on exports of a ``publiceval form``: labels that hold "/" and choice names."""

from __future__ import annotations

import pytest

from _reader_support import survey
from publiceval import ColumnMap, DataError
from publiceval._core.default_plugins.kobo_reader import KoboReader, choice_key, strip_groups
from publiceval._core.ingest import read_responses
from publiceval._core.survey import Scale, ScaleLabel
from publiceval._core.text import Text


def test_a_names_export_drops_every_group_path():
    header = ["start", "grp_a/opd", "grp_a/grp_b/q1", "q2", "_uuid", "_index"]
    assert strip_groups(header, "/") == ["start", "opd", "q1", "q2", "_uuid", "_index"]


def test_a_label_holding_the_separator_is_kept_whole():
    """Labels as headers, groups left out (Kobo's default): nothing to drop."""
    header = ["start", "Unit layanan (OPD) yang dinilai", "Persyaratan", "Biaya/Tarif", "_uuid"]
    assert strip_groups(header, "/") == header


def test_group_labels_shared_by_several_columns_are_dropped():
    header = [
        "start",
        "Data responden/Unit layanan (OPD) yang dinilai",
        "Data responden/Jenis kelamin",
        "Penilaian pelayanan/Persyaratan",
        "Penilaian pelayanan/Biaya/Tarif",
        "Penilaian pelayanan/Bagian A/Waktu",
        "Penilaian pelayanan/Bagian A/Produk",
        "Kritik dan saran",
        "_uuid",
    ]
    assert strip_groups(header, "/") == [
        "start",
        "Unit layanan (OPD) yang dinilai",
        "Jenis kelamin",
        "Persyaratan",
        "Biaya/Tarif",
        "Waktu",
        "Produk",
        "Kritik dan saran",
        "_uuid",
    ]


def test_a_labels_export_clash_is_still_an_error():
    with pytest.raises(DataError, match=r"both become 'Waktu'"):
        strip_groups(["A b/Waktu", "A b/x y", "C d/Waktu", "C d/z w"], "/")


def test_choice_key_ignores_case_accents_spacing_and_punctuation():
    assert choice_key("kurang_baik") == choice_key(" Kurang  Baik ") == "kurang baik"
    assert choice_key("tni_polri") == choice_key("TNI/Polri")
    assert choice_key("tres_bien") == choice_key("Très bien!")
    assert choice_key("___") == ""


LABELS = (
    "start;end;Data responden/opd;Data responden/Usia;Penilaian/Biaya/Tarif;Penilaian/Harga bahan;"
    "_uuid\n"
    "t;t;Dinas Kesehatan;20;sangat_baik;cukup_mahal;u-1\n"
    "t;t;disdik;30;Kurang baik;4;u-2\n"
)


def _survey_with_punctuated_labels():
    base = survey()
    cost = Scale(
        id="cost",
        min=1,
        max=4,
        labels=tuple(
            ScaleLabel(value=v, label=Text(id=t, en=t))
            for v, t in enumerate(["Sangat-mahal", "Cukup-mahal", "Murah", "Gratis!"], start=1)
        ),
    )
    q1, q2 = base.items[0], base.items[1]
    items = (
        q1.model_copy(update={"text": Text(id="Biaya/Tarif", en="Cost")}),
        q2.model_copy(update={"text": Text(id="Harga bahan", en="Price"), "scale": cost.id}),
        *base.items[2:],
    )
    return base.model_copy(update={"scales": (*base.scales, cost), "items": items})


def test_choice_names_read_as_labels_with_punctuation(tmp_path):
    s = _survey_with_punctuated_labels()
    p = tmp_path / "kobo.csv"
    p.write_text(LABELS, encoding="utf-8")
    mapping = ColumnMap(items={"q1": "Biaya/Tarif", "q2": "Harga bahan"})
    t = read_responses(KoboReader.create({}), p, s, mapping)
    assert t.rejects.rows_rejected == 0, t.rejects
    # "cukup_mahal" is the choice name of "Cukup-mahal" (2); "Biaya/Tarif" kept its slash
    assert t.per_opd.values.tolist() == [[4, 2], [2, 4]]
