"""Inline SVG made safe: ids prefixed per chart, and anything that could run code or fetch
anything refused (scripts, event handlers, foreign objects, external references)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..errors import PublicevalError
from ..text import clean_text

__all__ = ["checked_svg"]

_FORBIDDEN = {
    "script",
    "foreignobject",
    "iframe",
    "object",
    "embed",
    "audio",
    "video",
    "animate",
    "set",
}
_ID_SAFE = re.compile(r"^[A-Za-z0-9_.\-]+$")


def checked_svg(svg: str, key: str) -> str:
    """The SVG ready to inline: prologue removed, ids prefixed with ``key``, and checked safe.

    Prefixing keeps ids unique when several charts share a page. The check refuses scripts,
    event handlers, foreign content and any reference that is not to an id in the same SVG,
    so a chart can never run code or fetch anything.
    """
    if not _ID_SAFE.match(key):
        raise PublicevalError(f"chart key must be letters, digits, '-', '_' or '.'; found {key!r}")
    start = svg.find("<svg")
    if start < 0:
        raise PublicevalError("the chart is not an SVG document")
    body = re.sub(r"<metadata>.*?</metadata>\s*", "", svg[start:], flags=re.S)
    # a label's control characters (which XML forbids) as escapes, like every text output
    body = clean_text(body, keep="\t\n\r")
    body = body.replace(' id="', f' id="{key}-')
    body = body.replace('href="#', f'href="#{key}-').replace("url(#", f"url(#{key}-")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise PublicevalError(f"the chart {key!r} is not well-formed SVG: {exc}") from None
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1].lower()
        if tag in _FORBIDDEN:
            raise PublicevalError(f"the chart {key!r} contains a <{tag}> element")
        for name, value in el.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                raise PublicevalError(f"the chart {key!r} has an event handler {local!r}")
            if local == "href" and not (value.startswith("#") or value.startswith("data:image/")):
                raise PublicevalError(f"the chart {key!r} refers outside itself: {value!r}")
            if "url(" in value and not re.fullmatch(r"[^()]*(url\(#[^)]*\)[^()]*)*", value):
                raise PublicevalError(f"the chart {key!r} refers outside itself: {value!r}")
    return body.strip()
