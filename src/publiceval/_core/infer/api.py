"""``infer_export`` and ``scaffold_from_export``: from a form export to a study that evaluates it.

People who adapt publiceval to their city hold a Google Forms, KoboToolbox or Excel export with
the questions as headers and the OPD chosen in a dropdown. Mapping nine question sentences and
six OPD wordings by hand is where first attempts fail, so it is inferred here, decision by
decision with its evidence, and everything uncertain ends up on a short list to check.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from ..errors import StudyError
from ..plugins import PluginHost, get_host
from ..presets import SKM_ELEMENTS
from ..table.submissions import parse_timestamps
from ..text import Lang, Text
from .checks import answer_checks, column_checks, element_checks
from .classify import Roles, classify_columns
from .elements import map_elements
from .export import ExportTable, read_export
from .headers import leading_number
from .model import Check, Inference, ItemGuess, OPDGuess, ProfileGuess, ScaleGuess
from .opds import build_opds
from .respondents import profile_question
from .scales import build_scales, wording_of
from .write import study_from_inference

__all__ = [
    "ScaffoldResult",
    "choose_method",
    "infer_export",
    "scaffold_from_export",
    "scheme_options_for",
]

STUDY_FILE = "study.toml"
_PROFILE_ORDER = ("gender", "age", "education", "occupation")


def _span(
    table: ExportTable, column: str | None
) -> tuple[tuple[dt.date, dt.date] | None, int | None]:
    """First and last submission day, and the year most submissions fall in."""
    if column is None:
        return None, None
    col = table.columns[column]
    weights = Counter(col.counts)
    weights.update(col.tail)  # a long export: its last submissions too
    texts = list(weights)
    seconds = parse_timestamps(np.array(texts, dtype=object))
    days: Counter[dt.date] = Counter()
    epoch = dt.datetime(1970, 1, 1)
    for text, sec in zip(texts, seconds.tolist(), strict=True):
        if sec == sec:  # not NaN
            days[(epoch + dt.timedelta(seconds=sec)).date()] += weights[text]
    if not days:
        return None, None
    years: Counter[int] = Counter()
    for day, n in days.items():
        years[day.year] += n
    return (min(days), max(days)), years.most_common(1)[0][0]


def _items(
    table: ExportTable, roles: Roles, scale_of: dict[str, str]
) -> tuple[list[ItemGuess], list[Check]]:
    """Question columns as items: an SKM element's code (u1..u9) when the meaning is found."""
    wordings = {
        c: wording_of(table.columns[c], table.format == "kobo")
        if roles.fits[c].set_name == "skm"
        else None
        for c in roles.questions
    }
    placements = map_elements(roles.questions, wordings)
    items: list[ItemGuess] = []
    per_element: Counter[int] = Counter()
    for p in placements:
        number = leading_number(p.column)
        if p.element is None:
            items.append(
                ItemGuess(
                    id=f"q{len(items) + 1}",
                    column=p.column,
                    text=Text(id=p.column, en=p.column),
                    scale=scale_of[p.column],
                    number=number,
                    confidence="low",
                    why=p.why,
                )
            )
            continue
        per_element[p.element] += 1
        code, name_id, name_en = SKM_ELEMENTS[p.element]
        k = per_element[p.element]
        items.append(
            ItemGuess(
                id=code if k == 1 else f"{code}-{k}",
                column=p.column,
                text=Text(id=name_id, en=name_en),
                scale=scale_of[p.column],
                element=name_id,
                number=number,
                confidence=p.confidence,
                why=p.why,
            )
        )
    order = {code: k for k, (code, _, _) in enumerate(SKM_ELEMENTS)}
    items.sort(key=lambda i: (order.get(i.id.split("-")[0], len(order)), i.id))
    return items, element_checks(items)


