"""``kobo``: a KoboToolbox export (CSV or XLSX) with group-prefixed column names.

Kobo names a column by its question's path, ``grp_layanan/q1``; the group prefix is dropped so
the column matches the item id ``q1``. Kobo's CSV uses ``;`` by default (sniffed like any CSV).
Exports "as XML values" carry choice names such as ``sangat_baik``: a choice name that matches
no label as written, but does with ``_`` read as a space, is read that way.
"""

from __future__ import annotations

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

__all__ = ["KoboOptions", "KoboReader", "strip_groups"]


class KoboOptions(BaseModel):
    """``group_separator`` is ``/`` in Kobo's default export (``.`` or ``:`` on request)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    group_separator: str = Field(default="/", min_length=1)
    delimiter: str | None = Field(default=None, min_length=1, max_length=1)
    encoding: str | None = None
    sheet: str | int | None = None
    header_row: int | None = Field(default=None, ge=1)


def strip_groups(header: list[str], separator: str, where: str = "data") -> list[str]:
    """Column names without their group path; two columns that would clash are an error."""
    out: list[str] = []
    seen: dict[str, str] = {}
    for name in header:
        short = name.rsplit(separator, 1)[-1].strip() if separator in name else name
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
        for o in survey.opds:
            known.update(normalize_label(t) for t in (o.id, o.name, o.short_name) if t)
        out = []
        for v in values:
            if isinstance(v, str) and "_" in v and normalize_label(v) not in known:
                spaced = v.replace("_", " ")
                if normalize_label(spaced) in known:
                    v = spaced
            out.append(v)
        return out


@hookimpl
def register_readers(register: Callable[[type[Reader]], None]) -> None:
    register(KoboReader)
