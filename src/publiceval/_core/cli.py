"""The ``publiceval`` command: a thin face over the library for people who do not write Python.

Exit codes (scripts may rely on them): 0 success; 1 unexpected internal error; 2 wrong command
usage; 3 study or survey error; 4 data error (file missing, empty or unreadable); 5 plugin error;
6 a gate stopped the run: too many rejected rows (``--max-rejects``, ``[data] max_rejects``,
10% by default) or an OPD without a usable row (``--allow-empty-opds``).
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .cli_progress import ProgressBar as _ProgressBar
from .compare.command import compare
from .errors import PublicevalError, StudyError
from .infer.command import from_export_option
from .text import Lang, clean_text, json_safe, one_line, report_langs
from .web.command import serve

if TYPE_CHECKING:
    from .study import Study

# The plugin host and the study loader (numpy, the readers, the plugins) load inside the
# commands that use them, so `publiceval --help` starts fast.

F = TypeVar("F", bound=Callable[..., Any])

EXIT_INTERNAL = 1
EXIT_TOO_MANY_REJECTS = 6
_TEXT_TYPES = ("text", "application/json")


def _guarded(func: F) -> F:
    """Turn library errors into one clear line and a documented exit code (traceback with --debug)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = click.get_current_context().find_root().params.get("debug", False)
        try:
            return func(*args, **kwargs)
        except PublicevalError as exc:
            if debug:
                traceback.print_exc()
            for line in str(exc).splitlines() or [type(exc).__name__]:
                click.echo(f"error: {one_line(line)}", err=True)
            sys.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            raise  # the reader closed the pipe (``| head``): click ends quietly
        except Exception as exc:
            if debug:
                traceback.print_exc()
            click.echo(
                one_line(
                    f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)"
                ),
                err=True,
            )
            sys.exit(EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]


_MAX_REJECTS = click.option(
    "--max-rejects",
    default=None,
    metavar="N|P%",
    help="Stop with exit code 6 when more rows than this are rejected (a count, or a "
    "percentage of the rows read). Default: the study's [data] max_rejects, else 10%.",
)
_ALLOW_EMPTY = click.option(
    "--allow-empty-opds",
    is_flag=True,
    help="Go on when an OPD of the study has no usable row (by default that stops the run "
    "with exit code 6, so a report never silently leaves an OPD out).",
)
_ALLOW_OUTSIDE = click.option(
    "--allow-outside-data",
    is_flag=True,
    help="Let the study's [data] path (and [report] output) name a place outside the study "
    "file's folder. Off by default, so a study file from someone else cannot read other files.",
)


def _report_folder(loaded: Study, allow_outside: bool) -> Path:
    """``[report] output`` under the study's folder; a place outside it only when allowed."""
    assert loaded.spec.report.output is not None
    folder = loaded.base_dir / loaded.spec.report.output
    base = loaded.base_dir.resolve()
    real = folder.resolve()
    if not allow_outside and real != base and base not in real.parents:
        raise StudyError(
            f"{loaded.path}: key 'report.output': {loaded.spec.report.output!r} resolves to "
            f"{real}, outside the study's folder {base}; a study may write only inside its own "
            "folder (to allow this one: --allow-outside-data, or give --output)"
        )
    return folder


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show a full traceback on errors.")
@click.version_option(package_name="publiceval")
def cli(debug: bool) -> None:
    """Evaluate public services from citizens' survey answers."""


