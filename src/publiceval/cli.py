"""The ``publiceval`` command: a thin face over the library for people who do not write Python.

Exit codes (scripts may rely on them): 0 success; 1 unexpected internal error; 2 wrong command
usage; 3 study or survey error; 4 data error (file missing, empty or unreadable); 5 plugin error;
6 too many rejected rows (``validate --max-rejects``).
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from .errors import PublicevalError
from .plugins import get_host
from .study import load_study

F = TypeVar("F", bound=Callable[..., Any])

EXIT_INTERNAL = 1
EXIT_TOO_MANY_REJECTS = 6


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
                click.echo(f"error: {line}", err=True)
            sys.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, KeyboardInterrupt):
            raise
        except Exception as exc:
            if debug:
                traceback.print_exc()
            click.echo(
                f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)",
                err=True,
            )
            sys.exit(EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]


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
    type=click.Choice(["id", "en"]),
    default=None,
    help="Report language (default: the study's).",
)
@_guarded
def evaluate(study: Path, fmt: str | None, output: Path | None, lang: str | None) -> None:
    """Evaluate STUDY (a .toml study file) and print or write a report."""
    host = get_host()
    loaded = load_study(study)
    evaluation = loaded.evaluate(host)
    lang_ = lang or loaded.spec.report.lang
    formats = [fmt] if fmt else loaded.spec.report.formats
    for name in formats:
        reporter = host.reporter(name).create()
        data = reporter.render(evaluation, lang=lang_)  # type: ignore[arg-type]
        target = output
        if target is None and loaded.spec.report.output and not fmt:
            target = loaded.base_dir / loaded.spec.report.output / f"{study.stem}{reporter.suffix}"
        if target is None:
            click.echo(
                data.decode("utf-8")
                if reporter.media_type.startswith(("text", "application/json"))
                else "",
                nl=False,
            )
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        click.echo(f"wrote {target}", err=True)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@_guarded
def plugins(as_json: bool) -> None:
    """List installed plugins, the hooks they implement and what they provide."""
    infos = get_host().plugins()
    if as_json:
        click.echo(json.dumps([i.model_dump() for i in infos], indent=2))
        return
    for info in infos:
        version = f" {info.version}" if info.version else ""
        click.echo(f"{info.name}{version} ({info.source}): hooks {', '.join(info.hooks) or '-'}")
        for kind, names in info.provides.items():
            click.echo(f"    {kind}: {', '.join(names)}")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="publiceval")


if __name__ == "__main__":  # pragma: no cover
    main()
