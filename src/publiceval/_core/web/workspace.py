"""The folder ``publiceval serve`` works in: one sub-folder per study, nothing written outside.

A study is addressed in URLs by a *key*: the name of a sub-folder of the root (``-`` for the root
folder itself). Keys are checked against a strict pattern and resolved paths are checked to stay
inside the root, so a crafted URL (``..``, an absolute path, a symlink out) reaches no other file.
Each upload gets a new sub-folder, so two volunteers (or two tabs) never share a file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import StudyError

__all__ = ["ROOT_KEY", "StudyFolder", "Workspace", "atomic_write", "safe_filename"]

ROOT_KEY = "-"
STUDY_FILE = "study.toml"
STATE_DIR = ".publiceval-web"
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_EXPORT_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all: two tabs on one study never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def safe_filename(name: str, default: str = "export.csv") -> str:
    """A file name made of letters, digits, ``.``, ``_`` and ``-`` only (no folder, no dot first).

    Browsers send the name the user's file had; it may hold a path (``..\\..\\x``), control
    characters or nothing usable, so only its last component's safe characters are kept.
    """
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    base = _UNSAFE.sub("-", base).strip(".-_")[:80]
    stem, dot, suffix = base.rpartition(".")
    stem = stem.strip(".-_")
    if not dot or not stem or f".{suffix.lower()}" not in _EXPORT_SUFFIXES:
        # keep the ending the readers decide by; anything else keeps the default's ending
        suffix = default.rpartition(".")[2]
        stem = base.replace(".", "-") or default.rpartition(".")[0]
    return f"{stem}.{suffix.lower()}"


@dataclass(frozen=True)
class StudyFolder:
    """One study the app can open: its key, folder and study file."""

    key: str
    folder: Path

    @property
    def study(self) -> Path:
        """The study file (``study.toml``)."""
        return self.folder / STUDY_FILE

    @property
    def state(self) -> Path:
        """Where the app keeps what it inferred and evaluated (inside the study's folder)."""
        return self.folder / STATE_DIR

    def label(self) -> str:
        """What the start page lists: the folder's name."""
        return self.folder.name if self.key != ROOT_KEY else f"{self.folder.name} (.)"

    # -- the inference (web uploads) ---------------------------------------------------------

    def load_state(self) -> dict[str, Any] | None:
        """What the upload inferred and what was corrected, or ``None`` for other studies."""
        path = self.state / "inference.json"
        if not path.is_file():
            return None
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data

    def save_state(self, data: dict[str, Any]) -> None:
        """Keep the inference (and the corrections) for the next edit."""
        text = json.dumps(data, ensure_ascii=False, indent=1)
        atomic_write(self.state / "inference.json", text.encode("utf-8"))

    # -- the evaluation and the rendered reports ---------------------------------------------

    @property
    def evaluation_file(self) -> Path:
        """The last evaluation, as JSON."""
        return self.state / "evaluation.json"

    def evaluation_is_current(self) -> bool:
        """An evaluation exists and is newer than the study file it came from."""
        ev = self.evaluation_file
        return ev.is_file() and ev.stat().st_mtime_ns >= self.study.stat().st_mtime_ns

    def forget_evaluation(self) -> None:
        """Drop the evaluation and the reports rendered from it (the study changed)."""
        for path in (self.evaluation_file, self.state / "reports"):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)

    @property
    def compare_dir(self) -> Path:
        """Where the compare step keeps the earlier period and the comparison made with it."""
        return self.state / "compare"

    def cached_report(self, name: str) -> Path:
        """Where a rendered report is kept (``name`` is from a fixed set, never from a URL)."""
        return self.state / "reports" / name


class Workspace:
    """The root folder given to ``publiceval serve``: lists, creates and resolves studies."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def studies(self) -> list[StudyFolder]:
        """The root (when it is a study) and every sub-folder holding a ``study.toml``."""
        found = []
        if (self.root / STUDY_FILE).is_file():
            found.append(StudyFolder(ROOT_KEY, self.root))
        if self.root.is_dir():
            for child in sorted(self.root.iterdir(), key=lambda p: p.name.lower()):
                if _KEY.match(child.name) and (child / STUDY_FILE).is_file():
                    found.append(StudyFolder(child.name, child))
        return found

    def get(self, key: str) -> StudyFolder:
        """The study ``key`` names, refusing anything outside the root or without a study."""
        if key == ROOT_KEY:
            folder = self.root
        elif _KEY.match(key) and ".." not in key:
            folder = self.root / key
        else:
            raise StudyError(f"not a study name: {key!r}")
        real = folder.resolve()
        if real != self.root and self.root not in real.parents:
            raise StudyError(f"not a study name: {key!r}")
        if not (real / STUDY_FILE).is_file():
            raise StudyError(f"no study named {key!r} in {self.root}")
        return StudyFolder(key, real)

    def new_folder(self, filename: str) -> StudyFolder:
        """A fresh sub-folder for an upload, named after the file and the time (never reused)."""
        stem = filename.rpartition(".")[0][:40] or "export"
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        self.root.mkdir(parents=True, exist_ok=True)
        for _ in range(20):
            key = f"{stem}-{stamp}-{secrets.token_hex(2)}"
            folder = self.root / key
            try:
                folder.mkdir()
            except FileExistsError:
                continue
            return StudyFolder(key, folder)
        raise StudyError(f"could not create a new folder in {self.root}")  # pragma: no cover

    def discard(self, study: StudyFolder) -> None:
        """Remove a folder this app created for an upload that could not be read."""
        if study.key != ROOT_KEY and study.folder.parent == self.root:
            shutil.rmtree(study.folder, ignore_errors=True)
