"""A valid survey export, mangled the ways real exports are, keeps its meaning and the invariants.

The export is a wide CSV (one row per respondent × OPD) of 20 respondents, 3 OPDs and 4 items
answered with the Indonesian labels. Hypothesis mangles it as spreadsheets and survey tools do:
the encoding (UTF-8 with or without BOM, Windows-1252, UTF-16), the delimiter (``,`` ``;`` tab),
the weights written the Indonesian way (``1.250,5``), the quoting, the answers as numbers (``4``,
``4.0`` or ``4,0`` as the locale writes them), as labels in another case or with spaces, or as
short aliases, OPDs by id or by name, control characters in the free-text cells, blank lines,
columns and rows in another order, CRLF line ends. Optionally a few answer cells are damaged (a
label with an escape sequence), which makes exactly those rows rejects. A last test cuts off or
corrupts the bytes of such an export.

Invariants: no traceback and no raw control character in what is printed; ``rows_read ==
rows_used + rows_rejected``; the per-OPD ``n`` add up to the rows used; the scores and ``n``
are those of the clean export without the damaged rows; the same input gives the same JSON
bytes; and the JSON of a run in chunks is the JSON of the whole-file run. A corrupted export
ends in success or one ``PublicevalError`` (the same from the command line and from Python).
"""

from __future__ import annotations

import csv
import functools
import io
import json
import math
import random
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import publiceval
from publiceval._core.cli import cli

N_RESPONDENTS = 20
OPDS = {
    "dinkes": "Dinas Kesehatan",
    "disdik": "Dinas Pendidikan",
    "dishub": "Dinas Perhubungan",
}
ITEMS = {
    "q1": "Persyaratan",
    "q2": "Prosedur",
    "q3": "Waktu Penyelesaian",
    "q4": "Biaya/Tarif",
}
LABELS = {1: "Tidak Baik", 2: "Kurang Baik", 3: "Baik", 4: "Sangat Baik"}
ALIASES = {1: "TB", 2: "KB", 3: "B", 4: "SB"}
#: Weights with their English and Indonesian spellings; 1.5 and 1250.5 are always present, and
#: their Indonesian forms ('1,5', '1.250,5') can be read only one way.
WEIGHTS = {
    1.0: ("1", "1"),
    1.5: ("1.5", "1,5"),
    2.0: ("2", "2"),
    0.75: ("0.75", "0,75"),
    1250.5: ("1250.5", "1.250,5"),
}
NAMES = ["Budi", "Siti Aminah", "Dédé", "Agus", "Nur Agis", "Rina", "Andréas", "Wati"]
NOTES = ["", "antre lama, tapi ramah", 'petugas bilang "besok"', "baik", "ruang tunggu panas"]
HEADER_RESPONDENT, HEADER_OPD, HEADER_WEIGHT = "ID Responden", "OPD", "Bobot"
EXTRA = ["Cap waktu", "Nama", "Catatan"]
COLUMNS = [HEADER_RESPONDENT, HEADER_OPD, HEADER_WEIGHT, *ITEMS.values(), *EXTRA]
C0 = ["\x1b[2J", "\x07", "\x1b]0;x\x07", "\x7f", "\x0b"]
C1 = ["\u009b31m", "\u0085"]
DAMAGE = "Baik\x1b[31m"  # matches no label, even with its control codes removed
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
TOLERANCE = 1e-9

STUDY = f"""
[survey]
title = "Survei Kepuasan Masyarakat Kota Uji"
city = "Kota Uji"

[[scales]]
id = "quality"
min = 1
max = 4
aliases = {{ TB = 1, KB = 2, B = 3, SB = 4 }}
labels = [
  {{ value = 1, label = {{ id = "Tidak Baik", en = "Poor" }} }},
  {{ value = 2, label = {{ id = "Kurang Baik", en = "Fair" }} }},
  {{ value = 3, label = {{ id = "Baik", en = "Good" }} }},
  {{ value = 4, label = {{ id = "Sangat Baik", en = "Very good" }} }},
]
{
    "".join(
        f'''
[[items]]
id = "{k}"
text = "{v}"
scale = "quality"
'''
        for k, v in ITEMS.items()
    )
}
{
    "".join(
        f'''
[[opds]]
id = "{k}"
name = "{v}"
'''
        for k, v in OPDS.items()
    )
}
[data]
path = "ekspor.csv"
format = "csv"

[data.columns]
respondent = "{HEADER_RESPONDENT}"
opd = "{HEADER_OPD}"
weight = "{HEADER_WEIGHT}"
items = {{ {", ".join(f'{k} = "{v}"' for k, v in ITEMS.items())} }}

[method]
name = "mean"

[scheme]
name = "permenpan-2017"
"""