def choose_method(items: list[ItemGuess], scales: list[ScaleGuess]) -> tuple[str, str, Text]:
    """``ikm-2017`` with ``permenpan-2017`` for a full SKM on 1-4; plain means otherwise."""
    ranges = {s.scale.id: (s.scale.min, s.scale.max) for s in scales}
    elements = {i.element for i in items if i.element}
    on_four = all(ranges[i.scale] == (1, 4) for i in items)
    if len(elements) == len(SKM_ELEMENTS) and all(
        ranges[i.scale] == (1, 4) for i in items if i.element
    ):
        return (
            "ikm-2017",
            "permenpan-2017",
            Text(
                id="kesembilan unsur SKM ditemukan pada skala 1-4: IKM dan mutu pelayanan resmi "
                "(PermenPANRB 14/2017)",
                en="all nine SKM elements were found on a 1-4 scale: the official IKM and quality "
                "bands (PermenPANRB 14/2017)",
            ),
        )
    if on_four:
        return (
            "mean",
            "permenpan-2017",
            Text(
                id=f"hanya {len(elements)} dari 9 unsur SKM ditemukan: rata-rata jawaban 1-4 dengan "
                "kategori mutu SKM",
                en=f"only {len(elements)} of the 9 SKM elements were found: the mean answer on 1-4 "
                "with the SKM quality bands",
            ),
        )
    return (
        "mean",
        "likert-interval",
        Text(
            id="skala jawaban bukan 1-4: rata-rata jawaban dengan kelas interval yang sama lebar",
            en="the answers are not on 1-4: the mean answer with equal-width interval classes",
        ),
    )


def scheme_options_for(scheme: str, scales: list[ScaleGuess]) -> dict[str, str]:
    """``likert-interval`` names its classes like the answers (Puas ..., Setuju ...)."""
    if scheme != "likert-interval":
        return {}
    families = {s.family.rstrip("0123456789") for s in scales}
    for family, labels in (("puas", "satisfaction"), ("setuju", "agreement")):
        if families == {family}:
            return {"labels": labels}
    return {}


def infer_export(
    path: str | Path, *, format: str | None = None, host: PluginHost | None = None
) -> Inference:
    """Everything a study needs from an export, each decision with its evidence and confidence.

    ``format`` names the reader (``csv``, ``xlsx``, ``gforms``, ``kobo``); by default the file
    ending decides, and Kobo and Google Forms are recognised by their own columns.
    """
    host = host or get_host()
    table = read_export(Path(path), host, format)
    roles = classify_columns(table)
    if not roles.questions:
        shown = ", ".join(repr(c) for c in table.header[:12])
        raise StudyError(
            f"{table.path}: found no question columns (columns whose answers are scale words "
            f"such as 'Sangat Baik' or numbers 1-4/1-5) among {shown}; expected the questions "
            "as column headers, one row per respondent"
        )
    fits = [roles.fits[c] for c in roles.questions]
    scales, scale_of = build_scales(fits)
    items, checks = _items(table, roles, scale_of)
    opds: list[OPDGuess] = []
    city = None
    if roles.opd is not None:
        opds, city, opd_checks = build_opds(table.columns[roles.opd], table.format == "kobo")
        checks += opd_checks
    profile: list[ProfileGuess] = [
        profile_question(pid, table.columns[col], why)
        for pid, (col, why) in sorted(
            roles.profile.items(), key=lambda kv: _PROFILE_ORDER.index(kv[0])
        )
    ]
    span, year = _span(table, roles.timestamp)
    method, scheme, method_why = choose_method(items, scales)
    checks += answer_checks(scales, table)
    checks += column_checks(table, roles, city=city, year=year)
    city_why = (
        Text(
            id=f"dari nama OPD di data ({city!r})",
            en=f"from the OPD wordings in the data ({city!r})",
        )
        if city
        else None
    )
    return Inference(
        path=str(table.path),
        format=table.format,
        format_why=table.format_why,
        rows=table.rows,
        columns=tuple(roles.decisions[c] for c in table.columns),
        opd_column=roles.opd,
        opds=tuple(opds),
        scales=tuple(scales),
        items=tuple(items),
        profile=tuple(profile),
        timestamp=roles.timestamp,
        respondent=roles.respondent,
        suggestions=roles.suggestions,
        city=city,
        city_why=city_why,
        span=span,
        year=year,
        method=method,
        scheme=scheme,
        scheme_options=scheme_options_for(scheme, scales),
        method_why=method_why,
        checks=tuple(checks),
    )


