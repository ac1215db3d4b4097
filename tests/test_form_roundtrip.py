"""The questionnaire round trip: a form made by ``publiceval form``, answered, exported the way
KoboToolbox exports it (or typed from the paper form), evaluates with the same study as it is.

The exports are built from the generated XLSForm itself (read back with openpyxl): the headers
are its question names or labels with their group paths, the values its choice names or labels.
"""

from __future__ import annotations

import csv
import html
import random
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from publiceval._core.cli import cli
from publiceval._core.form import paper_html, study_questionnaire
from publiceval._core.profile import name_key
from publiceval._core.study import load_study

openpyxl = pytest.importorskip("openpyxl")

ELEMENTS = [
    ("u1", "Persyaratan", "Requirements"),
    ("u2", "Sistem, Mekanisme, dan Prosedur", "Systems, mechanisms and procedures"),
    ("u3", "Waktu Penyelesaian", "Completion time"),
    ("u4", "Biaya/Tarif", "Cost/tariff"),
    ("u5", "Produk Spesifikasi Jenis Pelayanan", "Service product specification"),
    ("u6", "Kompetensi Pelaksana", "Staff competence"),
    ("u7", "Perilaku Pelaksana", "Staff behaviour"),
    ("u8", "Penanganan Pengaduan, Saran dan Masukan", "Handling of complaints and suggestions"),
    ("u9", "Sarana dan Prasarana", "Facilities and infrastructure"),
]
OPDS = [
    ("dinas-kesehatan", "Dinas Kesehatan"),
    ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil"),
    ("rsud", "RSUD dr. Drajat Prawiranegara"),
    ("dpmptsp", "Dinas Penanaman Modal dan PTSP"),
]


def study_text(data_path: str, fmt: str, suggestions: bool = True) -> str:
    items = "\n".join(
        f'[[items]]\nid = "{i}"\nscale = "{"mudah" if i == "u2" else "skm"}"\n'
        f'element = "{ind}"\ntext = {{ id = "{ind}", en = "{en}" }}\n'
        for i, ind, en in ELEMENTS
    )
    opds = "\n".join(f'[[opds]]\nid = "{i}"\nname = "{n}"\n' for i, n in OPDS)
    return f"""
[survey]
title = "Survei Kepuasan Masyarakat Kota Contoh 2026"
city = "Kota Contoh"
period_start = 2026-01-01
period_end = 2026-06-30

[[scales]]
id = "skm"
min = 1
max = 4
labels = [
  {{ value = 1, label = {{ id = "Tidak Baik", en = "Poor" }} }},
  {{ value = 2, label = {{ id = "Kurang Baik", en = "Fair" }} }},
  {{ value = 3, label = {{ id = "Baik", en = "Good" }} }},
  {{ value = 4, label = {{ id = "Sangat Baik", en = "Very good" }} }},
]

[[scales]]
id = "mudah"
min = 1
max = 4
labels = [
  {{ value = 1, label = {{ id = "Tidak mudah", en = "Not easy" }} }},
  {{ value = 2, label = {{ id = "Kurang mudah", en = "Rather hard" }} }},
  {{ value = 3, label = {{ id = "Mudah", en = "Easy" }} }},
  {{ value = 4, label = {{ id = "Sangat mudah", en = "Very easy" }} }},
]

{items}
{opds}
[[profile]]
id = "gender"
text = {{ id = "Jenis kelamin", en = "Gender" }}
choices = [ {{ id = "Laki-laki", en = "Male" }}, {{ id = "Perempuan", en = "Female" }} ]

[[profile]]
id = "age"
text = {{ id = "Usia", en = "Age" }}
kind = "number"

[[profile]]
id = "occupation"
text = {{ id = "Pekerjaan utama", en = "Occupation" }}
choices = [ {{ id = "PNS", en = "Civil servant" }}, {{ id = "TNI/Polri", en = "Military/police" }},
            {{ id = "Swasta", en = "Private sector" }}, {{ id = "Lainnya", en = "Other" }} ]

[method]
name = "ikm-2017"

[scheme]
name = "permenpan-2017"

[data]
path = "{data_path}"
format = "{fmt}"

[data.columns]
{'suggestions = "Kritik dan saran"' if suggestions else ""}
"""


# -- the form, read back ------------------------------------------------------------------------


@dataclass
class Field:
    """One question of the XLSForm with its group path."""

    type: str
    name: str
    label: dict[str, str]
    groups: list[tuple[str, dict[str, str]]]

    def header(self, style: str, lang: str = "id", groups: bool = True) -> str:
        path = self.groups if groups else []
        if style == "names":
            return "/".join([*(g for g, _ in path), self.name])
        return "/".join([*(lab[lang] for _, lab in path), self.label[lang]])