@dataclass(frozen=True)
class Row:
    respondent: str
    opd: str
    weight: float
    answers: tuple[int | None, ...]
    name: str
    note: str
    stamp: str


@functools.cache
def export(seed: int) -> tuple[Row, ...]:
    """The valid export: every respondent answers for every OPD (a few answers left blank)."""
    rng = random.Random(seed)
    rows = []
    for r in range(N_RESPONDENTS):
        weight = 1.5 if r == 0 else 1250.5 if r == 1 else rng.choice(list(WEIGHTS))
        for k, opd in enumerate(OPDS):
            answers = [rng.choice((1, 2, 3, 3, 4, 4)) for _ in ITEMS]
            if rng.random() < 0.15:
                answers[rng.randrange(len(answers) - 1) + 1] = None
            rows.append(
                Row(
                    respondent=f"R{r + 1:03d}",
                    opd=opd,
                    weight=weight,
                    answers=tuple(answers),
                    name=rng.choice(NAMES),
                    note=rng.choice(NOTES),
                    stamp=f"2025-06-{12 + r % 5:02d} {8 + k}:{r:02d}",
                )
            )
    return tuple(rows)


@dataclass(frozen=True)
class Mangling:
    encoding: str
    delimiter: str
    locale: str
    quoting: int
    line_end: str
    answers: str
    opd_by_name: bool
    columns: tuple[str, ...]
    shuffle: int | None
    blank_lines: tuple[int, ...]
    controls: tuple[tuple[int, str], ...]
    damaged: frozenset[int]
    style_seed: int


@st.composite
def manglings(draw: Any) -> Mangling:
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    locale = draw(st.sampled_from(["en", "id"]))
    # Indonesian spreadsheets write ';' (or tabs) between cells because ',' is their decimal mark
    delimiters = [";", "\t"] if locale == "id" else [",", ";", "\t"]
    codes = C0 + C1 if encoding.startswith("utf") else C0
    n_rows = N_RESPONDENTS * len(OPDS)
    return Mangling(
        encoding=encoding,
        delimiter=draw(st.sampled_from(delimiters)),
        locale=locale,
        quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])),
        line_end=draw(st.sampled_from(["\n", "\r\n"])),
        answers=draw(st.sampled_from(["numbers", "labels", "mixed"])),
        opd_by_name=draw(st.booleans()),
        columns=tuple(draw(st.permutations(COLUMNS))),
        shuffle=draw(st.none() | st.integers(0, 1000)),
        blank_lines=tuple(draw(st.lists(st.integers(1, n_rows), max_size=3))),
        controls=tuple(
            draw(
                st.lists(st.tuples(st.integers(0, n_rows - 1), st.sampled_from(codes)), max_size=3)
            )
        ),
        damaged=frozenset(draw(st.sets(st.integers(0, n_rows - 1), max_size=2))),
        style_seed=draw(st.integers(0, 1000)),
    )


def _answer(value: int | None, mode: str, rng: random.Random, locale: str = "en") -> str:
    if value is None:
        return rng.choice(["", " "]) if mode != "numbers" else ""
    if mode == "numbers" or (mode == "mixed" and rng.random() < 0.4):
        # a whole number as a spreadsheet may write it, in the file's number locale
        return rng.choice([str(value), f" {value}", f"{value}{'.' if locale == 'en' else ','}0"])
    label = LABELS[value]
    return rng.choice(
        [
            label,
            label.lower(),
            label.upper(),
            f"  {label} ",
            label.replace(" ", "  "),
            ALIASES[value],
        ]
    )


