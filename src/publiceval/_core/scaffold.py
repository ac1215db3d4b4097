"""``publiceval init``: a study for a new city, ready to fill in.

Writes a commented study file (city, period, the OPDs, a preset instrument such as the nine SKM
*unsur*) and a blank response template (CSV, and XLSX when openpyxl is installed) whose columns
match the study, so a group can collect answers in a spreadsheet and evaluate without Python.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import tomlkit
from pydantic import BaseModel
from tomlkit.items import AoT, Array, Key, KeyType, SingleKey, Table

from .errors import DataError, StudyError
from .presets import Preset, get_preset
from .profile import SUGGESTIONS_QUESTION, ProfileQuestion
from .survey import OPD, Item, Scale
from .toml_write import inline

__all__ = ["ScaffoldResult", "opds_from_csv", "opds_from_names", "scaffold_study", "slugify"]

STUDY_FILE = "study.toml"
TEMPLATE_STEM = "responses"

#: Bands of the SKM mean on 1–4 (PermenPANRB 14/2017: 2.60, 3.0644, 3.5324).
_SKM_BANDS = (
    ("D", "Tidak Baik", "Poor", 1.0),
    ("C", "Kurang Baik", "Fair", 2.60),
    ("B", "Baik", "Good", 3.0644),
    ("A", "Sangat Baik", "Very good", 3.5324),
)


class ScaffoldResult(BaseModel):
    """The files ``init`` wrote."""

    study: Path
    templates: list[Path]
    notes: list[str]


def slugify(name: str) -> str:
    """An OPD id from its name: ``"Dinas Kesehatan"`` → ``"dinas-kesehatan"``."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "opd"


def opds_from_names(names: Sequence[str]) -> list[OPD]:
    """OPDs named in a list; ids are made from the names and kept unique."""
    out: list[OPD] = []
    seen: set[str] = set()
    for raw in names:
        name = raw.strip()
        if not name:
            continue
        if any(o.name.casefold() == name.casefold() for o in out):
            raise StudyError(f"init: OPD {name!r} is listed twice; expected each OPD once")
        base = slugify(name)
        oid, k = base, 2
        while oid in seen:
            oid, k = f"{base}-{k}", k + 1
        seen.add(oid)
        out.append(OPD(id=oid, name=name))
    return out


def opds_from_csv(path: Path) -> list[OPD]:
    """OPDs from a CSV with a ``name`` column (``id``, ``short_name`` optional), or one name a line."""
    if not path.exists():
        raise DataError(f"OPD list not found: {path}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_text(encoding="cp1252")
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        raise DataError(f"{path}: the OPD list is empty; expected one OPD name a line")
    delim = ";" if lines[0].count(";") > lines[0].count(",") else ","
    rows = list(csv.reader(lines, delimiter=delim))
    header = [h.strip().casefold() for h in rows[0]]
    if "name" not in header and "nama" not in header:
        return opds_from_names([r[0] for r in rows if r])
    col = header.index("name") if "name" in header else header.index("nama")
    ids = header.index("id") if "id" in header else None
    short = header.index("short_name") if "short_name" in header else None
    out: list[OPD] = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) <= col or not row[col].strip():
            raise DataError(f"{path}, row {number}: expected an OPD name; found an empty cell")
        name = row[col].strip()
        oid = row[ids].strip() if ids is not None and len(row) > ids and row[ids].strip() else ""
        sn = row[short].strip() if short is not None and len(row) > short else ""
        try:
            out.append(OPD(id=oid or slugify(name), name=name, short_name=sn or None))
        except ValueError as exc:
            raise DataError(f"{path}, row {number}: {exc}") from None
    ids_seen = [o.id for o in out]
    dup = sorted({i for i in ids_seen if ids_seen.count(i) > 1})
    if dup:
        raise DataError(f"{path}: OPD ids must be unique; found {', '.join(dup)} more than once")
    return out


def _rows(rows: Sequence[Mapping[str, Any]]) -> Array:
    """An array of inline tables, one a line."""
    array = tomlkit.array()
    array.extend(inline(row) for row in rows)
    return array.multiline(True)


def _table(*entries: tuple[str | Key, Any] | str) -> Table:
    """A table from ``(key, value)`` pairs and comment lines (plain strings)."""
    table = tomlkit.table()
    for entry in entries:
        if isinstance(entry, str):
            table.add(tomlkit.comment(entry))
        else:
            table.add(*entry)
    return table


