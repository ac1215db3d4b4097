"""Jinja2 environments for the document reports (HTML and Markdown) and the renderers.

HTML uses Jinja2 autoescaping; Markdown escapes every value it prints through ``finalize``,
so a template cannot forget to. Both environments are strict: an unknown variable or label
raises instead of printing nothing.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from ..errors import PluginError
from ..results import Evaluation
from ..text import Lang, clean_text
from .context import ReportContext, build_context, percent_text

if TYPE_CHECKING:
    import jinja2

__all__ = ["Raw", "markdown_escape", "render_html", "render_markdown", "text_bars"]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
_SPACES = re.compile(r"\s+")


class Raw(str):
    """Markdown the template built itself (not user text): printed without escaping."""

    __slots__ = ()


def markdown_escape(value: object) -> str:
    """A value as inert Markdown text on one line.

    Backslash-escapes the characters that start emphasis, code, links, HTML, tables and
    headings, and folds line breaks, so a name like ``<script>`` or ``[x](javascript:…)``
    shows as typed and cannot break a table row.
    """
    if isinstance(value, Raw):
        return str(value)
    if value is None:
        return ""
    text = _SPACES.sub(" ", str(value)).strip()
    return _MD_SPECIAL.sub(r"\\\1", text)


def _require_jinja() -> Any:
    try:
        import jinja2
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise PluginError(
            "this report format needs Jinja2; install the report extra: "
            "pip install 'publiceval[report]'"
        ) from exc
    return jinja2


def _environment(**options: Any) -> jinja2.Environment:
    """A strict environment over the packaged templates, with the format's own ``options``."""
    jinja = _require_jinja()
    env: jinja2.Environment = jinja.Environment(
        loader=jinja.PackageLoader("publiceval._core.report", "templates"),
        undefined=jinja.StrictUndefined,
        keep_trailing_newline=True,
        **options,
    )
    return env


@cache
def html_environment() -> jinja2.Environment:
    """Autoescaping environment over the packaged templates."""
    return _environment(autoescape=True, trim_blocks=False, lstrip_blocks=False)


@cache
def markdown_environment() -> jinja2.Environment:
    """Environment whose every printed value is Markdown-escaped (except :class:`Raw`)."""
    return _environment(autoescape=False, finalize=markdown_escape)


def _charts(ctx: ReportContext) -> dict[str, Any]:
    from markupsafe import Markup

    from .charts import COMPACT_FROM, distribution_chart, item_profile_chart, score_chart

    groups: dict[str, Markup] = {}
    item_groups = []
    for k, group in enumerate(ctx.item_distributions):
        key = f"items-{k}"
        groups[key] = Markup(distribution_chart(ctx, group, key))
        item_groups.append((key, group))
    wide_groups = []
    for k, group in enumerate(ctx.survey_wide_distributions):
        key = f"wide-{k}"
        groups[key] = Markup(distribution_chart(ctx, group, key))
        wide_groups.append((key, group))
    scored = sum(1 for r in ctx.opds if r.score is not None)
    return {
        "scores": Markup(score_chart(ctx, "scores")),
        "scored": scored,
        "compact": scored > COMPACT_FROM,
        "opds": {
            r.opd: Markup(item_profile_chart(ctx, r, f"opd-{r.opd}")) for r in ctx.opds if r.items
        },
        "groups": groups,
        "item_groups": item_groups,
        "wide_groups": wide_groups,
    }


def render_html(evaluation: Evaluation, lang: Lang) -> str:
    """The evaluation as one self-contained HTML page with inline SVG charts."""
    ctx = build_context(evaluation, lang)
    template = html_environment().get_template("report.html.j2")
    # autoescaping covers markup; control characters (which no browser shows but a terminal
    # runs when the file is printed) are written as escapes, in one pass over the page
    return clean_text(str(template.render(ctx=ctx, m=ctx.m, charts=_charts(ctx))))


def text_bars(ctx: ReportContext, width: int = 28) -> Raw:
    """OPD scores as a fenced block of Unicode bars, for Markdown where SVG is not an option.

    Bars start at the scale's minimum, so a bar's length is in proportion to how far the score
    is above the lowest possible one (a cut axis would make 2,12 look a sixth of 3,16); the
    range and category follow as text.
    """
    rows = [r for r in ctx.opds if r.score is not None]
    if not rows:
        return Raw("")
    x0, x1 = ctx.scale.low, ctx.scale.high
    labels = [f"{r.rank_text:>4} {_SPACES.sub(' ', r.label)}" for r in rows]
    pad = max(len(x) for x in labels)
    lines = []
    for label, r in zip(labels, rows, strict=True):
        assert r.score is not None
        eighths = round((r.score - x0) / (x1 - x0) * width * 8) if x1 > x0 else 0
        eighths = max(0, min(width * 8, eighths))
        bar = "█" * (eighths // 8) + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[eighths % 8]
        cat = f"  {r.category.label}" if r.category else ""
        ci = f"  [{r.ci_text}]" if r.ci_low is not None else ""
        lines.append(f"{label.ljust(pad)}  {bar.ljust(width + 1)}{r.score_text}{ci}{cat}")
    axis = f"{' ' * pad}  {ctx.number(x0)}{' ' * max(1, width - 2 * len(ctx.number(x0)) + 1)}{ctx.number(x1)}"
    lines.append(axis)
    body = "\n".join(lines)
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return Raw(f"{fence}text\n{body}\n{fence}")


def share_bar(share: float, width: int = 20) -> Raw:
    """A share (0..1) as a row of block characters, for the profile tables."""
    cells = max(0, min(width, round(share * width)))
    return Raw("█" * cells)


def render_markdown(evaluation: Evaluation, lang: Lang) -> str:
    """The evaluation as Markdown (GitHub-flavoured tables)."""
    ctx = build_context(evaluation, lang)
    template = markdown_environment().get_template("report.md.j2")
    text = template.render(
        ctx=ctx,
        m=ctx.m,
        bars=text_bars(ctx),
        pct=lambda p: percent_text(p, lang),
        bar=share_bar,
    )
    # control characters as escapes, in one pass over the document (code blocks included)
    return clean_text(re.sub(r"\n{3,}", "\n\n", str(text)).strip()) + "\n"
