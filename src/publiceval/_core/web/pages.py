"""What every page shares: the app's settings, the language, the CSRF token, the templates.

The language is ``?lang=`` when a link asks for one (then remembered in a cookie), else the
cookie, else Indonesian. Each POST form carries a token bound to the browser's session cookie
(signed with a secret made when the app starts), so another web site open in the same browser
cannot make the app write anything.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ..text import Lang
from .texts import fix_for, reason_label, translate
from .workspace import Workspace

__all__ = [
    "DEFAULT_MAX_UPLOAD",
    "WebConfig",
    "csrf_ok",
    "csrf_token",
    "error_page",
    "page",
    "remember",
    "ui_lang",
]

HERE = Path(__file__).parent
DEFAULT_MAX_UPLOAD = 50 * 1024 * 1024
SESSION_COOKIE = "publiceval_session"
LANG_COOKIE = "publiceval_lang"


@dataclass
class WebConfig:
    """What one running app knows: its folder, its limits and its secret (never global)."""

    root: Path
    max_upload: int = DEFAULT_MAX_UPLOAD
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "[::1]", "::1")
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))

    @property
    def workspace(self) -> Workspace:
        """The folder studies are written to."""
        return Workspace(self.root)


def ui_lang(request: Request) -> Lang:
    """The page language: ``?lang=`` when given (then remembered in a cookie), else the cookie."""
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return "en" if asked == "en" else "id"


def session_of(request: Request) -> str:
    """The browser's session id (made on its first page, kept in a cookie)."""
    sid = request.cookies.get(SESSION_COOKIE, "")
    if len(sid) != 43:  # token_urlsafe(32)
        sid = getattr(request.state, "new_session", None) or secrets.token_urlsafe(32)
        request.state.new_session = sid  # the request's scope: the same for every handler
    return sid


def csrf_token(request: Request) -> str:
    """The token POST forms carry: the session id signed with the app's secret."""
    config: WebConfig = request.app.state.config
    return hmac.new(config.secret, session_of(request).encode(), hashlib.sha256).hexdigest()


def csrf_ok(request: Request, form_token: object) -> bool:
    """The form's token belongs to this browser's session cookie."""
    if SESSION_COOKIE not in request.cookies or not isinstance(form_token, str):
        return False
    return hmac.compare_digest(csrf_token(request), form_token)


_ENV = Environment(
    loader=FileSystemLoader(str(HERE / "templates")),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page in the user's language, with the session and language cookies it needs."""
    lang = ui_lang(request)
    other = "en" if lang == "id" else "id"
    html = _ENV.get_template(template).render(
        request=request,
        lang=lang,
        # a page answering a POST cannot be fetched again: switch on the start page
        switch_url=f"{request.url.path if request.method == 'GET' else '/'}?lang={other}",
        t=lambda key, **kw: translate(key, lang, **kw),
        fix_for=lambda reason: fix_for(reason, lang),
        reason_label=lambda reason: reason_label(reason, lang),
        txt=lambda value: _in_lang(value, lang),
        csrf=csrf_token(request),
        **context,
    )
    response = HTMLResponse(html, status_code=status_code)
    remember(request, response)
    return response


def _in_lang(value: Any, lang: Lang) -> str:
    """A study's text: a plain string, or a ``Text`` in the page's language."""
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value.get(lang))


def remember(request: Request, response: Response) -> None:
    """Set the session cookie (if new) and the language cookie (if chosen in the URL)."""
    new = getattr(request.state, "new_session", None)
    if new:
        response.set_cookie(SESSION_COOKIE, new, httponly=True, samesite="strict")
    if request.query_params.get("lang") in ("id", "en"):
        response.set_cookie(LANG_COOKIE, ui_lang(request), samesite="lax", max_age=365 * 24 * 3600)


def error_page(
    request: Request, message: str, status_code: int = 400, lead: str | None = None
) -> HTMLResponse:
    """The error page: the message as the library (or the app) wrote it, and a way back.

    ``lead`` names a text of ``texts`` said first, in the page's language: library messages are
    in English, like the command line's.
    """
    said = translate(lead, ui_lang(request)) if lead else None
    return page(request, "error.html", status_code=status_code, message=message, lead=said)