def _scale_table(scale: Scale) -> Table:
    labels = [{"value": lab.value, "label": lab.label.model_dump()} for lab in scale.labels]
    table = _table(
        ("id", scale.id), ("min", scale.min), ("max", scale.max), ("labels", _rows(labels))
    )
    if scale.aliases:
        table.add(
            tomlkit.comment("Other answer texts read as points (case and spacing do not matter).")
        )
        quoted = [(SingleKey(k, KeyType.Basic), v) for k, v in scale.aliases.items()]
        table.add("aliases", _table(*quoted))
    return table


def _item_table(item: Item) -> Table:
    table = _table(("id", item.id), ("text", inline(item.text.model_dump())), ("scale", item.scale))
    if item.scope != "opd":
        table.add("scope", item.scope)
    for key in ("element", "dimension"):
        if getattr(item, key):
            table.add(key, getattr(item, key))
    return table


def _profile_table(question: ProfileQuestion) -> Table:
    table = _table(("id", question.id), ("text", inline(question.text.model_dump())))
    if question.kind != "choice":
        table.add("kind", question.kind)
    if question.choices:
        table.add("choices", _rows([c.model_dump() for c in question.choices]))
    return table


def _aot(tables: Iterable[Table]) -> AoT:
    out = tomlkit.aot()
    for table in tables:
        out.append(table)
    return out


def study_text(
    *,
    city: str,
    year: int,
    opds: Sequence[OPD],
    preset: Preset,
    title: str | None = None,
    data_file: str = f"{TEMPLATE_STEM}.csv",
) -> str:
    """The commented study file (written with tomlkit, which keeps comments and quotes values)."""
    title = title or f"Survei Kepuasan Masyarakat {city} {year}"
    doc = tomlkit.document()
    for line in (
        f"publiceval study: {title}",
        "Edit this file, not Python. Lines starting with # are comments.",
        "  check the data:  publiceval validate study.toml",
        "  evaluate:        publiceval evaluate study.toml",
    ):
        doc.add(tomlkit.comment(line))
    doc.add(tomlkit.nl())
    doc.add(
        "survey",
        _table(
            ("title", title),
            ("city", city),
            ("period_start", dt.date(year, 1, 1)),
            ("period_end", dt.date(year, 12, 31)),
        ),
    )
    data = _table(
        "The answers: one row per respondent and OPD, one column per item (see the template).",
        ("path", data_file),
        f"path = {tomlkit.item(TEMPLATE_STEM + '.xlsx').as_string()}   # the Excel template works too",
        'format = "csv"         # csv, xlsx, gforms, kobo, parquet (default: from the file ending)',
        'layout = "wide"        # wide | long (respondent, opd, item, value) | opd-columns',
    )
    data.add(
        "columns",
        _table(
            "Which column holds what; item columns default to the item id.",
            ("respondent", "respondent"),
            ("opd", "opd"),
            'weight = "weight"',
            *([("suggestions", SUGGESTIONS_QUESTION.id)] if preset.profile else []),
        ),
    )
    doc.add("data", data)
    if preset.skm:
        doc.add(
            "method",
            _table(
                '"ikm-2017": the IKM of PermenPANRB 14/2017 (25-100), the NRR of each element',
                "over the answers it was given, with confidence intervals.",
                ("name", "ikm-2017"),
            ),
        )
        doc.add(
            "scheme",
            _table(
                "The service quality letters (mutu pelayanan A-D) of PermenPANRB 14/2017.",
                ("name", "permenpan-2017"),
            ),
        )
    else:
        doc.add(
            "method",
            _table(
                '"mean" scores each OPD by the mean answer on 1-4 with its confidence interval.',
                ("name", "mean"),
            ),
        )
        bands = [
            {"code": code, "label": {"id": ind, "en": eng}, "low": low}
            for code, ind, eng, low in _SKM_BANDS
        ]
        doc.add(
            "scheme",
            _table(
                "SKM categories on the 1-4 mean (PermenPANRB 14/2017).",
                ("name", "cutoffs"),
                (tomlkit.key(["options", "bands"]), _rows(bands)),
            ),
        )
    lang = tomlkit.item("id")
    lang.comment("id or en")
    doc.add("report", _table(("lang", lang)))
    doc.add(tomlkit.nl())
    doc.add(tomlkit.comment(f"Instrument: {preset.title.en}"))
    doc.add("scales", _aot(_scale_table(scale) for scale in preset.scales))
    doc.add("items", _aot(_item_table(item) for item in preset.items))
    if preset.profile:
        doc.add(tomlkit.nl())
        doc.add(
            tomlkit.comment("Who answered (PermenPANRB 14/2017): shown in the reports, not scored.")
        )
        doc.add(
            tomlkit.comment("Edit the choices to your form's; delete a question you do not ask.")
        )
        doc.add("profile", _aot(_profile_table(q) for q in preset.profile))
    doc.add(tomlkit.nl())
    doc.add(
        tomlkit.comment("The work units (OPD) rated. 'id' is what the data's opd column may hold;")
    )
    doc.add(tomlkit.comment("the name and short name are accepted there too."))
    opd_tables = []
    for o in opds:
        table = _table(("id", o.id), ("name", o.name))
        if o.short_name:
            table.add("short_name", o.short_name)
        opd_tables.append(table)
    doc.add("opds", _aot(opd_tables))
    return tomlkit.dumps(doc)


