"""The ``publiceval serve`` command: its options; the server itself is imported when it runs."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["serve"]


@click.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=0, help="Port (default: a free one)."
)
@click.option("--no-browser", is_flag=True, help="Do not open the web browser.")
@click.option(
    "--max-upload-mb",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    help="Largest export that can be uploaded, in MB.",
)
def serve(folder: Path, host: str, port: int, no_browser: bool, max_upload_mb: int) -> None:
    """Open a local web app for FOLDER (default: here): upload an export, check what was
    inferred, validate, evaluate and download the reports. Studies are written only inside
    FOLDER, one sub-folder per upload; nothing is sent anywhere."""
    from ..errors import PublicevalError
    from .server import run

    try:
        run(folder, host=host, port=port, browser=not no_browser, max_upload=max_upload_mb << 20)
    except PublicevalError as exc:  # as the other commands say it: one line, its exit code
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(exc.exit_code) from None