def read_xlsform(path: Path) -> tuple[list[Field], dict[str, list[dict[str, str]]], dict]:
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["survey", "choices", "settings"]

    def rows(name):
        it = wb[name].iter_rows(values_only=True)
        head = [str(h) for h in next(it)]
        return [
            {h: ("" if v is None else str(v)) for h, v in zip(head, r, strict=False)} for r in it
        ]

    def labels(row):
        return {"id": row["label::Indonesian (id)"], "en": row["label::English (en)"]}

    fields: list[Field] = []
    meta: list[str] = []
    stack: list[tuple[str, dict[str, str]]] = []
    for row in rows("survey"):
        kind = row["type"]
        if kind in ("start", "end"):
            meta.append(row["name"])
        elif kind == "begin_group":
            stack.append((row["name"], labels(row)))
        elif kind == "end_group":
            stack.pop()
        else:
            fields.append(Field(kind, row["name"], labels(row), list(stack)))
    lists: dict[str, list[dict[str, str]]] = {}
    for row in rows("choices"):
        lists.setdefault(row["list_name"], []).append(row)
    (settings,) = rows("settings")
    settings["meta"] = meta
    return fields, lists, settings


# -- answers, synthesised -----------------------------------------------------------------------


def answers(fields, lists, n=40, seed=14):
    """``n`` submissions: per field the chosen choice row (select_one) or the value typed."""
    rng = random.Random(seed)
    out = []
    for r in range(n):
        sub = {}
        for f in fields:
            if f.type.startswith("select_one "):
                options = lists[f.type.split()[1]]
                is_opd = f.type == "select_one opd"
                sub[f.name] = options[r % len(options)] if is_opd else rng.choice(options)
            elif f.type == "integer":
                sub[f.name] = str(rng.randint(17, 70))
            else:
                sub[f.name] = rng.choice(["", "Antrean terlalu lama; petugas ramah", "Bagus/cepat"])
        out.append(sub)
    return out


def expected_points(fields, lists, subs):
    """Per OPD id, the sorted answer rows (choice position + 1 on the 1-4 scales)."""
    items = [f for f in fields if f.type.startswith("select_one scale_")]
    (opd,) = [f.name for f in fields if f.type == "select_one opd"]
    by_opd: dict[str, list[tuple[int, ...]]] = {}
    for sub in subs:
        row = tuple(lists[f.type.split()[1]].index(sub[f.name]) + 1 for f in items)
        by_opd.setdefault(sub[opd]["name"], []).append(row)
    return {k: sorted(v) for k, v in by_opd.items()}


def cell(value, style, lang="id"):
    if isinstance(value, dict):  # a choice row
        return value["name"] if style == "names" else value[f"label::{LANGUAGES[lang]}"]
    return value


LANGUAGES = {"id": "Indonesian (id)", "en": "English (en)"}


def kobo_table(fields, subs, style, lang="id", groups=True, meta=("start", "end")):
    """Header and rows as KoboToolbox exports them: meta columns (the form's ``start`` and
    ``end``, headed by their names in every export) around the questions."""
    header = [*meta, *(f.header(style, lang, groups) for f in fields)]
    header += ["_id", "_uuid", "_submission_time", "_validation_status", "_index"]
    rows = []
    for k, sub in enumerate(subs, start=1):
        t = f"2026-03-{1 + k % 28:02d}T09:{k % 60:02d}:00.000+07:00"
        row = [*(t for _ in meta), *(cell(sub[f.name], style, lang) for f in fields)]
        row += [str(1000 + k), f"uuid-{k:04d}", t, "", str(k)]
        rows.append(row)
    return header, rows


def write_csv(path: Path, header, rows, delimiter=";"):
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(header)
        w.writerows(rows)


