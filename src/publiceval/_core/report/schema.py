"""The JSON Schema of the ``json`` report, generated from the models and shipped with the package.

``python -m publiceval._core.report.schema`` rewrites ``publiceval/schema/evaluation.schema.json``;
a test fails when the shipped file no longer matches the models.
"""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from ..results import SCHEMA_VERSION, Evaluation

__all__ = ["SCHEMA_FILE", "evaluation_schema", "schema_text", "shipped_schema"]

#: Where the schema lives inside the package.
SCHEMA_FILE = ("schema", "evaluation.schema.json")
_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def evaluation_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of what ``Evaluation.to_json`` writes."""
    schema = Evaluation.model_json_schema(mode="serialization")
    return {
        "$schema": _DIALECT,
        "$comment": (
            f"publiceval evaluation, schema_version {SCHEMA_VERSION}; generated from "
            "publiceval._core.results.Evaluation by `python -m publiceval._core.report.schema`"
        ),
        **schema,
    }


def schema_text() -> str:
    """The schema as the shipped file holds it (stable key order, trailing newline)."""
    return json.dumps(evaluation_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def shipped_schema() -> str:
    """The schema file shipped in the installed package."""
    return (
        resources.files("publiceval")
        .joinpath(SCHEMA_FILE[0])
        .joinpath(SCHEMA_FILE[1])
        .read_text(encoding="utf-8")
    )


def main(argv: list[str] | None = None) -> int:
    """Write the schema next to the package sources (or to the path given)."""
    args = sys.argv[1:] if argv is None else argv
    target = (
        Path(args[0])
        if args
        else Path(
            str(resources.files("publiceval").joinpath(SCHEMA_FILE[0]).joinpath(SCHEMA_FILE[1]))
        )
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
