"""A small survey and study files shared by the reader, validate and init tests."""

from __future__ import annotations

from pathlib import Path

from publiceval import OPD, Item, Scale, ScaleLabel, Survey, Text

QUALITY = (
    ("Tidak Baik", "Poor"),
    ("Kurang Baik", "Fair"),
    ("Baik", "Good"),
    ("Sangat Baik", "Very good"),
)


def scale() -> Scale:
    return Scale(
        id="q4",
        min=1,
        max=4,
        labels=[
            ScaleLabel(value=k + 1, label=Text(id=a, en=b)) for k, (a, b) in enumerate(QUALITY)
        ],
        aliases={"Puas": 3, "Sangat Puas": 4},
    )


def survey(required: bool = False) -> Survey:
    return Survey(
        title="T",
        scales=[scale()],
        items=[
            Item(
                id="q1",
                text=Text(id="Persyaratan", en="Requirements"),
                scale="q4",
                required=required,
            ),
            Item(id="q2", text=Text(id="Biaya", en="Cost"), scale="q4"),
            Item(id="mayor", text=Text(id="Walikota", en="Mayor"), scale="q4", scope="survey"),
        ],
        opds=[
            OPD(id="dinkes", name="Dinas Kesehatan", short_name="Dinkes"),
            OPD(id="disdik", name="Dinas Pendidikan"),
            OPD(id="dispar", name="Dinas Pariwisata dan Café"),
        ],
    )


STUDY = """
[survey]
title = "T"

[data]
path = "{path}"
{data_extra}

[[scales]]
id = "q4"
min = 1
max = 4
labels = [
  {{ value = 1, label = {{ id = "Tidak Baik", en = "Poor" }} }},
  {{ value = 2, label = {{ id = "Kurang Baik", en = "Fair" }} }},
  {{ value = 3, label = {{ id = "Baik", en = "Good" }} }},
  {{ value = 4, label = {{ id = "Sangat Baik", en = "Very good" }} }},
]

[[items]]
id = "q1"
text = "Persyaratan"
scale = "q4"
required = {required}

[[items]]
id = "q2"
text = "Biaya"
scale = "q4"

[[opds]]
id = "dinkes"
name = "Dinas Kesehatan"

[[opds]]
id = "disdik"
name = "Dinas Pendidikan"
"""


def write_study(folder: Path, data: str, data_extra: str = "", required: bool = False) -> Path:
    path = folder / "study.toml"
    path.write_text(
        STUDY.format(path=data, data_extra=data_extra, required=str(required).lower()),
        encoding="utf-8",
    )
    return path
