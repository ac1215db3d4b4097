"""Write the SYNTHETIC Google Forms export of this example (``export.csv`` and ``export.xlsx``).

Nothing in these files is a real answer. The export imitates what a city's SKM team downloads
from Google Forms (Indonesian locale) after a survey of six OPDs of the invented city "Kota
Sukamaju":

* ``Stempel waktu`` (the Indonesian sheet's timestamp, ``dd/mm/yyyy h:mm:ss``), then the OPD
  chosen in a dropdown (one choice worded long: "... (DPMPTSP) Kota Sukamaju"; a few rows typed
  in lower case, as when the dropdown was edited during the survey);
* the profile questions of PermenPANRB 14/2017 (gender, age in years, education, occupation);
* the nine SKM questions as full sentences, numbered as in the widely copied sample
  questionnaire, which asks about *sarana dan prasarana* as question 8 and *penanganan
  pengaduan* as question 9 (the regulation lists them the other way round);
* answers as words, with each question's own wording ("Sangat sesuai", "Gratis", "Dikelola
  dengan baik" ...), in mixed case and spacing, and two typos;
* a free-text ``Kritik dan Saran`` column, mostly empty;
* one double submission: a form sent twice, the same answers a minute apart.

Each OPD has its own latent quality, so the OPDs fall in different SKM bands. All draws come
from :class:`random.Random` seeded with :data:`SEED`.
``python examples/gforms-export/generate.py --check`` verifies that the committed CSV is
reproduced byte for byte (exit status 1 if not); the XLSX is written only when openpyxl is
installed.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import sys
from pathlib import Path

SEED = 20260314
ROWS = 149  # plus one double submission = 150 rows
HERE = Path(__file__).resolve().parent

OPD_HEADER = "Unit layanan yang Anda nilai"
#: The dropdown's choices as worded in the form, and each OPD's latent quality on 1-4.
OPDS: tuple[tuple[str, float], ...] = (
    ("Dinas Kependudukan dan Pencatatan Sipil", 3.25),
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu (DPMPTSP) Kota Sukamaju", 3.75),
    ("Dinas Kesehatan", 3.05),
    ("Rumah Sakit Umum Daerah", 2.85),
    ("Kecamatan Sukamaju Utara", 3.2),
    ("Satuan Polisi Pamong Praja", 2.55),
)

#: The questions as the widely copied sample questionnaire words them (8 = sarana, 9 = pengaduan),
#: with each question's options from worst to best.
QUESTIONS: tuple[tuple[str, tuple[str, str, str, str]], ...] = (
    (
        "1. Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
        "pelayanannya?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    (
        "2. Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    ),
    (
        "3. Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    ),
    (
        "4. Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    ),
    (
        "5. Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang "
        "tercantum dalam standar pelayanan dengan hasil yang diberikan?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    (
        "6. Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    ),
    (
        "7. Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait "
        "kesopanan dan keramahan?",
        (
            "Tidak sopan dan ramah",
            "Kurang sopan dan ramah",
            "Sopan dan ramah",
            "Sangat sopan dan ramah",
        ),
    ),
    (
        "8. Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        ("Buruk", "Cukup", "Baik", "Sangat baik"),
    ),
    (
        "9. Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
        (
            "Tidak ada",
            "Ada tetapi tidak berfungsi",
            "Berfungsi kurang maksimal",
            "Dikelola dengan baik",
        ),
    ),
)

GENDERS = ("Laki-laki", "Perempuan")
EDUCATION = ("SD ke bawah", "SMP", "SMA", "D1-D3-D4", "S1", "S2 ke atas")
OCCUPATION = ("PNS", "TNI", "POLRI", "Swasta", "Wirausaha", "Lainnya")
SUGGESTIONS = (
    "Antrean terlalu panjang, mohon ditambah loket.",
    "Petugas ramah, pertahankan.",
    "Ruang tunggu panas, tolong ditambah kipas angin.",
    "Informasi persyaratan di website belum lengkap.",
    "Pelayanan sudah cepat, terima kasih.",
    "Parkir sempit.",
    "Mohon jam pelayanan diperpanjang.",
)
#: Two answers typed by hand (the form's "Other" option): typos the inference lists for checking.
TYPOS = {(17, 1): "Sangat mudaah", (88, 2): "Kurang cepet"}
HEADER = [
    "Stempel waktu",
    OPD_HEADER,
    "Jenis Kelamin",
    "Usia",
    "Pendidikan Terakhir",
    "Pekerjaan Utama",
    *[q for q, _ in QUESTIONS],
    "Kritik dan Saran",
]


def _variant(rng: random.Random, text: str) -> str:
    """The answer as some rows hold it: mostly as offered, sometimes re-cased or re-spaced."""
    roll = rng.random()
    if roll < 0.06:
        return text.upper()
    if roll < 0.12:
        return text.lower()
    if roll < 0.16:
        return f" {text}  ".replace(" ", "  ", 1)
    return text


def rows() -> list[list[str]]:
    """The export's data rows (the double submission included), in submission order."""
    rng = random.Random(SEED)
    start = dt.datetime(2026, 3, 2, 8, 0, 0)
    out: list[list[str]] = []
    when = start
    for k in range(ROWS):
        when += dt.timedelta(minutes=rng.randint(20, 900), seconds=rng.randint(0, 59))
        opd, quality = OPDS[k % len(OPDS)] if k < 12 else rng.choice(OPDS)
        if k in (40, 101):
            opd = opd.lower()  # typed into the dropdown's "Other" box
        leniency = rng.gauss(0.0, 0.35)
        answers = []
        for j, (_, options) in enumerate(QUESTIONS):
            point = min(4, max(1, round(quality + leniency + rng.gauss(0.0, 0.55))))
            if j == 3:  # most public services are free
                point = 4 if rng.random() < 0.8 else point
            answers.append(TYPOS.get((k, j)) or _variant(rng, options[point - 1]))
        note = rng.choice(SUGGESTIONS) if rng.random() < 0.3 else ""
        out.append(
            [
                f"{when.day:02d}/{when.month:02d}/{when.year} {when.hour}:{when.minute:02d}:{when.second:02d}",
                opd,
                rng.choice(GENDERS),
                str(rng.randint(17, 70)),
                rng.choice(EDUCATION),
                rng.choice(OCCUPATION),
                *answers,
                note,
            ]
        )
        if k == 57:  # "did it send?": the same form sent again a minute later
            again = list(out[-1])
            second = when + dt.timedelta(minutes=1, seconds=4)
            again[0] = (
                f"{second.day:02d}/{second.month:02d}/{second.year} "
                f"{second.hour}:{second.minute:02d}:{second.second:02d}"
            )
            out.append(again)
            when = second
    return out


