"""Validated responses as numpy columns: the table, its parts and the typed hand-off that builds it.

* :mod:`.blocks`: :class:`ColumnMap` and :class:`AnswerBlock`;
* :mod:`.handoff`: :class:`Cells` and :class:`Handoff`, what a reader gives the builder;
* :mod:`.validate`: the one validation pass;
* :mod:`.ids`: :class:`RespondentIds`, the respondent ids as text made on demand;
* :mod:`.model`: :class:`ResponseTable` and its builders (``from_columns``, ``from_rows`` …).
"""

from .blocks import AnswerBlock, ColumnMap
from .handoff import Cells, Handoff
from .ids import RespondentIds
from .model import ResponseTable

__all__ = ["AnswerBlock", "Cells", "ColumnMap", "Handoff", "RespondentIds", "ResponseTable"]