# -- the round trip -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The study, its XLSForm (through the command line), read back, and the answers."""
    folder = tmp_path_factory.mktemp("roundtrip")
    study = folder / "study.toml"
    study.write_text(study_text("export.csv", "kobo"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["form", str(study), "--format", "xlsform"])
    assert result.exit_code == 0, result.output
    xlsx = folder / "study-form.xlsx"
    assert f"wrote {xlsx}" in result.output
    fields, lists, settings = read_xlsform(xlsx)
    subs = answers(fields, lists)
    return folder, fields, lists, settings, subs


def evaluate(folder: Path, name: str, fmt: str, suggestions: bool = True):
    study = folder / f"study-{name}.toml"
    study.write_text(study_text(name, fmt, suggestions), encoding="utf-8")
    loaded = load_study(study)
    table = loaded.load_responses()
    return table, loaded.evaluate()


def check(made, table, evaluation):
    _, fields, lists, _, subs = made
    assert table.rejects.rows_rejected == 0, table.rejects
    opd_ids = [o.id for o in table.survey.opds]
    got: dict[str, list[tuple[int, ...]]] = {}
    values, codes = table.per_opd.values.tolist(), table.per_opd.opd.tolist()
    for row, code in zip(values, codes, strict=True):
        got.setdefault(opd_ids[code], []).append(tuple(row))
    assert {k: sorted(v) for k, v in got.items()} == expected_points(fields, lists, subs)
    assert {o.opd for o in evaluation.opds} == {o.id for o in table.survey.opds}
    assert evaluation.data.rows_rejected == 0
    assert all(o.score.value is not None for o in evaluation.opds)
    return [(o.opd, round(o.score.value, 9)) for o in evaluation.opds]


def test_the_form_holds_what_the_study_declares(made):
    _, fields, lists, settings, _ = made
    names = [f.name for f in fields]
    assert names == [
        "opd",
        "gender",
        "age",
        "occupation",
        *(i for i, _, _ in ELEMENTS),
        "kritik_dan_saran",
    ]
    assert [c["name"] for c in lists["opd"]] == [i for i, _ in OPDS]
    assert [c["name"] for c in lists["scale_skm"]] == [
        "tidak_baik",
        "kurang_baik",
        "baik",
        "sangat_baik",
    ]
    assert fields[0].label == {
        "id": "Unit layanan (OPD) yang dinilai",
        "en": "Service unit (OPD) being rated",
    }
    assert fields[names.index("u4")].label["id"] == "Biaya/Tarif"
    assert settings["default_language"] == "Indonesian (id)"


@pytest.mark.parametrize(
    ("name", "style", "lang", "groups"),
    [
        ("xml-values.csv", "names", "id", True),
        ("labels-id.csv", "labels", "id", True),
        # headed "Criticism and suggestions" where the study names "Kritik dan saran"
        ("labels-en.csv", "labels", "en", False),
        ("labels-id-nogroups.csv", "labels", "id", False),
    ],
)
def test_a_kobo_csv_export_evaluates_as_it_is(made, name, style, lang, groups):
    folder, fields, _, _, subs = made
    header, rows = kobo_table(fields, subs, style, lang, groups)
    write_csv(folder / name, header, rows)
    table, evaluation = evaluate(folder, name, "kobo")
    check(made, table, evaluation)


def test_an_xml_values_export_evaluates_as_it_is_without_the_suggestions(made):
    """Items, OPD and profile by their names (``grp_penilaian/u1``, ``sangat_baik``, the OPD
    id) - the same study with no suggestions column named."""
    folder, fields, _, _, subs = made
    write_csv(folder / "xml-nosugg.csv", *kobo_table(fields, subs, "names"))
    table, evaluation = evaluate(folder, "xml-nosugg.csv", "kobo", suggestions=False)
    check(made, table, evaluation)
    assert {"gender", "age", "occupation"} <= set(table.per_opd.notes)


def test_every_export_gives_the_same_evaluation(made):
    folder, fields, _, _, subs = made
    scores = []
    for style in ("names", "labels"):
        name = f"same-{style}.csv"
        write_csv(folder / name, *kobo_table(fields, subs, style))
        scores.append(check(made, *evaluate(folder, name, "kobo")))
    assert scores[0] == scores[1]


def test_a_kobo_xlsx_export_evaluates_as_it_is(made):
    folder, fields, _, _, subs = made
    header, rows = kobo_table(fields, subs, "labels")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append([int(v) if v.isdigit() else v for v in row])  # Kobo writes numbers as numbers
    wb.save(folder / "export.xlsx")
    check(made, *evaluate(folder, "export.xlsx", "kobo"))


def test_profile_answers_and_suggestions_travel_with_the_rows(made):
    folder, fields, _, _, subs = made
    write_csv(folder / "notes.csv", *kobo_table(fields, subs, "names"))
    table, _ = evaluate(folder, "notes.csv", "kobo")
    notes = table.per_opd.notes
    assert set(notes) >= {"gender", "age", "occupation", "suggestions"}, sorted(notes)
    # choice names read back as the choices (compared as the reports do, ignoring case)
    occupations = {"PNS", "TNI/Polri", "Swasta", "Lainnya"}
    assert {name_key(str(v)) for v in notes["occupation"]} == {name_key(o) for o in occupations}
    assert "TNI/Polri" in set(notes["occupation"])  # "tni_polri" is not a way to write it
    assert "Laki-laki" in set(notes["gender"])  # "laki_laki" neither
    assert {name_key(str(v)) for v in notes["gender"]} == {"laki laki", "perempuan"}
    ages = sorted(int(s["age"]) for s in subs)
    assert sorted(int(v) for v in notes["age"]) == ages
    typed = sorted(s["kritik_dan_saran"] for s in subs if s["kritik_dan_saran"])
    assert sorted(str(v) for v in notes["suggestions"] if v) == typed


@pytest.mark.parametrize("headers", ["codes", "printed"])
def test_a_sheet_typed_from_the_paper_form_evaluates_as_it_is(made, headers):
    """A clerk types the paper forms: headers as printed (or the codes), answers as printed
    (the option's words in any case, or its number)."""
    folder, fields, lists, _, subs = made
    loaded = load_study(folder / "study.toml")
    form = study_questionnaire(loaded)
    page = html.unescape(paper_html(form))
    columns = {q.name: q.column if headers == "codes" else q.label.id for q in form.questions}
    for text in columns.values():
        assert text in page  # printed on the paper form
    header = ["respondent", *(columns[f.name] for f in fields)]
    rng = random.Random(3)
    rows = []
    for k, sub in enumerate(subs, start=1):
        row = [f"K-{k:03d}"]
        for f in fields:
            v = sub[f.name]
            if isinstance(v, dict) and f.name.startswith("u"):
                point = lists[f.type.split()[1]].index(v) + 1
                word = v["label::Indonesian (id)"]
                v = rng.choice([str(point), word, word.upper(), f" {word.lower()} "])
            elif isinstance(v, dict):
                v = v["label::Indonesian (id)"]
            row.append(v)
        rows.append(row)
    assert "respondent" in page
    write_csv(folder / f"paper-{headers}.csv", header, rows, delimiter=",")
    check(made, *evaluate(folder, f"paper-{headers}.csv", "csv"))


def test_the_xlsform_converts_to_an_xform(made):
    """pyxform (the reference converter Kobo and ODK use) accepts the form."""
    xls2xform = pytest.importorskip("pyxform.xls2xform")
    folder = made[0]
    result = xls2xform.convert(xlsform=str(folder / "study-form.xlsx"), validate=False)
    assert result.warnings == []
    xform = result.xform
    assert 'lang="Indonesian (id)" default="true()"' in xform
    assert 'lang="English (en)"' in xform
    for name in ("grp_responden", "grp_penilaian", "u4", "kritik_dan_saran"):
        assert f"<{name}" in xform
    assert "<value>Biaya/Tarif</value>" in xform
    assert "<value>Cost/tariff</value>" in xform


EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "gforms-export" / "export.csv"


@pytest.mark.parametrize("style", ["names", "labels"])
def test_a_study_written_by_init_from_a_google_forms_export(tmp_path, style):
    """init --from a Google Forms export names its columns with sentences (the OPD question,
    "Stempel waktu", "Kritik dan Saran"): the form asks them so that a Kobo export still reads."""
    if not EXAMPLE.is_file():
        pytest.skip("examples/gforms-export/export.csv is not there")
    runner = CliRunner()
    result = runner.invoke(cli, ["init", str(tmp_path / "city"), "--from", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    study = tmp_path / "city" / "study.toml"
    result = runner.invoke(cli, ["form", str(study)])
    assert result.exit_code == 0, result.output
    fields, lists, settings = read_xlsform(tmp_path / "city" / "study-form.xlsx")
    subs = answers(fields, lists)
    header, rows = kobo_table(fields, subs, style, meta=settings["meta"])
    write_csv(tmp_path / "city" / "kobo.csv", header, rows)
    text = study.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^path = "export.csv".*$', 'path = "kobo.csv"', text)
    text = re.sub(r'(?m)^format = "gforms".*$', 'format = "kobo"', text)
    study.write_text(text, encoding="utf-8")
    loaded = load_study(study)
    table = loaded.load_responses()
    assert table.rejects.rows_rejected == 0, table.rejects
    got: dict[str, list[tuple[int, ...]]] = {}
    ids = [o.id for o in table.survey.opds]
    for row, code in zip(table.per_opd.values.tolist(), table.per_opd.opd.tolist(), strict=True):
        got.setdefault(ids[code], []).append(tuple(row))
    assert {k: sorted(v) for k, v in got.items()} == expected_points(fields, lists, subs)
    assert {"suggestions"} <= set(table.per_opd.notes)
    assert loaded.evaluate().data.rows_rejected == 0