def csv_text() -> str:
    """The CSV as Google Forms writes it (comma-separated, every cell quoted when needed)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows())
    return buf.getvalue()


def write_xlsx(path: Path) -> bool:
    """The same export as the linked Google Sheet downloaded as .xlsx (needs openpyxl)."""
    try:
        from openpyxl import Workbook
    except ImportError:
        return False
    wb = Workbook()
    ws = wb.active
    ws.title = "Form Responses 1"
    ws.append(HEADER)
    for row in rows():
        # the sheet holds the timestamp as a date-time and the age as a number, as Sheets does
        when = dt.datetime.strptime(row[0], "%d/%m/%Y %H:%M:%S")
        ws.append([when, *(int(c) if c.isdigit() else c for c in row[1:])])
        ws.cell(ws.max_row, 1).number_format = "dd/mm/yyyy h:mm:ss"
    wb.properties.created = dt.datetime(2026, 7, 1)
    wb.save(path)
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify export.csv, write nothing")
    args = parser.parse_args()
    text = csv_text()
    target = HERE / "export.csv"
    if args.check:
        same = target.exists() and target.read_text(encoding="utf-8") == text
        print("export.csv is reproduced" if same else "export.csv differs from the generator")
        return 0 if same else 1
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")
    if write_xlsx(HERE / "export.xlsx"):
        print(f"wrote {HERE / 'export.xlsx'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