def template_columns(preset: Preset) -> list[str]:
    """Columns of the response template, in order."""
    extra = [q.data_column for q in preset.profile]
    if preset.profile:
        extra.append(SUGGESTIONS_QUESTION.id)
    return ["respondent", "opd", *[i.id for i in preset.items], *extra]


def _write_xlsx(path: Path, columns: list[str], preset: Preset, opds: Sequence[OPD]) -> bool:
    try:
        from openpyxl import Workbook  # type: ignore[import-untyped,import-not-found,unused-ignore]
        from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        return False
    wb = Workbook()
    ws = wb.active
    ws.title = "responses"
    ws.append(columns)
    help_ws = wb.create_sheet("petunjuk")
    help_ws.append(["OPD (kolom opd)", "nama / name"])
    for o in opds:
        help_ws.append([o.id, o.name])
    help_ws.append([])
    help_ws.append(["nilai / value", "label (id)", "label (en)"])
    for scale in preset.scales:
        for lab in scale.labels:
            help_ws.append([lab.value, lab.label.id, lab.label.en])
    help_ws.append([])
    help_ws.append(["item", "pertanyaan", "question"])
    for item in preset.items:
        help_ws.append([item.id, item.text.id, item.text.en])
    if opds:
        dv = DataValidation(
            type="list", formula1=f"=petunjuk!$A$2:$A${len(opds) + 1}", allow_blank=True
        )
        ws.add_data_validation(dv)
        dv.add("B2:B100000")
    wb.save(path)
    return True


def scaffold_study(
    folder: str | Path,
    *,
    city: str,
    year: int,
    opds: Sequence[OPD],
    preset: str = "skm9",
    title: str | None = None,
    force: bool = False,
) -> ScaffoldResult:
    """Write ``study.toml`` and blank ``responses.csv`` / ``responses.xlsx`` into ``folder``."""
    if not city.strip():
        raise StudyError("init: expected a city name; found an empty one")
    if not opds:
        raise StudyError("init: expected at least one OPD (--opd NAME or --opds-file FILE)")
    if not 1900 <= year <= 2200:
        raise StudyError(f"init: expected a year such as 2025; found {year}")
    chosen = get_preset(preset)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    study = folder / STUDY_FILE
    csv_path = folder / f"{TEMPLATE_STEM}.csv"
    xlsx_path = folder / f"{TEMPLATE_STEM}.xlsx"
    existing = [p for p in (study, csv_path, xlsx_path) if p.exists()]
    if existing and not force:
        raise StudyError(
            f"init: {', '.join(map(str, existing))} already exist(s); expected an empty folder "
            "(or use --force to overwrite)"
        )
    study.write_text(
        study_text(city=city.strip(), year=year, opds=opds, preset=chosen, title=title),
        encoding="utf-8",
    )
    columns = template_columns(chosen)
    with csv_path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerow(columns)
    templates = [csv_path]
    notes: list[str] = []
    if _write_xlsx(xlsx_path, columns, chosen, opds):
        templates.append(xlsx_path)
    else:
        notes.append("no XLSX template: install openpyxl (pip install 'publiceval[xlsx]')")
    return ScaffoldResult(study=study, templates=templates, notes=notes)
