"""An SKM study with everything an SKM report shows, for the report tests.

Nine PermenPANRB 14/2017 elements scored with ``ikm-2017`` (IKM 25–100) and the ``permenpan-2017``
quality bands; four OPDs; profile questions (gender, age as a number, education, occupation);
the citizens' suggestions; a ``weakest-items`` follow-up rule. The study file and the CSV are
written to a folder and evaluated through ``load_study`` as a user's study would be. The texts
the study gives (title, organisation, OPD names) are bilingual, as a study may give them.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import numpy as np

from publiceval import Evaluation
from publiceval._core.presets import SKM_ELEMENTS

OPDS = {
    "dinkes": ("Dinas Kesehatan", "Health Office", 3.5),
    "dukcapil": ("Dinas Kependudukan dan Pencatatan Sipil", "Civil Registry Office", 3.1),
    "dishub": ("Dinas Perhubungan", "Transport Office", 2.9),
    "dpmptsp": ("Dinas Penanaman Modal dan PTSP", "Investment and One-Stop Service Office", 2.6),
}

SUGGESTIONS = [
    "Antrian terlalu lama, mohon ditambah loket",
    "Petugas kurang ramah",
    "Biaya tidak jelas",
    "Ruang tunggu panas, tidak ada AC dan toilet kotor",
    "Persyaratan berkas membingungkan",
    "Terima kasih, pelayanan sudah bagus",
    "",
    "Pengaduan tidak ditanggapi",
]


def _study_text() -> str:
    items = []
    for k, (item_id, name_id, _name_en) in enumerate(SKM_ELEMENTS):
        items.append(
            f'[[items]]\nid = "{item_id}"\nscale = "skm"\nelement = "{name_id}"\n'
            f'text = {{ id = "Unsur {k + 1}: {name_id}", en = "Element {k + 1}: {_name_en}" }}\n'
        )
    opds = "".join(
        f'[[opds]]\nid = "{o}"\nname = {{ id = "{a}", en = "{b}" }}\n\n'
        for o, (a, b, _) in OPDS.items()
    )
    return f"""
[survey]
title = {{ id = "Survei Kepuasan Masyarakat Kota Uji 2025", en = "Community Satisfaction Survey, Kota Uji 2025" }}
city = "Kota Uji"
organisation = {{ id = "Bagian Organisasi Setda Kota Uji", en = "Organisation Bureau, Kota Uji" }}
period_start = 2025-07-01
period_end = 2025-07-31

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

{chr(10).join(items)}
{opds}
[[profile]]
id = "gender"
text = {{ id = "Jenis kelamin", en = "Gender" }}
choices = [{{ id = "Laki-laki", en = "Male" }}, {{ id = "Perempuan", en = "Female" }}]

[[profile]]
id = "age"
text = {{ id = "Umur", en = "Age" }}
kind = "number"

[[profile]]
id = "education"
text = {{ id = "Pendidikan terakhir", en = "Education" }}
choices = [
  {{ id = "SD", en = "Primary school" }},
  {{ id = "SMP", en = "Junior high school" }},
  {{ id = "SMA", en = "Senior high school" }},
  {{ id = "S1", en = "Bachelor's degree" }},
]

[[profile]]
id = "occupation"
text = {{ id = "Pekerjaan", en = "Occupation" }}
choices = [
  {{ id = "PNS", en = "Civil servant" }},
  {{ id = "Swasta", en = "Private sector" }},
  {{ id = "Wiraswasta", en = "Self-employed" }},
  {{ id = "Pelajar/Mahasiswa", en = "Student" }},
]

[data]
path = "responses.csv"

[data.columns]
suggestions = "saran"

[method]
name = "ikm-2017"

[scheme]
name = "permenpan-2017"

[[rules]]
name = "weakest-items"
options = {{ n = 2, below = 80 }}
"""


def write_skm_study(folder: Path, *, seed: int = 7) -> Path:
    """Write ``study.toml`` and ``responses.csv`` into ``folder``; return the study's path."""
    rng = np.random.default_rng(seed)
    item_ids = [e[0] for e in SKM_ELEMENTS]
    header = ["respondent", "opd", *item_ids, "gender", "age", "education", "occupation", "saran"]
    rows = []
    k = 0
    for opd, (_a, _b, mean) in OPDS.items():
        for _ in range(36):
            k += 1
            answers = [
                int(np.clip(round(rng.normal(mean - (0.5 if j in (2, 8) else 0), 0.6)), 1, 4))
                for j in range(len(item_ids))
            ]
            rows.append(
                [
                    f"r{k}",
                    opd,
                    *answers,
                    rng.choice(["Laki-laki", "Perempuan", "perempuan"]),
                    int(rng.integers(17, 70)),
                    rng.choice(["SD", "SMP", "SMA", "S1", "D3"]),
                    rng.choice(["PNS", "Swasta", "Wiraswasta", "Pelajar/Mahasiswa"]),
                    SUGGESTIONS[int(rng.integers(len(SUGGESTIONS)))],
                ]
            )
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "responses.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    study = folder / "study.toml"
    study.write_text(_study_text(), encoding="utf-8")
    return study


@cache
def skm_evaluation(tmp_root: str) -> Evaluation:
    """The SKM evaluation (the study written under ``tmp_root``)."""
    from publiceval import load_study

    return load_study(write_skm_study(Path(tmp_root) / "skm")).evaluate()


@cache
def serang_evaluation() -> Evaluation:
    """The Serang example (no profile, no suggestions), evaluated once per test session."""
    from publiceval import load_study

    return load_study(Path(__file__).resolve().parents[1] / "examples/serang/study.toml").evaluate()


@cache
def serang_page(lang: str) -> bytes:
    """The Serang example's HTML report, rendered once per test session and language."""
    import publiceval

    return publiceval.render(serang_evaluation(), "html", lang=lang)  # type: ignore[arg-type]
