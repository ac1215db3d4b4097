"""The Starlette application of ``publiceval serve``: routes, error pages, security headers.

Everything a page needs is served by the app (one stylesheet, no script, no font or image from
elsewhere), and the Content-Security-Policy says so to the browser. The Host header is checked,
so a web page cannot reach the app through a DNS name rebound to 127.0.0.1.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import compare_steps, steps
from .pages import DEFAULT_MAX_UPLOAD, HERE, WebConfig, error_page, ui_lang
from .texts import translate

__all__ = ["DEFAULT_MAX_UPLOAD", "WebConfig", "create_app"]

_LOG = logging.getLogger("publiceval.web")
_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    key = {404: "not-found", 405: "not-found"}.get(exc.status_code, "bad-request")
    return error_page(request, translate(key, ui_lang(request)), exc.status_code)


async def _internal_error(request: Request, exc: Exception) -> Response:
    _LOG.exception("internal error on %s", request.url.path, exc_info=exc)
    return error_page(request, translate("internal", ui_lang(request)), 500)


class _Headers:
    """ASGI middleware: the security headers every response carries."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                extra = {
                    b"content-security-policy": _CSP.encode(),
                    b"x-content-type-options": b"nosniff",
                    b"referrer-policy": b"no-referrer",
                    b"cache-control": b"no-store",
                }
                headers += [(k, v) for k, v in extra.items() if k not in names]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(config: WebConfig) -> Starlette:
    """The app serving ``config.root``; several apps (or tests) can run side by side."""
    routes = [
        Route("/", steps.start, methods=["GET"]),
        Route("/upload", steps.upload, methods=["POST"]),
        Route("/s/{key}/review", steps.review, methods=["GET", "POST"]),
        Route("/s/{key}/validate", steps.validate, methods=["GET"]),
        Route("/s/{key}/evaluate", steps.evaluate, methods=["POST"]),
        Route("/s/{key}/report", steps.report, methods=["GET"]),
        Route("/s/{key}/preview/{report_lang}", steps.preview, methods=["GET"]),
        Route("/s/{key}/download/{name}", steps.download, methods=["GET"]),
        Route("/s/{key}/compare", compare_steps.compare_page, methods=["GET"]),
        Route("/s/{key}/compare", compare_steps.compare_upload, methods=["POST"]),
        Route("/s/{key}/compare/preview/{report_lang}", compare_steps.compare_preview),
        Route("/s/{key}/compare/download/{name}", compare_steps.compare_download),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(TrustedHostMiddleware, allowed_hosts=list(config.allowed_hosts)),
            Middleware(_Headers),
        ],
        exception_handlers={HTTPException: _http_error, Exception: _internal_error},
    )
    app.state.config = config
    return app
