"""The ``json`` report: stable bytes, a loss-free round trip, and a shipped, current JSON Schema."""

from __future__ import annotations

import json

import pytest

from publiceval import Evaluation
from publiceval._core.report.schema import evaluation_schema, schema_text, shipped_schema
from report_builders import evaluation, rendered

jsonschema = pytest.importorskip("jsonschema")


def test_shipped_schema_is_current() -> None:
    # regenerate with: python -m publiceval._core.report.schema
    assert shipped_schema() == schema_text()


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = evaluation_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("kind", ["plain", "uncertainty", "published", "hostile"])
def test_real_evaluations_validate_against_the_shipped_schema(kind: str) -> None:
    validator = jsonschema.Draft202012Validator(json.loads(shipped_schema()))
    document = json.loads(rendered("json", "id", kind))
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_schema_rejects_what_the_models_reject() -> None:
    validator = jsonschema.Draft202012Validator(json.loads(shipped_schema()))
    document = json.loads(rendered("json"))
    document["opds"][0]["surprise"] = 1  # models forbid unknown keys
    assert not validator.is_valid(document)
    document = json.loads(rendered("json"))
    document["recommendations"][0]["priority"] = 0  # priority starts at 1
    assert not validator.is_valid(document)
    document = json.loads(rendered("json"))
    del document["data"]
    assert not validator.is_valid(document)


def test_json_round_trips_and_is_stable() -> None:
    ev = evaluation("uncertainty")
    data = rendered("json", "en", "uncertainty")
    assert Evaluation.from_json(data) == ev
    assert data == rendered("json", "id", "uncertainty")  # JSON does not depend on language
    assert data.endswith(b"\n")


def test_json_carries_item_metadata_for_reports() -> None:
    document = json.loads(rendered("json"))
    items = {i["id"]: i for i in document["items"]}
    assert items["q1"]["text"] == {"id": "Persyaratan", "en": "Requirements"}
    assert items["q1"]["labels"]["4"] == {"id": "Sangat Baik", "en": "Very good"}
    assert items["fair"]["scope"] == "survey"
    assert (items["fair"]["scale_min"], items["fair"]["scale_max"]) == (1, 5)
