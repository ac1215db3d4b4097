"""Small surveys for tests, built the way a user would."""

from __future__ import annotations

import textwrap

from publiceval import OPD, Item, Scale, ScaleLabel, Survey, Text


def quality_scale(scale_id: str = "quality") -> Scale:
    names = [
        ("Tidak Baik", "Poor"),
        ("Kurang Baik", "Fair"),
        ("Baik", "Good"),
        ("Sangat Baik", "Very good"),
    ]
    return Scale(
        id=scale_id,
        min=1,
        max=4,
        labels=tuple(
            ScaleLabel(value=k + 1, label=Text(id=a, en=b)) for k, (a, b) in enumerate(names)
        ),
        aliases={"TB": 1, "KB": 2, "B": 3, "SB": 4},
    )


def satisfaction_scale() -> Scale:
    names = [
        ("Tidak Puas", "Not satisfied"),
        ("Kurang Puas", "Rather unsatisfied"),
        ("Puas", "Satisfied"),
        ("Sangat Puas", "Very satisfied"),
    ]
    return Scale(
        id="satisfaction",
        min=1,
        max=4,
        labels=tuple(
            ScaleLabel(value=k + 1, label=Text(id=a, en=b)) for k, (a, b) in enumerate(names)
        ),
    )


def make_survey(n_opds: int = 3) -> Survey:
    return Survey(
        title="Survei uji",
        city="Kota Uji",
        scales=(quality_scale(), satisfaction_scale()),
        items=(
            Item(
                id="q1",
                text=Text(id="Persyaratan", en="Requirements"),
                scale="quality",
                element="Persyaratan",
            ),
            Item(
                id="q2",
                text=Text(id="Waktu", en="Time"),
                scale="quality",
                element="Waktu Penyelesaian",
            ),
            Item(id="q3", text=Text(id="Biaya", en="Cost"), scale="quality", reverse=True),
            Item(
                id="mayor",
                text=Text(id="Kepuasan wali kota", en="Mayor"),
                scale="satisfaction",
                scope="survey",
            ),
        ),
        opds=tuple(
            OPD(
                id=f"opd{k}",
                name=f"Dinas Nomor {k}",
                short_name=f"D{k}",
                tags=("basic-service",) if k == 0 else (),
            )
            for k in range(n_opds)
        ),
    )


#: A two-item, two-OPD study reading answers.csv with method ``{method}`` (for plugin tests).
STUDY_TEMPLATE = textwrap.dedent(
    """
    [survey]
    title = "Uji"

    [[scales]]
    id = "quality"
    min = 1
    max = 4

    [[items]]
    id = "q1"
    text = "Persyaratan"
    scale = "quality"

    [[items]]
    id = "q2"
    text = "Waktu"
    scale = "quality"

    [[opds]]
    id = "opd0"
    name = "Dinas Nol"

    [[opds]]
    id = "opd1"
    name = "Dinas Satu"

    [data]
    path = "answers.csv"

    [method]
    name = "{method}"
    """
)
