"""Receiving an export: a size limit enforced while the bytes arrive, and a safe file name.

The limit is checked against the declared length first (so a browser is answered before it
sends 2 GB) and again while reading (a client may declare nothing, or lie). The form's other
fields (the CSRF token, the file type) come back with the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request

from .workspace import safe_filename

__all__ = ["Upload", "UploadError", "receive_upload"]

#: Room for the form's other fields and the multipart boundaries, on top of the file itself.
_OVERHEAD = 64 * 1024


class UploadError(Exception):
    """An upload refused before it was read: ``key`` names the text shown (see ``texts``)."""

    def __init__(self, key: str, status: int) -> None:
        super().__init__(key)
        self.key = key
        self.status = status


@dataclass(frozen=True)
class Upload:
    """The uploaded export and the form's text fields."""

    filename: str
    data: bytes
    fields: dict[str, str]


def _limited(receive: Any, limit: int) -> Any:
    """``receive`` that refuses a body longer than ``limit`` bytes."""
    seen = 0

    async def wrapped() -> Any:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise UploadError("too-large", 413)
        return message

    return wrapped


async def receive_upload(request: Request, max_bytes: int) -> Upload:
    """The upload of ``request``; :class:`UploadError` when too large, missing or malformed."""
    limit = max_bytes + _OVERHEAD
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise UploadError("too-large", 413)
    limited = Request(request.scope, _limited(request.receive, limit))
    try:
        form = await limited.form(max_files=1, max_fields=10)
    except (MultiPartException, HTTPException):
        raise UploadError("no-file", 400) from None
    fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        await form.close()
        raise UploadError("no-file", 400)
    data = await file.read()
    await form.close()
    if len(data) > max_bytes:
        raise UploadError("too-large", 413)
    if not data:
        raise UploadError("no-file", 400)
    return Upload(safe_filename(file.filename), data, fields)
