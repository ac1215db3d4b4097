"""TOML values written by a library (tomlkit): quoting, escapes and number formats are its job.

Used by ``publiceval init`` (the commented study file) and by :func:`publiceval.testing.toml_value`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

import tomlkit
from tomlkit.items import Item, SingleKey

from .errors import PublicevalError

__all__ = ["inline"]


def inline(value: Any) -> Item:
    """``value`` as an inline TOML item: tables stay ``{ … }`` and lists ``[ … ]`` at any depth."""
    if isinstance(value, float) and not math.isfinite(value):
        raise PublicevalError(f"TOML cannot hold the number {value!r}")
    if isinstance(value, Mapping):
        table = tomlkit.inline_table()
        for key, item in value.items():
            table.append(SingleKey(str(key)), inline(item))
        return table
    if isinstance(value, (list, tuple)):
        array = tomlkit.array()
        array.extend(inline(item) for item in value)
        return array
    if isinstance(value, (bool, int, float, str, dt.date, dt.time)):
        return tomlkit.item(value)
    raise PublicevalError(
        f"expected a string, number, boolean, list or table for TOML; found {type(value).__name__}"
    )
