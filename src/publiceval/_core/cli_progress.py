"""The command line's progress bar while a large data file is read."""

from __future__ import annotations

import sys
from typing import Any

import click

__all__ = ["ProgressBar"]


class ProgressBar:
    """A progress bar on stderr while a large file is read, only when stderr is a terminal."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.shown = 0

    def __call__(self, done: int, total: int) -> None:
        if total <= 0 or not sys.stderr.isatty():
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="reading", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(max(0, min(done, total) - self.shown))
        self.shown = max(self.shown, min(done, total))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
