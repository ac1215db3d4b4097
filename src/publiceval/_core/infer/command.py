"""``publiceval init --from EXPORT``: the command-line options and what they run.

Kept beside the inference they drive, so the command module stays a thin face: one decorator
gives ``init`` the options ``--from`` and ``--lang`` and, when ``--from`` is given, runs
:func:`run_init_from` instead of the blank-template scaffold.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ..errors import StudyError
from ..text import one_line

__all__ = ["from_export_option", "run_init_from"]

F = TypeVar("F", bound=Callable[..., Any])
#: ``init`` options that --from replaces with what the export holds.
_REPLACED = {"opd_names": "--opd", "opds_file": "--opds-file", "preset": "--preset"}


def from_export_option(command: F) -> F:
    """Give ``init`` the options ``--from EXPORT`` and ``--lang``; with ``--from`` the study is
    inferred from the export instead of running ``command``.

    Place it under the error guard, so a bad export ends in one clear line and its exit code.
    """

    @functools.wraps(command)
    def wrapper(*args: Any, export: Path | None = None, lang: str = "id", **kwargs: Any) -> Any:
        if export is None:
            return command(*args, **kwargs)
        run_init_from(
            export,
            kwargs["folder"],
            lang=lang,
            city=kwargs.get("city"),
            year=kwargs.get("year"),
            title=kwargs.get("title"),
            force=bool(kwargs.get("force")),
        )
        return None

    wrapper = click.option(
        "--lang",
        type=click.Choice(["id", "en"]),
        default="id",
        show_default=True,
        help="With --from: the language of the study's comments and of what to check.",
    )(wrapper)
    wrapper = click.option(
        "--from",
        "export",
        type=click.Path(path_type=Path),
        default=None,
        metavar="EXPORT",
        help="A form export (CSV or XLSX from Google Forms, KoboToolbox or a spreadsheet): "
        "write a study that evaluates it as it is (OPDs, questions, scales and profile "
        "inferred, each inference commented) and copy it into FOLDER. --city and --year "
        "become optional.",
    )(wrapper)
    return wrapper  # type: ignore[return-value]


def _replaced_options() -> list[str]:
    """The ``init`` options given that ``--from`` replaces."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return []
    return [
        flag
        for name, flag in _REPLACED.items()
        if ctx.get_parameter_source(name) not in (None, click.core.ParameterSource.DEFAULT)
    ]


def run_init_from(
    export: Path,
    folder: Path,
    *,
    lang: str,
    city: str | None,
    year: int | None,
    title: str | None,
    force: bool,
) -> None:
    """Infer the study, ask for the city only when the export names none (on a terminal),
    write it, and print what was written and the list of what to check."""
    from .api import infer_export, scaffold_from_export

    given = _replaced_options()
    if given:
        raise StudyError(
            "init: --from takes the OPDs and the questions from the export; drop "
            + ", ".join(given)
        )
    inference = infer_export(export)
    if not city and not inference.city and sys.stdin.isatty() and sys.stdout.isatty():
        city = click.prompt("City / kota (empty: fill in later)", default="", show_default=False)
    made = scaffold_from_export(
        folder,
        export,
        lang="en" if lang == "en" else "id",
        city=city or None,
        year=year,
        title=title,
        force=force,
        inference=inference,
    )
    after = "berikutnya" if lang == "id" else "next"
    for line in [*made.summary(), *made.checklist(), f"{after}: publiceval validate {made.study}"]:
        click.echo(one_line(line))
