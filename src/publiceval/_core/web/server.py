"""Running the app: a free port on loopback, the address printed, the browser opened.

Binding elsewhere than loopback makes the studies (citizens' answers) reachable by anyone on
the network, so it needs ``--host`` and prints a warning.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import webbrowser
from pathlib import Path

import click

from ..errors import PluginError

__all__ = ["free_port", "is_loopback", "run"]


def is_loopback(host: str) -> bool:
    """``host`` is this machine only (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def free_port(host: str) -> int:
    """A port nothing listens on now (the OS picks it)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.bind((host.strip("[]"), 0))
        port: int = sock.getsockname()[1]
        return port


def _require_web() -> None:
    try:
        import jinja2  # noqa: F401
        import python_multipart  # type: ignore[import-untyped,unused-ignore]  # noqa: F401
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        raise PluginError(
            f"publiceval serve needs the web extra: pip install 'publiceval[web]' ({exc})"
        ) from None


def run(folder: Path, *, host: str, port: int, browser: bool, max_upload: int) -> None:
    """Serve ``folder`` until Ctrl+C."""
    _require_web()
    import uvicorn

    from .app import WebConfig, create_app

    folder.mkdir(parents=True, exist_ok=True)
    hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "[::1]", "::1")
    if not is_loopback(host):
        click.echo(
            f"warning: listening on {host}: anyone who can reach this machine on the network can "
            "read and change the studies in this folder (citizens' answers). Use it only on a "
            "network you trust.",
            err=True,
        )
        hosts = ("*",)
    port = port or free_port(host)
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else shown}:{port}/"
    click.echo(f"publiceval serve: {folder.resolve()} at {url} (Ctrl+C to stop)")
    app = create_app(WebConfig(root=folder, max_upload=max_upload, allowed_hosts=hosts))
    if browser:
        threading.Timer(1.0, webbrowser.open, (url,)).start()
    uvicorn.run(app, host=host.strip("[]"), port=port, log_level="warning")
