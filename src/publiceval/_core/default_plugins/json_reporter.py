"""``json``: the evaluation as versioned, stable JSON (loads back with ``Evaluation.from_json``)."""

from __future__ import annotations

from collections.abc import Callable

from publiceval.plugin import Evaluation, Lang, Reporter, Text, hookimpl, json_safe


class JSONReporter(Reporter):
    """The full evaluation; the same evaluation always gives the same bytes.

    Its shape is the JSON Schema shipped as ``publiceval/schema/evaluation.schema.json``
    (generated from the models; ``schema_version`` in every document names its version).
    """

    name = "json"
    title = Text(id="JSON", en="JSON")
    suffix = ".json"
    media_type = "application/json"

    def render(self, evaluation: Evaluation, *, lang: Lang = "id") -> bytes:
        # DEL and C1 controls as \u escapes (JSON encoders write them raw): same JSON, no
        # bytes a terminal would run
        return (json_safe(evaluation.to_json(indent=2)) + "\n").encode("utf-8")


@hookimpl
def register_reporters(register: Callable[[type[Reporter]], None]) -> None:
    register(JSONReporter)
