"""Safe study files, clean text output and scores that stay on their scale (issue 15).

- a study reads only files in its own folder unless the caller allows more;
- a study without OPDs or items is a study error;
- control characters in names and cells never reach a text output raw;
- a score on the edge of its scale stays on it, and every scheme classifies its edges.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from _reader_support import write_study
from publiceval import OPD, Item, Scale, StudyError, Survey, Text, evaluate, load_study
from publiceval._core.cli import cli
from publiceval._core.text import clean_text, json_safe, one_line
from publiceval.plugin import ScoreScale, get_host

SECRET = "SECRET-LINE-root:x:0:0"
RAW_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _cli(*args: str):
    result = CliRunner().invoke(cli, list(args))
    out = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert "Traceback" not in out
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result, out


def _secret(path: Path) -> Path:
    """A CSV outside the study folder whose first line must never be shown."""
    path.write_text(f"{SECRET},opd,q1\nr1,dinkes,3\n", encoding="utf-8")
    return path


def _outside_study(tmp_path: Path, data: str) -> Path:
    folder = tmp_path / "study"
    folder.mkdir(exist_ok=True)
    return write_study(folder, data, data_extra='format = "csv"')


# ------------------------------------------------------------------ what a study may read
def _cases(tmp_path: Path) -> dict[str, Path]:
    secret = _secret(tmp_path / "secret.csv")
    (tmp_path / "study").mkdir()
    link = tmp_path / "study" / "link.csv"
    with contextlib.suppress(OSError, NotImplementedError):  # no symlinks on this system
        os.symlink(secret, link)
    return {
        "relative": _outside_study(tmp_path, "../secret.csv"),
        "deep": _outside_study(tmp_path, "../../../../../../../../" + str(secret).lstrip("/")),
        "absolute": _outside_study(tmp_path, str(secret)),
        "symlink": _outside_study(tmp_path, "link.csv"),
    }


@pytest.mark.parametrize("case", ["relative", "deep", "absolute", "symlink"])
@pytest.mark.parametrize("command", ["validate", "evaluate"])
def test_data_outside_the_study_folder_is_refused(tmp_path, case, command):
    study = _cases(tmp_path)[case]
    if case == "symlink" and not (study.parent / "link.csv").is_symlink():
        pytest.skip("no symlinks here")
    result, out = _cli(command, str(study))
    assert result.exit_code == 3
    assert SECRET not in out and "root:x" not in out
    assert str(study) in out and "data.path" in out
    assert str((tmp_path / "secret.csv").resolve()) in out
    assert "--allow-outside-data" in out
    with pytest.raises(StudyError, match="outside the study's folder"):
        load_study(study)


def test_the_explicit_flag_allows_data_outside(tmp_path):
    outside = tmp_path / "shared" / "data.csv"
    outside.parent.mkdir()
    outside.write_text("respondent,opd,q1,q2\nr1,dinkes,3,4\nr2,disdik,2,3\n", encoding="utf-8")
    study = _outside_study(tmp_path, "../shared/data.csv")
    assert _cli("validate", str(study))[0].exit_code == 3
    result, out = _cli("validate", "--allow-outside-data", str(study))
    assert result.exit_code == 0, out
    assert "2 rows read, 2 used, 0 rejected" in out
    result, out = _cli("evaluate", "--allow-outside-data", "-f", "json", str(study))
    assert result.exit_code == 0, out
    loaded = load_study(study, allow_outside_data=True)
    assert loaded.data_path == study.parent / "../shared/data.csv"
    assert loaded.evaluate().data.rows_used == 2


def test_a_study_file_cannot_allow_itself(tmp_path):
    _secret(tmp_path / "secret.csv")
    study = _outside_study(tmp_path, "../secret.csv")
    study.write_text(
        study.read_text().replace('format = "csv"', 'format = "csv"\nallow_outside = true')
    )
    result, out = _cli("validate", str(study))
    assert result.exit_code == 3 and "unknown key" in out and SECRET not in out


def test_data_inside_the_folder_still_reads(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "data.csv").write_text("respondent,opd,q1\nr1,dinkes,3\n")
    study = write_study(tmp_path, "sub/../sub/data.csv")
    result, out = _cli("validate", str(study))
    assert result.exit_code == 0, out


def test_report_output_outside_the_folder_is_refused(tmp_path):
    (tmp_path / "study").mkdir()
    (tmp_path / "study" / "data.csv").write_text("respondent,opd,q1\nr1,dinkes,3\n")
    study = write_study(tmp_path / "study", "data.csv")
    study.write_text(study.read_text() + '\n[report]\noutput = "../../elsewhere"\n')
    result, out = _cli("evaluate", str(study))
    assert result.exit_code == 3 and "report.output" in out
    assert not (tmp_path.parent / "elsewhere").exists()


# ------------------------------------------------------------------ a study needs OPDs and items
@pytest.mark.parametrize(("key", "what"), [("opds", "OPD"), ("items", "item")])
def test_an_empty_list_is_a_study_error_with_file_and_line(tmp_path, key, what):
    (tmp_path / "data.csv").write_text("respondent,opd,q1\nr1,dinkes,3\n")
    study = write_study(tmp_path, "data.csv")
    text = re.sub(rf"\[\[{key}\]\][^\[]*", "", study.read_text())
    study.write_text(f"{key} = []\n" + text)
    for command in ("validate", "evaluate"):
        result, out = _cli(command, str(study))
        assert result.exit_code == 3, out
        assert f"{study}, line 1, key '{key}'" in out
        assert f"at least one {what}" in out


# ------------------------------------------------------------------ control characters
def test_clean_text_escapes_controls_and_keeps_the_rest():
    assert clean_text("Dinas\x1b[31m Kesehatan\x07\x9b") == "Dinas\\x1b[31m Kesehatan\\x07\\x9b"
    assert clean_text("a\tb\nc") == "a\tb\nc"
    assert clean_text("Dinas Kesehatan – ✓") == "Dinas Kesehatan – ✓"
    assert one_line("a\r\nb\nc\td  e") == "a b c d  e"
    assert json_safe('"a\x9b\x7f"') == '"a\\u009b\\u007f"'


NASTY = {
    "dinkes": ("Dinas\\u001b[31mKesehatan\\u0007", "Kesehatan"),
    "disdik": ("Dinas\\u009bPendidikan\\nKota", "Pendidikan"),
}


def _nasty_study(tmp_path: Path, names: dict[str, str]) -> Path:
    rows = ["respondent,opd,q1,q2"]
    rows += [f"r{k},{opd},{1 + k % 4},{1 + (k + 1) % 4}" for k in range(12) for opd in names]
    rows += ["bad1,dinkes,4\x1b[2J,3", "bad2,dis\x1b]0;pwned\x07dik,3,3", "bad3,disdik,\x9b5m,2"]
    (tmp_path / "data.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    study = write_study(tmp_path, "data.csv")
    text = study.read_text()
    text = text.replace('name = "Dinas Kesehatan"', f'name = "{names["dinkes"]}"')
    text = text.replace('name = "Dinas Pendidikan"', f'name = "{names["disdik"]}"')
    study.write_text(text, encoding="utf-8")
    return study


def _assert_clean(out: str) -> None:
    found = sorted({f"{ord(c):#04x}" for c in RAW_CONTROLS.findall(out)})
    assert not found, f"raw control characters in output: {found}"


@pytest.mark.parametrize("fmt", ["table", "markdown", "html", "json"])
def test_no_control_character_reaches_a_text_report(tmp_path, fmt):
    if fmt in ("markdown", "html"):
        pytest.importorskip("jinja2")
    if fmt == "html":
        pytest.importorskip("jinja2")
    study = _nasty_study(tmp_path, {k: v[0] for k, v in NASTY.items()})
    result, out = _cli("evaluate", "-f", fmt, "--lang", "en", str(study))
    assert result.exit_code == 0, out
    _assert_clean(out)
    for _, word in NASTY.values():
        assert word in out
    if fmt != "json":
        assert "Dinas\\x1b[31mKesehatan\\x07" in out.replace("\\\\", "\\").replace("\\[", "[")


def test_xlsx_report_with_control_characters_writes_and_reads_back(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    study = _nasty_study(tmp_path, {k: v[0] for k, v in NASTY.items()})
    target = tmp_path / "out.xlsx"
    result, out = _cli("evaluate", "-f", "xlsx", "-o", str(target), str(study))
    assert result.exit_code == 0, out
    wb = openpyxl.load_workbook(io.BytesIO(target.read_bytes()))
    texts = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]
    joined = "\n".join(str(t) for t in texts)
    _assert_clean(joined)
    assert "Dinas\\x1b[31mKesehatan\\x07" in joined


def test_validate_lists_rejects_without_raw_controls(tmp_path):
    study = _nasty_study(tmp_path, {k: v[0] for k, v in NASTY.items()})
    result, out = _cli("validate", "--show", "50", str(study))
    assert result.exit_code == 0, out
    _assert_clean(out)
    assert "3 rejected" in out and "unknown OPD 'dis\\x1b]0;pwned\\x07dik'" in out
    assert "unknown answer '4\\x1b[2J'" in out
    result, out = _cli("validate", "--json", str(study))
    _assert_clean(out)


def test_a_newline_in_a_name_keeps_the_table_rows(tmp_path):
    plain = _nasty_study(tmp_path / "a", {"dinkes": "Dinas Kesehatan", "disdik": "Dinas X"})
    broken = _nasty_study(tmp_path / "b", {"dinkes": "Dinas\\nKesehatan", "disdik": "Dinas\\r\\nX"})
    out_plain = _cli("evaluate", "-f", "table", str(plain))[1]
    out_broken = _cli("evaluate", "-f", "table", str(broken))[1]
    assert len(out_plain.splitlines()) == len(out_broken.splitlines())
    assert "Dinas Kesehatan" in out_broken and "Dinas X" in out_broken


def test_markdown_table_rows_survive_a_newline_in_a_name(tmp_path):
    pytest.importorskip("jinja2")
    plain = _nasty_study(tmp_path / "a", {"dinkes": "Dinas Kesehatan", "disdik": "Dinas X"})
    broken = _nasty_study(tmp_path / "b", {"dinkes": "Dinas\\nKesehatan", "disdik": "Dinas\\nX"})
    out_plain = _cli("evaluate", "-f", "markdown", str(plain))[1]
    out_broken = _cli("evaluate", "-f", "markdown", str(broken))[1]
    rows = [line for line in out_broken.splitlines() if line.startswith("|")]
    assert len(rows) == len([line for line in out_plain.splitlines() if line.startswith("|")])


@pytest.fixture(autouse=True)
def _chdir_tmp(tmp_path, monkeypatch):
    (tmp_path / "a").mkdir(exist_ok=True)
    (tmp_path / "b").mkdir(exist_ok=True)
    monkeypatch.chdir(tmp_path)


# ------------------------------------------------------------------ scores on their scale
SKM9 = [
    "Persyaratan",
    "Sistem, Mekanisme, dan Prosedur",
    "Waktu Penyelesaian",
    "Biaya/Tarif",
    "Produk Spesifikasi Jenis Pelayanan",
    "Kompetensi Pelaksana",
    "Perilaku Pelaksana",
    "Penanganan Pengaduan, Saran dan Masukan",
    "Sarana dan Prasarana",
]


def _skm_survey() -> Survey:
    return Survey(
        title="SKM",
        scales=(Scale(id="s", min=1, max=4),),
        items=tuple(
            Item(id=f"u{k + 1}", text=Text(id=e, en=e), scale="s", element=e)
            for k, e in enumerate(SKM9)
        ),
        opds=(OPD(id="o0", name="Unit 0"), OPD(id="o1", name="Unit 1")),
    )


def _rows(value: int, opd: str = "o0", n: int = 7) -> list[dict[str, object]]:
    return [
        {"respondent": f"{opd}-r{i}", "opd": opd, **{f"u{k + 1}": value for k in range(9)}}
        for i in range(n)
    ]


@pytest.mark.parametrize("scheme", ["permenpan-2017", "kepmenpan-2004"])
@pytest.mark.parametrize(("answer", "ikm", "code"), [(4, 100.0, "A"), (1, 25.0, "D")])
def test_an_ikm_on_the_edge_is_exactly_the_edge_and_classified(scheme, answer, ikm, code):
    ev = evaluate(_skm_survey(), _rows(answer) + _rows(3, "o1"), method="ikm-2017", scheme=scheme)
    r = ev.opd("o0")
    assert r.score.value == ikm  # exactly, not 100.00000000000003
    # the interval ends exactly on the edge and reaches inside: seven answers are not certainty
    ci = r.score.ci
    assert ci is not None and (ci.high if answer == 4 else ci.low) == ikm
    assert 25.0 < ci.low < ci.high == 100.0 if answer == 4 else 25.0 == ci.low < ci.high < 100.0
    assert r.category is not None and r.category.code == code
    assert not [w for w in ev.warnings if w.code == "no_category"]


def test_no_computed_score_leaves_its_scale():
    ev = evaluate(_skm_survey(), _rows(4, n=3) + _rows(1, "o1", n=2) + _rows(2, "o1", n=1))
    for r in ev.opds:
        s = r.score
        assert s.value is not None and 1.0 <= s.value <= 4.0
        assert s.ci is not None and 1.0 <= s.ci.low <= s.value <= s.ci.high <= 4.0
        for item in r.items:
            assert item.score.value is not None and 1.0 <= item.score.value <= 4.0
            if item.score.ci is not None:
                assert item.score.ci.low >= 1.0 and item.score.ci.high <= 4.0


def _builtin_schemes() -> list[str]:
    host = get_host()
    return sorted(
        name
        for name, cls in host.schemes().items()
        if cls.__module__.startswith("publiceval._core.default_plugins")
    )


SCALES = [
    ScoreScale(low=1, high=4),
    ScoreScale(low=1, high=5),
    ScoreScale(low=25, high=100, unit="IKM 25-100"),
    ScoreScale(low=0, high=100, unit="%"),
    ScoreScale(low=-100, high=100),
]
CUTOFFS = {
    "bands": [
        {"code": "B", "label": "Baik", "low": None, "high": None},
    ]
}


def _scheme_cases() -> list[tuple[str, str]]:
    """(scheme, closed side): only ``cutoffs`` lets the study choose the closed side."""
    return [
        (name, closed)
        for name in _builtin_schemes()
        for closed in (("left", "right") if name == "cutoffs" else ("left",))
    ]


@pytest.mark.parametrize(("name", "closed"), _scheme_cases())
@pytest.mark.parametrize("precision", [None, 2])
def test_every_builtin_scheme_classifies_the_edges_of_its_scale(name, precision, closed):
    from publiceval import PluginError

    cls = get_host().scheme(name)
    options: dict[str, object] = {"precision": precision}
    if name == "cutoffs":
        options |= {
            "closed": closed,
            "bands": [
                {"code": "B", "label": "Baik", "low": 3.0},
                {"code": "TB", "label": "Tidak Baik"},
            ],
        }
    scheme = cls.create(options)
    tried = 0
    for scale in SCALES:
        try:
            scheme.checked_bands(scale)
        except PluginError:
            continue
        if name == "cutoffs" and not scale.low < 3.0 < scale.high:
            continue
        tried += 1
        width = scale.high - scale.low
        for edge in (scale.low, scale.high):
            for value in (edge, edge + 1e-9, edge - 1e-9, edge + 3e-14 * width, edge - 3e-14):
                if (edge == scale.low and value > edge + 1e-3) or (
                    edge == scale.high and value < edge - 1e-3
                ):
                    continue
                cat = scheme.categorize(value, scale)
                assert cat is not None, (name, scale, value)
    assert tried


def test_a_score_outside_every_band_is_a_warning_not_silence():
    survey = _skm_survey()
    bands = {"bands": [{"code": "B", "label": "Baik", "low": 2.0, "high": 4.0}]}
    ev = evaluate(survey, _rows(4) + _rows(1, "o1"), scheme=("cutoffs", bands))
    assert ev.opd("o0").category is not None
    assert ev.opd("o1").category is None
    warned = [w for w in ev.warnings if w.code == "no_category"]
    assert [w.target for w in warned] == ["o1"]
    assert "outside every band" in warned[0].message
