"""``markdown``: the report as Markdown, for wikis, repositories and e-mail."""

from __future__ import annotations

from collections.abc import Callable

from publiceval.plugin import Evaluation, Lang, Reporter, Text, hookimpl


class MarkdownReporter(Reporter):
    """The HTML report's content as GitHub-flavoured Markdown; the score chart as text bars.

    Needs the ``report`` extra (Jinja2). Every value is escaped, so names cannot inject markup.
    """

    name = "markdown"
    title = Text(id="Laporan Markdown", en="Markdown report")
    suffix = ".md"
    media_type = "text/markdown"

    def render(self, evaluation: Evaluation, *, lang: Lang = "id") -> bytes:
        from publiceval.plugin import render_markdown

        return render_markdown(evaluation, lang).encode("utf-8")


@hookimpl
def register_reporters(register: Callable[[type[Reporter]], None]) -> None:
    register(MarkdownReporter)