@cli.command()
@click.argument("study", type=click.Path(path_type=Path))
@click.option(
    "--format", "-f", "fmt", default=None, help="Reporter: table, json, … (default: the study's)."
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    default=None,
    help="Write the report to this file.",
)
@click.option(
    "--lang",
    default=None,
    metavar="id|en|id,en",
    callback=lambda _ctx, _param, value: report_langs(value),
    help="Report language, or several separated by commas: each is written, the file names "
    "suffixed .id and .en (default: the study's).",
)
@click.option(
    "--chunk-rows",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Read and reduce the data N rows at a time, in constant memory (the method must score "
    "from aggregates, e.g. mean); the result is the same as reading it whole. Default: whole, "
    "or chunks of [data] chunk_rows for a data file over 1 GB when the method can.",
)
@click.option(
    "--engine",
    type=click.Choice(["memory", "chunked", "dask"]),
    default=None,
    help="Where to evaluate: memory, chunked (constant memory) or dask (one task per file on "
    "the [data] scheduler). Default: [data] engine, else memory (chunked for a folder or glob).",
)
@_MAX_REJECTS
@_ALLOW_EMPTY
@_ALLOW_OUTSIDE
@click.option("--period", metavar="ID", help="A [[periods]] id (default: the latest).")
@_guarded
def evaluate(
    study: Path,
    fmt: str | None,
    output: Path | None,
    lang: tuple[Lang, ...] | None,
    chunk_rows: int | None,
    engine: str | None,
    max_rejects: str | None,
    allow_empty_opds: bool,
    allow_outside_data: bool,
    period: str | None,
) -> None:
    """Evaluate STUDY (a .toml study file) and print or write a report.

    Stops with exit code 6, writing no report, when more rows were rejected than the study's
    [data] max_rejects (10% by default) or an OPD of the study has no usable row.
    """
    from .plugins import get_host
    from .study import load_study

    host = get_host()
    loaded = load_study(study, allow_outside_data=allow_outside_data)
    loaded = loaded.period(period) if period is not None else loaded
    bar = _ProgressBar()
    try:
        evaluation = loaded.evaluate(
            host,
            progress=bar,
            chunk_rows=chunk_rows or loaded.auto_chunk_rows(host),
            max_rejects=max_rejects,
            allow_empty_opds=allow_empty_opds or None,
            engine=engine,
        )
    finally:
        bar.close()
    langs = lang or (loaded.spec.report.lang,)
    formats = [fmt] if fmt else loaded.spec.report.formats
    for name, lang_ in ((n, x) for n in formats for x in langs):
        reporter = host.reporter(name).create()
        data = reporter.render(evaluation, lang=lang_)
        # several languages in one run: report.html -> report.id.html, report.en.html
        tag = f".{lang_}" if len(langs) > 1 else ""
        target = output.with_name(f"{output.stem}{tag}{output.suffix}") if output else None
        if target is None and loaded.spec.report.output and not fmt:
            folder = _report_folder(loaded, allow_outside_data)
            target = folder / f"{study.stem}{tag}{reporter.suffix}"
        if target is None:
            # a third-party reporter too prints no control character raw to the terminal
            text = data.decode("utf-8") if reporter.media_type.startswith(_TEXT_TYPES) else ""
            safe = json_safe if reporter.media_type.startswith("application/json") else clean_text
            click.echo(safe(text), nl=False)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        click.echo(one_line(f"wrote {target}"), err=True)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@_guarded
def plugins(as_json: bool) -> None:
    """List installed plugins, the hooks they implement and what they provide.

    A name registered by two plugins is marked "(clash)" under both and explained at the end;
    it breaks only a study that uses it.
    """
    from .plugins import get_host

    host = get_host()
    infos = host.plugins()
    if as_json:
        click.echo(json.dumps([i.model_dump() for i in infos], indent=2))
        return
    for info in infos:
        version = f" {info.version}" if info.version else ""
        click.echo(f"{info.name}{version} ({info.source}): hooks {', '.join(info.hooks) or '-'}")
        for kind, names in info.provides.items():
            clashing = set(info.clashes.get(kind, ()))
            shown = [f"{n} (clash)" if n in clashing else n for n in names]
            click.echo(f"    {kind}: {', '.join(shown)}")
    for clash in host.clashes():
        who = ", ".join(
            f"plugin {p!r}" + (f" (package {pkg})" if pkg else "")
            for p, pkg in zip(clash.plugins, clash.packages, strict=True)
        )
        click.echo(
            f"clash: {clash.kind[:-1]} {clash.name!r} is registered by {who}; a study using it "
            f"fails (exit code 5) until one is uninstalled or left out of PUBLICEVAL_LOAD_PLUGINS",
            err=True,
        )


@cli.command()
@click.argument("study", type=click.Path(path_type=Path))
@_MAX_REJECTS
@_ALLOW_EMPTY
@click.option("--show", default=5, show_default=True, help="Example rows shown per reason.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@_ALLOW_OUTSIDE
@click.option("--period", metavar="ID", help="A [[periods]] id (default: the latest).")
@_guarded
def validate(
    study: Path,
    max_rejects: str | None,
    allow_empty_opds: bool,
    show: int,
    as_json: bool,
    allow_outside_data: bool,
    period: str | None,
) -> None:
    """Check STUDY's data: rows read, used and rejected, and why.

    Exits with code 6 when a gate would stop `evaluate`: more rejected rows than
    [data] max_rejects (10% by default), or an OPD of the study without a usable row.
    """
    from .validation import validate_study

    bar = _ProgressBar()
    try:
        report = validate_study(
            study,
            max_rejects=max_rejects,
            show=show,
            progress=bar,
            allow_outside_data=allow_outside_data,
            allow_empty_opds=allow_empty_opds or None,
            period=period,
        )
    finally:
        bar.close()
    if as_json:
        click.echo(json_safe(report.model_dump_json(indent=2)))
    else:
        for line in report.lines():
            click.echo(one_line(line))  # a name or a cell as typed: no control character raw
    if report.failed:
        for problem in report.gate_problems:
            click.echo(one_line(f"error: {problem}"), err=True)
        sys.exit(EXIT_TOO_MANY_REJECTS)


def _ask(value: Any, prompt: str, **kwargs: Any) -> Any:
    """The flag's value, or a question when on a terminal, or an error naming the flag."""
    if value not in (None, (), ""):
        return value
    if sys.stdin.isatty() and sys.stdout.isatty():
        return click.prompt(prompt, **kwargs)
    return kwargs.get("default")


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path), default=".")
@click.option("--city", default=None, help='City or regency, e.g. "Kota Serang".')
@click.option("--year", type=int, default=None, help="Survey year (period 1 Jan - 31 Dec).")
@click.option("--title", default=None, help="Survey title (default: from city and year).")
@click.option("--opd", "opd_names", multiple=True, help="An OPD name (repeat for each).")
@click.option(
    "--opds-file",
    type=click.Path(path_type=Path),
    default=None,
    help="CSV of OPDs: a 'name' column (and optional 'id', 'short_name'), or one name a line.",
)
@click.option("--preset", default="skm9", show_default=True, help="Instrument preset.")
@click.option("--force", is_flag=True, help="Overwrite existing files.")
@_guarded
@from_export_option
def init(
    folder: Path,
    city: str | None,
    year: int | None,
    title: str | None,
    opd_names: tuple[str, ...],
    opds_file: Path | None,
    preset: str,
    force: bool,
) -> None:
    """Scaffold a study in FOLDER: study.toml and blank response templates (or, --from EXPORT,
    a study that evaluates that export)."""
    import datetime as dt

    from .presets import PRESETS
    from .scaffold import opds_from_csv, opds_from_names, scaffold_study

    city = _ask(city, "City / kota")
    if not city:
        raise StudyError("init: expected --city (e.g. --city 'Kota Serang')")
    year = _ask(year, "Year / tahun", type=int, default=dt.date.today().year)
    if opds_file is not None:
        opds = opds_from_csv(opds_file)
    else:
        names = list(opd_names)
        if not names:
            answer = _ask(None, "OPD names, separated by ';'")
            names = [n for n in str(answer or "").split(";") if n.strip()]
        opds = opds_from_names(names)
    if preset not in PRESETS and sys.stdin.isatty():
        preset = click.prompt("Preset", type=click.Choice(list(PRESETS)), default="skm9")
    result = scaffold_study(
        folder, city=city, year=int(year), opds=opds, preset=preset, title=title, force=force
    )
    click.echo(f"wrote {result.study}")
    for path in result.templates:
        click.echo(f"wrote {path}")
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(
        f"next: fill in {result.templates[0].name}, then run: publiceval validate {result.study}"
    )


@cli.command()
@click.argument("study", type=click.Path(path_type=Path))
@click.option("--format", "-f", "fmt", type=click.Choice(["xlsform", "html"]), default="xlsform")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Default: <study>-form.*")
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", help="Paper form language.")
@_guarded
def form(study: Path, fmt: str, output: Path | None, lang: str) -> None:
    """Write STUDY's questionnaire: an XLSForm for KoboToolbox/ODK or a paper form (html).

    An export of the form evaluates with the same study, with no mapping. The XLSForm holds
    both languages; --lang is its default one.
    """
    from .form import write_study_form

    click.echo(one_line(f"wrote {write_study_form(study, fmt, output, lang)}"))


cli.add_command(serve)  # `publiceval serve`: the local web app (publiceval._core.web)
cli.add_command(
    compare
)  # `publiceval compare`: periods, segments, cities (publiceval._core.compare)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="publiceval")


if __name__ == "__main__":  # pragma: no cover
    main()
