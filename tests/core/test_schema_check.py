"""The local check of structured answers agrees with jsonschema (a test dependency only) on the
strict subset structured outputs use."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from azresp_cli.core.schema import parse_schema
from azresp_cli.core.schema_check import first_problem

SCHEMA = parse_schema(
    '{"type": "object", "$defs": {"pet": {"type": "object", "properties": {'
    '"kind": {"enum": ["cat", "dog"]}, "age": {"type": ["integer", "null"]}}}},'
    '"properties": {"name": {"type": "string"}, "score": {"type": "number"},'
    '"ok": {"type": "boolean"}, "tags": {"type": "array", "items": {"type": "string"}},'
    '"pets": {"type": "array", "items": {"$ref": "#/$defs/pet"}},'
    '"id": {"anyOf": [{"type": "string"}, {"type": "integer"}]},'
    '"version": {"const": 2}}}'
).schema

GOOD: dict[str, Any] = {
    "name": "Ada",
    "score": 1.5,
    "ok": True,
    "tags": ["x"],
    "pets": [{"kind": "cat", "age": None}],
    "id": 7,
    "version": 2,
}
INSTANCES = [
    GOOD,
    {**GOOD, "score": 2},
    {**GOOD, "name": 1},
    {**GOOD, "score": True},
    {**GOOD, "ok": 1},
    {**GOOD, "tags": ["x", 2]},
    {**GOOD, "pets": [{"kind": "cow", "age": 1}]},
    {**GOOD, "pets": [{"kind": "dog", "age": 1.5}]},
    {**GOOD, "pets": [{"kind": "dog"}]},
    {**GOOD, "id": 1.5},
    {**GOOD, "version": 3},
    {**GOOD, "extra": 1},
    {k: v for k, v in GOOD.items() if k != "name"},
    ["not", "an", "object"],
    None,
]


@pytest.mark.parametrize("instance", INSTANCES, ids=[str(i) for i in range(len(INSTANCES))])
def test_the_local_check_agrees_with_jsonschema(instance: Any) -> None:
    expected = jsonschema.Draft202012Validator(SCHEMA).is_valid(instance)
    assert (first_problem(instance, SCHEMA) is None) is expected
