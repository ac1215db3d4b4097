"""``gforms``: a Google Forms response export (CSV, or the linked sheet downloaded as .xlsx).

Google Forms writes one row per respondent and one column per grid question and row, headed
``"Question [Row]"``. With one grid per unsur and the OPDs as grid rows, the header reads
``"Persyaratan [Dinas Kesehatan]"`` (the default ``header_pattern``); with one grid per OPD, set
``header_pattern = "{opd} [{item}]"``. Answers are the option texts, matched to the scale's
labels and aliases in Indonesian or English, ignoring case and spacing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from publiceval.plugin import (
    DataError,
    KeepColumns,
    LayoutKind,
    RawChunk,
    Reader,
    TabularReader,
    Text,
    hookimpl,
)

from .csv_reader import CSVOptions, iter_csv
from .xlsx_reader import XLSXOptions, iter_xlsx

__all__ = ["GoogleFormsOptions", "GoogleFormsReader"]


class GoogleFormsOptions(BaseModel):
    """CSV options apply to a .csv export, ``sheet``/``header_row`` to an .xlsx download."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    delimiter: str | None = Field(default=None, min_length=1, max_length=1)
    encoding: str | None = None
    sheet: str | int | None = None
    header_row: int | None = Field(default=None, ge=1)


class GoogleFormsReader(TabularReader):
    """Google Forms responses: one row per respondent, OPDs in the column headers."""

    name = "gforms"
    title = Text(id="Ekspor Google Formulir", en="Google Forms export")
    suffixes = ()
    Options = GoogleFormsOptions
    default_layout: ClassVar[LayoutKind] = "opd-columns"
    respondent_fallbacks: ClassVar[tuple[str, ...]] = ("Email Address", "Alamat email")

    def iter_raw(self, path: Path, chunk_rows: int, keep: KeepColumns) -> Iterator[RawChunk]:
        opts = self.options
        if not isinstance(opts, GoogleFormsOptions):  # pragma: no cover
            raise DataError(f"{self.name}: options are not Google Forms options")
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            yield from iter_xlsx(
                path, chunk_rows, keep, XLSXOptions(sheet=opts.sheet, header_row=opts.header_row)
            )
        else:
            yield from iter_csv(
                path,
                chunk_rows,
                keep,
                CSVOptions(delimiter=opts.delimiter, encoding=opts.encoding),
            )


@hookimpl
def register_readers(register: Callable[[type[Reader]], None]) -> None:
    register(GoogleFormsReader)
