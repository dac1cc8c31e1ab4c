"""Validate JSON bodies and SSE streams against the OpenAI Responses spec in tests/spec.

`assert_valid("Response", body)` checks one object against a component schema;
`assert_sse_valid(text)` checks every `data:` frame of a raw text/event-stream body
against the schema its `type` names. The spec is loaded once per test session.
"""

from __future__ import annotations

import functools
import json
import pathlib
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_DIR = pathlib.Path(__file__).parent / "spec"
_SPEC_URI = "urn:azresp:spec"


def load_spec(filename: str) -> Any:
    """A spec of tests/spec, parsed with libyaml when PyYAML has it (ten times faster)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load((SPEC_DIR / filename).read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader


@functools.cache
def _registry() -> Registry:
    spec = load_spec("responses-openapi.yaml")
    # Upstream bug: a user message with a list of content parts (text + image, say) is valid
    # both as EasyInputMessage and as the Item InputMessage, so `oneOf` rejects every such
    # message, though the service accepts them. Either branch matching is what the API means.
    input_item = spec["components"]["schemas"]["InputItem"]
    input_item["anyOf"] = input_item.pop("oneOf")
    # "#/components/..." references resolve inside this one resource.
    return Registry().with_resource(
        _SPEC_URI, Resource.from_contents(spec, default_specification=DRAFT202012)
    )


@functools.cache
def event_schemas() -> dict[str, str]:
    """Stream event type -> the name of its schema."""
    mapping: dict[str, str] = json.loads((SPEC_DIR / "stream-events.json").read_text())
    return mapping


@functools.cache
def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(
        {"$ref": f"{_SPEC_URI}#/components/schemas/{name}"}, registry=_registry()
    )


def schema_errors(name: str, obj: Any) -> list[str]:
    return [f"{error.json_path}: {error.message}" for error in validator(name).iter_errors(obj)]


def assert_valid(name: str, obj: Any) -> None:
    errors = schema_errors(name, obj)
    assert not errors, f"{name}: " + "; ".join(errors[:5])


def sse_events(body: str) -> list[dict[str, Any]]:
    """The JSON payloads of a raw text/event-stream body, in order (no validation)."""
    events = []
    for frame in filter(None, body.replace("\r\n", "\n").split("\n\n")):
        lines = frame.splitlines()
        data = "\n".join(line[5:].lstrip() for line in lines if line.startswith("data:"))
        if data and data != "[DONE]":
            events.append(json.loads(data))
    return events


def assert_sse_valid(body: str) -> list[dict[str, Any]]:
    """Check every frame of `body` against its event schema; return the parsed events."""
    events = sse_events(body)
    for frame in filter(None, body.replace("\r\n", "\n").split("\n\n")):
        names = [line[6:].strip() for line in frame.splitlines() if line.startswith("event:")]
        data = [line for line in frame.splitlines() if line.startswith("data:")]
        if names and data:
            payload = json.loads("\n".join(line[5:].lstrip() for line in data))
            assert payload["type"] == names[0], f"event: {names[0]} carries {payload['type']}"
    for event in events:
        assert event["type"] in event_schemas(), f"unknown event type {event['type']}"
        assert_valid(event_schemas()[event["type"]], event)
    return events


_BATCH_SPEC_URI = "urn:azresp:batch-spec"


@functools.cache
def _batch_spec() -> Any:
    return load_spec("batches-openapi.yaml")


@functools.cache
def _batch_validator(name: str) -> Draft202012Validator:
    """A validator for a schema of tests/spec/batches-openapi.yaml (/batches and /files)."""
    spec = _batch_spec()
    registry: Registry = Registry().with_resource(
        _BATCH_SPEC_URI, Resource.from_contents(spec, default_specification=DRAFT202012)
    )
    return Draft202012Validator(
        {"$ref": f"{_BATCH_SPEC_URI}#/components/schemas/{name}"}, registry=registry
    )


def assert_batch_api_valid(name: str, obj: Any) -> None:
    errors = [f"{e.json_path}: {e.message}" for e in _batch_validator(name).iter_errors(obj)]
    assert not errors, f"{name}: " + "; ".join(errors[:5])
