"""Cells of the XLSX workbook: every text stored safely, numbers as numbers, column widths."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import PluginError
from ..text import clean_text

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import (  # type: ignore[import-untyped,unused-ignore]
        Worksheet,
    )

__all__ = ["FORMULA_PREFIXES", "PERCENT_FORMAT", "SCORE_FORMAT", "Sheet", "needs_neutralising"]

#: Leading characters that make a spreadsheet treat text as a formula (OWASP CSV injection),
#: with their full-width forms, which some spreadsheet programs also accept.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
SCORE_FORMAT = "0.00"
PERCENT_FORMAT = "0%"


def needs_neutralising(text: str) -> bool:
    """Whether a spreadsheet could run ``text`` as a formula."""
    return text.lstrip(" ").startswith(FORMULA_PREFIXES)


def require_openpyxl() -> Any:
    try:
        import openpyxl  # type: ignore[import-untyped,unused-ignore]
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise PluginError(
            "the xlsx format needs openpyxl; install the report extra: "
            "pip install 'publiceval[report]'"
        ) from exc
    return openpyxl


class Sheet:
    """Appends rows to a worksheet, storing every text cell safely."""

    def __init__(self, ws: Worksheet, header: Sequence[str] | None = None) -> None:
        from openpyxl.cell.cell import (  # type: ignore[import-untyped,unused-ignore]
            ILLEGAL_CHARACTERS_RE,
        )
        from openpyxl.styles import (  # type: ignore[import-untyped,unused-ignore]
            Font,
            PatternFill,
        )

        self.ws = ws
        self.row = 0
        self._illegal = ILLEGAL_CHARACTERS_RE
        self._bold = Font(bold=True)
        self._fill = PatternFill("solid", fgColor="DDE3EA")
        self.widths: dict[int, int] = {}
        if header is not None:
            self.add(header, header=True)
            ws.freeze_panes = "A2"

    def add(
        self,
        values: Sequence[object],
        *,
        header: bool = False,
        formats: dict[int, str] | None = None,
        bold: bool = False,
    ) -> None:
        self.row += 1
        for col, value in enumerate(values, start=1):
            cell = self.ws.cell(row=self.row, column=col)
            if value is None:
                continue
            if isinstance(value, bool):
                cell.value = value
            elif isinstance(value, (int, float)):
                cell.value = value
                if formats and col in formats:
                    cell.number_format = formats[col]
            else:
                # control characters as escapes (``\x1b``), like every text report; this also
                # keeps out the characters openpyxl refuses
                text = self._illegal.sub("", clean_text(str(value)))
                cell.value = text
                cell.data_type = "s"
                if needs_neutralising(text):
                    cell.quotePrefix = True
            if header or bold:
                cell.font = self._bold
            if header:
                cell.fill = self._fill
            width = min(60, max(8, len(str(value)) + 2))
            self.widths[col] = max(self.widths.get(col, 0), width)

    def blank(self) -> None:
        self.row += 1

    def finish(self, *, filter_header: bool = True) -> None:
        from openpyxl.utils import (  # type: ignore[import-untyped,unused-ignore]
            get_column_letter,
        )

        for col, width in self.widths.items():
            self.ws.column_dimensions[get_column_letter(col)].width = width
        if filter_header and self.row > 1:
            self.ws.auto_filter.ref = self.ws.dimensions