class ScaffoldResult(BaseModel):
    """What ``init --from`` wrote, what it found, and the list of what to check."""

    study: Path
    data: Path
    inference: Inference
    lang: Lang = "id"

    def summary(self) -> list[str]:
        """What was written and found, a line each, in the study's language."""
        inf = self.inference
        elements = len({i.element for i in inf.items if i.element})
        opd = f"{len(inf.opds)} OPD" + (f" ({inf.opd_column!r})" if inf.opd_column else "")
        lines = [
            _t(f"menulis {self.study}", f"wrote {self.study}"),
            _t(f"menyalin ekspor ke {self.data}", f"copied the export to {self.data}"),
            _t(
                f"ditemukan: {opd}; {len(inf.items)} pertanyaan ({elements} dari 9 unsur SKM); "
                f"{len(inf.profile)} pertanyaan profil; {inf.rows} baris",
                f"found: {opd}; {len(inf.items)} questions ({elements} of the 9 SKM elements); "
                f"{len(inf.profile)} profile questions; {inf.rows} rows",
            ),
            _t(
                f"metode {inf.method}, skema {inf.scheme}: {inf.method_why.id}",
                f"method {inf.method}, scheme {inf.scheme}: {inf.method_why.en}",
            ),
        ]
        return [t.get(self.lang) for t in lines]

    def checklist(self) -> list[str]:
        """The things to check, numbered, one line each, in the study's language."""
        checks = self.inference.checks
        if not checks:
            return [_t("tidak ada yang perlu diperiksa", "nothing to check").get(self.lang)]
        head = _t("periksa:", "check:").get(self.lang)
        return [head] + [f"  {k}. {c.message.get(self.lang)}" for k, c in enumerate(checks, 1)]


def _t(id_: str, en: str) -> Text:
    return Text(id=id_, en=en)


def scaffold_from_export(
    folder: str | Path,
    export: str | Path,
    *,
    lang: Lang = "id",
    city: str | None = None,
    year: int | None = None,
    title: str | None = None,
    format: str | None = None,
    force: bool = False,
    host: PluginHost | None = None,
    inference: Inference | None = None,
) -> ScaffoldResult:
    """Write ``study.toml`` for ``export`` into ``folder``, with a copy of the export beside it.

    A study may read only files inside its own folder, so the export is copied there (as it is:
    the study reads the export, not a cleaned copy). ``city``, ``year`` and ``title`` override
    what the export suggests; comments are written in ``lang``. ``inference`` is a result of
    :func:`infer_export` for ``export``, when the caller has one already.
    """
    export = Path(export)
    if year is not None and not 1900 <= year <= 2200:
        raise StudyError(f"init: expected a year such as 2026; found {year}")
    inf = inference or infer_export(export, format=format, host=host)
    given = {"city-unknown": city, "year-unknown": year, "timestamp-missing": None}
    inf = inf.model_copy(update={"checks": tuple(c for c in inf.checks if not given.get(c.code))})
    folder = Path(folder)
    study = folder / STUDY_FILE
    data = folder / export.name
    same = data.exists() and data.resolve() == export.resolve()
    existing = [p for p in (study, data) if p.exists() and not (p == data and same)]
    if existing and not force:
        raise StudyError(
            f"init: {', '.join(map(str, existing))} already exist(s); expected an empty folder "
            "(or use --force to overwrite)"
        )
    folder.mkdir(parents=True, exist_ok=True)
    if not same:
        shutil.copyfile(export, data)
    text = study_from_inference(
        inf, data_file=data.name, lang=lang, city=city, year=year, title=title
    )
    study.write_text(text, encoding="utf-8")
    return ScaffoldResult(study=study, data=data, inference=inf, lang=lang)