def write_export(folder: Path, rows: tuple[Row, ...], m: Mangling | None) -> None:
    """The export as the tool wrote it (``m is None``: clean UTF-8, ',' and canonical labels)."""
    (folder / "study.toml").write_text(STUDY, encoding="utf-8")
    rng = random.Random(m.style_seed if m else 0)
    columns = list(m.columns) if m else COLUMNS
    order = list(range(len(rows)))
    if m and m.shuffle is not None:
        random.Random(m.shuffle).shuffle(order)
    controls = dict(m.controls) if m else {}
    records = []
    for k in order:
        row = rows[k]
        weight = WEIGHTS[row.weight][1 if m and m.locale == "id" else 0]
        answers = [
            _answer(a, m.answers, rng, m.locale) if m else _answer(a, "labels", rng)
            for a in row.answers
        ]
        if m and k in m.damaged:
            answers[0] = DAMAGE
        note = row.note + controls[k] if k in controls else row.note
        cells = {
            HEADER_RESPONDENT: row.respondent,
            HEADER_OPD: OPDS[row.opd] if m and m.opd_by_name else row.opd,
            HEADER_WEIGHT: weight,
            **dict(zip(ITEMS.values(), answers, strict=True)),
            "Cap waktu": row.stamp,
            "Nama": row.name,
            "Catatan": note,
        }
        records.append([cells[c] for c in columns])
    buf = io.StringIO()
    writer = csv.writer(
        buf,
        delimiter=m.delimiter if m else ",",
        quoting=m.quoting if m else csv.QUOTE_MINIMAL,
        lineterminator=m.line_end if m else "\n",
    )
    writer.writerow(columns)
    lines = []
    for record in records:
        line = io.StringIO()
        csv.writer(
            line,
            delimiter=m.delimiter if m else ",",
            quoting=m.quoting if m else csv.QUOTE_MINIMAL,
            lineterminator=m.line_end if m else "\n",
        ).writerow(record)
        lines.append(line.getvalue())
    for at in sorted(m.blank_lines if m else (), reverse=True):
        lines.insert(at, m.line_end if m else "\n")
    text = buf.getvalue() + "".join(lines)
    (folder / "ekspor.csv").write_bytes(text.encode(m.encoding if m else "utf-8"))


@functools.cache
def reference(seed: int, damaged: frozenset[int]) -> tuple[int, dict[str, tuple[float, int]]]:
    """Rows used and per-OPD (score, n) of the clean export without the damaged rows."""
    rows = tuple(r for k, r in enumerate(export(seed)) if k not in damaged)
    with tempfile.TemporaryDirectory() as tmp:
        write_export(Path(tmp), rows, None)
        ev = publiceval.load_study(Path(tmp) / "study.toml").evaluate()
    assert ev.data.rows_rejected == 0 and ev.data.rows_used == len(rows)
    return ev.data.rows_used, {o.opd: (o.score.value, o.score.n) for o in ev.opds}


def run_json(study: Path, *extra: str) -> str:
    result = CliRunner().invoke(cli, ["evaluate", "-f", "json", *extra, str(study)])
    stderr = result.stderr if result.stderr_bytes is not None else ""
    for stream, text in (("stdout", result.stdout), ("stderr", stderr)):
        assert "Traceback" not in text, f"a traceback on {stream}:\n{text}"
        bad = CONTROL.search(text)
        assert bad is None, f"raw control character {bad.group()!r} on {stream}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"evaluate raised {result.exception!r}")
    assert result.exit_code == 0, f"exit {result.exit_code}: {stderr}"
    return result.stdout


def check_meaning(doc: dict[str, Any], seed: int, m: Mangling) -> None:
    data = doc["data"]
    read, used, rejected = data["rows_read"], data["rows_used"], data["rows_rejected"]
    assert read == used + rejected
    assert read == N_RESPONDENTS * len(OPDS)
    n_total = sum((o["score"] or {}).get("n", 0) or 0 for o in doc["opds"])
    assert n_total == used, f"per-OPD n add up to {n_total}, not to the {used} rows used"
    ref_used, ref_scores = reference(seed, m.damaged)
    assert used == ref_used and rejected == len(m.damaged), data["reasons"]
    for o in doc["opds"]:
        value, n = ref_scores[o["opd"]]
        assert o["score"]["n"] == n, o["opd"]
        assert math.isclose(o["score"]["value"], value, rel_tol=0, abs_tol=TOLERANCE), (
            o["opd"],
            o["score"]["value"],
            value,
        )


