"""``kobo``: a KoboToolbox export (CSV or XLSX) with group-prefixed column names.

Kobo names a column by its question's path, ``grp_layanan/q1``; the group prefix is dropped so
the column matches the item id ``q1``. In an export with labels as headers a label may contain
the separator itself ("Biaya/Tarif"), so there only a prefix shared by several columns (a group's
label) is dropped. Kobo's CSV uses ``;`` by default (sniffed like any CSV).
Exports "as XML values" carry choice names such as ``sangat_baik``: a choice name that matches
no label as written, but does ignoring case, accents and punctuation (``_`` read as a space),
is read as that label.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from publiceval.plugin import (
    ColumnMap,
    DataError,
    KeepColumns,
    RawChunk,
    Reader,
    Survey,
    TabularReader,
    Text,
    hookimpl,
    normalize_label,
)

from .csv_reader import CSVOptions, iter_csv
from .xlsx_reader import XLSXOptions, iter_xlsx

__all__ = ["KoboOptions", "KoboReader", "choice_key", "strip_groups"]


class KoboOptions(BaseModel):
    """``group_separator`` is ``/`` in Kobo's default export (``.`` or ``:`` on request)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    group_separator: str = Field(default="/", min_length=1)
    delimiter: str | None = Field(default=None, min_length=1, max_length=1)
    encoding: str | None = None
    sheet: str | int | None = None
    header_row: int | None = Field(default=None, ge=1)


_XML_NAME = re.compile(r"^[A-Za-z_][\w.\-]*$")
_JUNK = re.compile(r"[\W_]+")


def _is_names_header(header: list[str], separator: str) -> bool:
    """Whether every column is a path of XML names (an "XML values and headers" export)."""
    return all(
        all(_XML_NAME.match(part) for part in name.strip().split(separator))
        for name in header
        if name.strip()
    )


def _group_depth(name: str, separator: str, shared: Counter[str]) -> int:
    """How many leading path parts of a labels header are group labels (shared prefixes)."""
    parts = name.split(separator)
    depth = 0
    while depth < len(parts) - 1 and shared[separator.join(parts[: depth + 1])] > 1:
        depth += 1
    return depth


def strip_groups(header: list[str], separator: str, where: str = "data") -> list[str]:
    """Column names without their group path; two columns that would clash are an error.

    When every column is a path of names (``grp_a/q1``), everything before the last separator
    is the group path. Otherwise the headers are labels, which may hold the separator
    themselves ("Biaya/Tarif"): only leading parts shared by more than one column (a group's
    label) are dropped.
    """
    names_only = _is_names_header(header, separator)
    shared: Counter[str] = Counter()
    if not names_only:
        for name in header:
            parts = name.split(separator)
            shared.update(separator.join(parts[:k]) for k in range(1, len(parts)))
    out: list[str] = []
    seen: dict[str, str] = {}
    for name in header:
        if separator not in name:
            short = name
        elif names_only:
            short = name.rsplit(separator, 1)[-1].strip()
        else:
            depth = _group_depth(name, separator, shared)
            short = separator.join(name.split(separator)[depth:]).strip() if depth else name
        if short in seen:
            raise DataError(
                f"{where}: columns {seen[short]!r} and {name!r} both become {short!r} without "
                "their group; expected question names unique across groups. To keep the full "
                "paths, set [data.options] group_separator to a character no column name "
                'contains (e.g. "|") and map the paths in [data.columns]'
            )
        seen[short] = name
        out.append(short)
    return out


def choice_key(text: str) -> str:
    """``text`` compared ignoring case, accents, spacing and punctuation (``_`` included):
    ``"kurang_baik"``, ``"Kurang  Baik"`` and ``"Kurang-baik"`` share one key."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(_JUNK.sub(" ", ascii_text.casefold()).split())


class KoboReader(TabularReader):
    """KoboToolbox exports: group paths dropped from names, choice names read as labels."""

    name = "kobo"
    title = Text(id="Ekspor KoboToolbox", en="KoboToolbox export")
    suffixes = ()
    Options = KoboOptions
    respondent_fallbacks: ClassVar[tuple[str, ...]] = ("_uuid", "_id", "_index")

    def _opts(self) -> KoboOptions:
        opts = self.options
        if not isinstance(opts, KoboOptions):  # pragma: no cover
            raise DataError(f"{self.name}: options are not Kobo options")
        return opts

    def iter_raw(self, path: Path, chunk_rows: int, keep: KeepColumns) -> Iterator[RawChunk]:
        opts = self._opts()

        def rename(header: list[str]) -> list[str]:
            return strip_groups(header, opts.group_separator, str(path))

        if path.suffix.lower() in (".xlsx", ".xlsm"):
            xopts = XLSXOptions(sheet=opts.sheet, header_row=opts.header_row)
            yield from iter_xlsx(path, chunk_rows, keep, xopts, rename)
        else:
            copts = CSVOptions(delimiter=opts.delimiter, encoding=opts.encoding)
            yield from iter_csv(path, chunk_rows, keep, copts, rename)

    def adapt_values(
        self, values: list[Any], column: str, survey: Survey, mapping: ColumnMap
    ) -> list[Any]:
        if column == mapping.respondent:
            return values
        known = {n for s in survey.scales for n in s.lookup}
        texts: dict[str, str] = {}
        for s in survey.scales:
            for lab in s.labels:
                for t in (lab.label.id, lab.label.en):
                    texts.setdefault(choice_key(t), t)
            for alias in s.aliases:
                texts.setdefault(choice_key(alias), alias)
        for o in survey.opds:
            known.update(normalize_label(t) for t in o.names())
            texts.update((choice_key(t), t) for t in o.names())
        for p in survey.profile:
            known.update(normalize_label(t) for c in p.choices for t in (c.id, c.en))
            for c in p.choices:
                texts.setdefault(choice_key(c.id), c.id)
        texts.pop("", None)  # a text of punctuation alone names nothing
        out = []
        for v in values:
            if isinstance(v, str) and "_" in v and normalize_label(v) not in known:
                v = texts.get(choice_key(v), v)
            out.append(v)
        return out


@hookimpl
def register_readers(register: Callable[[type[Reader]], None]) -> None:
    register(KoboReader)
