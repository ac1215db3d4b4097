"""Reports people can publish: one message catalogue, one context, charts and templates.

:func:`build_context` turns an :class:`~publiceval._core.results.Evaluation` into what every format
shows; :mod:`.render` lays it out as HTML or Markdown, :mod:`.xlsx` as a workbook, and
:mod:`.charts` draws its SVG by hand (no plotting library). Jinja2 and openpyxl come with the
``report`` extra and are imported only when a report that needs them is rendered.
"""

from __future__ import annotations

from .context import ReportContext, build_context
from .messages import MESSAGES, Messages, messages

__all__ = ["MESSAGES", "Messages", "ReportContext", "build_context", "messages"]
