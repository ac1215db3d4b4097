"""Write the SYNTHETIC answers of the two-semester example (seeded, byte-for-byte reproducible).

    python examples/two-semesters/generate.py

Kota Contoh is a made-up city; every answer is drawn at random from the true means below.
Semester 1 (January-June 2025) and semester 2 (July-December 2025) are independent samples of
the same nine-element SKM instrument on 1-4. What changed, by construction:

* Dishub improves (2.78 -> 3.05) and Disdukcapil improves (2.95 -> 3.20): real changes;
* RSUD worsens (3.05 -> 2.80): a real change;
* Dinas Koperasi dan UKM (``diskop``) is renamed Dinas Koperasi, UKM dan Perdagangan
  (``diskumdag``) and stays the same; ``compare.toml`` maps one to the other;
* the Mal Pelayanan Publik (``mpp``) is surveyed from semester 2 on (it "appears");
* every other OPD stays where it was (true change 0).

Each respondent also gives gender, age group and education (the profile), so the example can be
broken down by segment: in both semesters women rate RSUD 0.5 lower than men (latent means).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ITEMS = ["persyaratan", "prosedur", "waktu", "biaya", "produk", "kompetensi", "perilaku",
         "pengaduan", "sarana"]  # fmt: skip
# OPD id -> (true mean in semester 1, in semester 2, respondents per semester); None = absent
TRUTH: dict[str, tuple[float | None, float | None, int]] = {
    "dishub": (2.78, 3.05, 90),
    "disdukcapil": (2.95, 3.20, 110),
    "rsud": (3.05, 2.80, 100),
    "dinkes": (3.00, 3.00, 80),
    "dpmptsp": (3.10, 3.10, 70),
    "dinsos": (2.90, 2.90, 60),
    "diskop": (2.85, None, 50),
    "diskumdag": (None, 2.85, 50),
    "mpp": (None, 3.15, 60),
}
GENDERS = ["Laki-laki", "Perempuan"]
AGES = ["< 25", "25-44", "45-64", "65+"]
AGE_P = [0.2, 0.45, 0.3, 0.05]
EDUCATION = ["SD ke bawah", "SMP", "SMA", "D1-D3-D4", "S1", "S2 ke atas"]
EDU_P = [0.1, 0.15, 0.4, 0.1, 0.2, 0.05]


def answers(rng: np.random.Generator, mean: np.ndarray) -> np.ndarray:
    """One row of 9 answers on 1-4 per respondent around ``mean``: person effect + item noise."""
    n = mean.size
    person = rng.normal(0.0, 0.35, (n, 1))
    noise = rng.normal(0.0, 0.55, (n, len(ITEMS)))
    return np.clip(np.rint(mean[:, None] + person + noise), 1, 4).astype(int)


def write(semester: int, seed: int) -> None:
    """One semester's file: one row per respondent (each rates one OPD)."""
    rng = np.random.default_rng(seed)
    rows = []
    for opd, (m1, m2, n) in TRUTH.items():
        mean = m1 if semester == 1 else m2
        if mean is None:
            continue
        gender = rng.choice(GENDERS, n)
        # women rate RSUD 0.5 lower than men (the segment gap of the example)
        gap = 0.25 if opd == "rsud" else 0.0
        block = answers(rng, mean + np.where(gender == "Perempuan", -gap, gap))
        ages = rng.choice(AGES, n, p=AGE_P)
        edu = rng.choice(EDUCATION, n, p=EDU_P)
        wide = np.clip(np.rint(2.9 + 0.1 * (semester - 1) + rng.normal(0, 0.7, n)), 1, 4)
        for k in range(n):
            rows.append(["SYNTHETIC", f"S{semester}-{opd}-{k + 1:03d}", opd, gender[k], ages[k],
                         edu[k], *block[k].astype(int), int(wide[k])])  # fmt: skip
    path = HERE / f"responses-s{semester}.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["note", "respondent", "opd", "gender", "age_group", "education", *ITEMS,
                      "kepuasan_umum"])  # fmt: skip
        out.writerows(rows)
    print(f"wrote {path} ({len(rows)} rows)")


if __name__ == "__main__":
    write(1, 20250101)
    write(2, 20250701)
