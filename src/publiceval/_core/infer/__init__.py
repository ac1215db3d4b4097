"""``publiceval init --from EXPORT``: a study inferred from a form export, every decision commented.

* :mod:`.export`: the export read through the reader plugins (every column's distinct values);
* :mod:`.headers`: what a header's words say a column holds;
* :mod:`.scales`: answer scales from the answers' words;
* :mod:`.classify`: each column's role (answers first, then words);
* :mod:`.elements`: question columns to the nine SKM elements, by meaning;
* :mod:`.opds`: the OPD column, the OPDs, their short names and aliases;
* :mod:`.respondents`: the respondent-profile questions;
* :mod:`.checks`: the list of what to check;
* :mod:`.write`: the commented study file;
* :mod:`.api`: :func:`infer_export` and :func:`scaffold_from_export`;
* :mod:`.command`: the ``--from`` and ``--lang`` options of ``publiceval init``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import ScaffoldResult, infer_export, scaffold_from_export
    from .model import Check, ColumnRole, Inference, ItemGuess, OPDGuess, ProfileGuess, ScaleGuess

#: Where each name lives: loaded on first use, so ``publiceval --help`` (which imports the
#: ``--from`` option from :mod:`.command`) does not load the inference.
_HOME = {
    "ScaffoldResult": "api",
    "infer_export": "api",
    "scaffold_from_export": "api",
    **dict.fromkeys(
        ("Check", "ColumnRole", "Inference", "ItemGuess", "OPDGuess", "ProfileGuess", "ScaleGuess"),
        "model",
    ),
}

__all__ = [
    "Check",
    "ColumnRole",
    "Inference",
    "ItemGuess",
    "OPDGuess",
    "ProfileGuess",
    "ScaffoldResult",
    "ScaleGuess",
    "infer_export",
    "scaffold_from_export",
]


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(importlib.import_module(f".{_HOME[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
