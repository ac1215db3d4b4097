"""``publiceval.render``: an evaluation as a report, without reaching for the plugin host."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .plugins import PluginHost, get_host
from .results import Evaluation
from .text import Lang, report_langs

__all__ = ["render", "report_langs"]


def render(
    evaluation: Evaluation,
    format: str = "table",
    *,
    lang: Lang = "id",
    options: Mapping[str, Any] | None = None,
    host: PluginHost | None = None,
) -> bytes:
    """Render ``evaluation`` with the reporter named ``format`` (``table``, ``json``,
    ``markdown``, ``html``, ``xlsx`` or a plugin's), in Indonesian (``id``) or English (``en``).

    Returns the report's bytes (text reports are UTF-8); write them to a file or decode them.
    The reporter reads only the evaluation, so ``host`` matters only for finding the reporter.
    """
    reporter = (host or get_host()).reporter(format).create(options)
    return reporter.render(evaluation, lang=lang)
