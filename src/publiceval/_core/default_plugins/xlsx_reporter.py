"""``xlsx``: the evaluation as a workbook (summary, OPD scores, items, recommendations, rejects)."""

from __future__ import annotations

from collections.abc import Callable

from publiceval.plugin import Evaluation, Lang, Reporter, Text, hookimpl


class XLSXReporter(Reporter):
    """One sheet per table with numbers as numbers; text that could run as a formula is inert.

    Needs the ``report`` extra (openpyxl).
    """

    name = "xlsx"
    title = Text(id="Buku kerja XLSX", en="XLSX workbook")
    suffix = ".xlsx"
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def render(self, evaluation: Evaluation, *, lang: Lang = "id") -> bytes:
        from publiceval.plugin import render_xlsx

        return render_xlsx(evaluation, lang)


@hookimpl
def register_reporters(register: Callable[[type[Reporter]], None]) -> None:
    register(XLSXReporter)
