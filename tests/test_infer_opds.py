"""OPDs from the OPD column: plain names, usual short names, the form's wordings as aliases."""

from __future__ import annotations

import pytest

from publiceval._core.infer.export import ColumnValues
from publiceval._core.infer.opds import agency_share, build_opds, clean_name, short_name_of
from publiceval._core.profile import name_key
from publiceval._core.survey import OPD


def column(counts: dict[str, int], name: str = "Unit layanan") -> ColumnValues:
    c = ColumnValues(name, "B")
    for v, n in counts.items():
        c.counts[v] += n
    return c


@pytest.mark.parametrize(
    ("wording", "name", "short", "city"),
    [
        ("Dinas Kesehatan Kota X", "Dinas Kesehatan", "Dinkes", "Kota X"),
        ("DINAS KESEHATAN", "Dinas Kesehatan", "Dinkes", None),
        ("DINKES - Dinas Kesehatan", "Dinas Kesehatan", "Dinkes", None),
        (
            "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu (DPMPTSP) Kota Sukamaju",
            "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
            "DPMPTSP",
            "Kota Sukamaju",
        ),
        (
            "Dinas Kependudukan dan Pencatatan Sipil",
            "Dinas Kependudukan dan Pencatatan Sipil",
            "Disdukcapil",
            None,
        ),
        (
            "Badan Perencanaan Pembangunan Daerah",
            "Badan Perencanaan Pembangunan Daerah",
            "Bappeda",
            None,
        ),
        ("satuan polisi pamong praja", "Satuan Polisi Pamong Praja", "Satpol PP", None),
        ("Kecamatan Sukamaju Utara", "Kecamatan Sukamaju Utara", "Kec. Sukamaju Utara", None),
        ("Dinas Kesehatan Kab. Bogor", "Dinas Kesehatan", "Dinkes", "Kabupaten Bogor"),
        ("Badan Urusan Air Minum", "Badan Urusan Air Minum", "BUAM", None),  # initials
        ("RSUD Kota Sukamaju", "RSUD Kota Sukamaju", None, "Kota Sukamaju"),  # no "RKS"
        ("Inspektorat", "Inspektorat", None, None),
    ],
)
def test_names_and_short_names(wording, name, short, city):
    got = clean_name(wording)
    assert (got.name, short_name_of(got.name, got.short), got.city) == (name, short, city)


def test_variants_collapse_and_wordings_become_aliases():
    col = column(
        {
            "Dinas Kesehatan": 30,
            "dinas  kesehatan.": 3,  # case, spacing and punctuation: the same OPD, no alias needed
            "Dinas Kesehatan Kota X": 4,
            "DINKES (Dinas Kesehatan)": 2,
            "Dinkes": 2,  # the short name itself
            "Badan Pendapatan Daerah": 10,
        }
    )
    opds, city, checks = build_opds(col)
    assert [(o.id, o.name, o.short_name, o.rows) for o in opds] == [
        ("dinkes", "Dinas Kesehatan", "Dinkes", 41),
        ("bapenda", "Badan Pendapatan Daerah", "Bapenda", 10),
    ]
    assert opds[0].aliases == ("Dinas Kesehatan Kota X", "DINKES (Dinas Kesehatan)")
    assert city == "Kota X" and checks == []
    # every wording in the data names its OPD the way the study matches names
    study_opds = [
        OPD(id=o.id, name=o.name, short_name=o.short_name, aliases=o.aliases) for o in opds
    ]
    for wording in col.counts:
        owners = [o.id for o in study_opds if name_key(wording) in {name_key(t) for t in o.names()}]
        assert len(owners) == 1, wording


def test_a_rare_slip_is_merged_and_listed_a_frequent_look_alike_is_kept_apart():
    col = column(
        {
            "Dinas Pendidikan": 40,
            "Dinas Pendidkan": 1,  # a slip: merged, and said so
            "Kecamatan Sukamaju Utara": 20,
            "Kecamatan Sukamaju Timur": 18,  # another OPD, not a near-duplicate: no check
            "Dinas Sosial": 15,
            "Dinas Sosil": 6,  # too many rows to be a slip: kept apart, and said so
        }
    )
    opds, _, checks = build_opds(col)
    names = [o.name for o in opds]
    assert names == [
        "Dinas Pendidikan",
        "Kecamatan Sukamaju Utara",
        "Kecamatan Sukamaju Timur",
        "Dinas Sosial",
        "Dinas Sosil",
    ]
    assert opds[0].aliases == ("Dinas Pendidkan",) and opds[0].rows == 41
    assert sorted(c.code for c in checks) == ["opd-look-alike", "opd-merged"]
    alike = next(c for c in checks if c.code == "opd-look-alike")
    assert "Dinas Sosil" in alike.message.en and "Dinas Sosial" in alike.message.en
    merged = next(c for c in checks if c.code == "opd-merged")
    assert "Dinas Pendidkan" in merged.message.en and "Dinas Pendidkan" in merged.message.id


def test_odd_values_are_listed():
    _, _, checks = build_opds(column({"Dinas Sosial": 20, "Dinas Perhubungan": 12, "Lainnya": 1}))
    assert [c.code for c in checks] == ["opd-odd"] and "Lainnya" in checks[0].message.en


def test_agency_share():
    assert agency_share(column({"Dinas Sosial": 3, "RSUD": 1, "Lainnya": 1})) == pytest.approx(0.8)
    assert agency_share(column({"Laki-laki": 3, "Perempuan": 2})) == 0.0


def test_kobo_choice_names():
    opds, _, _ = build_opds(column({"dinas_kesehatan": 5, "satpol_pp": 2}), underscores=True)
    assert [(o.id, o.name, o.short_name) for o in opds] == [
        ("dinkes", "Dinas Kesehatan", "Dinkes"),
        ("satpol-pp", "Satpol PP", None),
    ]


def test_a_survey_across_cities_keeps_each_citys_office():
    col = column(
        {"Dinas Kesehatan Kota A": 5, "Dinas Kesehatan Kabupaten B": 4, "DINAS KESEHATAN KOTA A": 1}
    )
    opds, city, checks = build_opds(col)
    assert [(o.name, o.rows) for o in opds] == [
        ("Dinas Kesehatan Kota A", 6),
        ("Dinas Kesehatan Kabupaten B", 4),
    ]
    assert city is None and [c.code for c in checks] == ["opd-cities"]
    assert "Kota A, Kabupaten B" in checks[0].message.en