def _stage(tmp: str, seed: int, m: Mangling) -> Path:
    folder = Path(tmp)
    write_export(folder, export(seed), m)
    return folder / "study.toml"


COMMON = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@COMMON
@given(seed=st.integers(0, 3), m=manglings())
def test_mangled_export_keeps_its_meaning(seed, m):
    with tempfile.TemporaryDirectory() as tmp:
        study = _stage(tmp, seed, m)
        first = run_json(study)
        check_meaning(json.loads(first), seed, m)
        assert run_json(study) == first, "the same input gave different JSON bytes"


@COMMON
@given(seed=st.integers(0, 3), m=manglings(), chunk=st.sampled_from([3, 7, 25]))
def test_mangled_export_chunked_equals_whole(seed, m, chunk):
    with tempfile.TemporaryDirectory() as tmp:
        study = _stage(tmp, seed, m)
        whole = run_json(study)
        chunked = run_json(study, "--chunk-rows", str(chunk))
        assert chunked == whole, f"the JSON read in chunks of {chunk} rows differs from whole"


@st.composite
def damages(draw: Any) -> tuple[str, int, int, bytes]:
    """What happens to an export on its way: cut off, bytes lost, or junk written into it."""
    kind = draw(st.sampled_from(["truncate", "delete", "insert"]))
    at = draw(st.integers(0, 10_000))
    length = draw(st.integers(1, 200))
    junk = draw(
        st.binary(min_size=1, max_size=8)
        | st.sampled_from([b"\x00", b'"', b"\r", b"\xff\xfe", b"\xef\xbb\xbf", b"=1+2", b";;"])
    )
    return kind, at, length, junk


def _damage(data: bytes, kind: str, at: int, length: int, junk: bytes) -> bytes:
    at = at % (len(data) + 1)
    if kind == "truncate":
        return data[:at]
    if kind == "delete":
        return data[:at] + data[at + length :]
    return data[:at] + junk + data[at:]


def _evaluate(study: Path) -> Any:
    """The evaluation through Python, or the :class:`PublicevalError` it raised (nothing else)."""
    try:
        return publiceval.load_study(study).evaluate()
    except publiceval.PublicevalError as exc:
        return exc


@COMMON
@given(seed=st.integers(0, 3), m=manglings(), damage=damages())
def test_damaged_export_fails_cleanly(seed, m, damage):
    """A cut-off or corrupted export: one clear error or a success that keeps the invariants."""
    with tempfile.TemporaryDirectory() as tmp:
        study = _stage(tmp, seed, m)
        data = study.parent / "ekspor.csv"
        data.write_bytes(_damage(data.read_bytes(), *damage))
        result = CliRunner().invoke(cli, ["evaluate", "-f", "json", str(study)])
        stderr = result.stderr if result.stderr_bytes is not None else ""
        for stream, text in (("stdout", result.stdout), ("stderr", stderr)):
            assert "Traceback" not in text, f"a traceback on {stream}:\n{text}"
            bad = CONTROL.search(text)
            assert bad is None, f"raw control character {bad.group()!r} on {stream}"
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"evaluate raised {result.exception!r}")
        ev = _evaluate(study)
        if isinstance(ev, publiceval.PublicevalError):
            assert result.exit_code == ev.exit_code, (result.exit_code, ev)
            assert stderr.startswith("error: "), stderr
            return
        assert result.exit_code == 0, stderr
        doc = json.loads(result.stdout)
        data_q = doc["data"]
        assert data_q["rows_read"] == data_q["rows_used"] + data_q["rows_rejected"]
        assert ev.data.rows_used == data_q["rows_used"]
        n_total = sum((o["score"] or {}).get("n", 0) or 0 for o in doc["opds"])
        assert n_total == data_q["rows_used"]
        assert run_json(study) == result.stdout, "the same input gave different JSON bytes"
