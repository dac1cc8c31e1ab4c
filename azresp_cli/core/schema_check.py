"""Checking an answer against its strict schema, locally.

A small validator for the subset of JSON Schema that structured outputs accept (type, enum,
const, properties/required/additionalProperties, items, anyOf, local ``$ref``): azresp does
not take a runtime dependency for it. It returns the first problem as a JSON-pointer-like
path and a sentence, or None when the instance fits.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

_TYPES: dict[str, Any] = {
    "string": str,
    "boolean": bool,
    "object": dict,
    "array": list,
    "null": type(None),
}


def parse_answer(text: str) -> tuple[Any, str | None]:
    """The answer's JSON value, or (None, why it is not JSON)."""
    try:
        return json.loads(text), None
    except json.JSONDecodeError as error:
        return None, f"the answer is not valid JSON ({error.msg} at character {error.pos})"


def first_problem(instance: Any, schema: Mapping[str, Any]) -> str | None:
    """What is wrong with ``instance`` under ``schema`` (the first thing found), or None."""
    return _check(instance, schema, schema, "$")


def _check(value: Any, node: Any, root: Mapping[str, Any], where: str) -> str | None:
    if not isinstance(node, Mapping):
        return None
    if "$ref" in node:
        return _check(value, _resolve(root, str(node["$ref"])), root, where)
    if "anyOf" in node:
        if all(_check(value, sub, root, where) for sub in node["anyOf"]):
            return f"{where}: matches none of the allowed forms"
        return None
    if "const" in node and value != node["const"]:
        return f"{where}: must be {json.dumps(node['const'])}"
    if "enum" in node and value not in node["enum"]:
        return f"{where}: {json.dumps(value)} is not one of {json.dumps(node['enum'])}"
    kind = node.get("type")
    if kind is not None:
        kinds = kind if isinstance(kind, list) else [kind]
        if not any(_is(value, name) for name in kinds):
            return f"{where}: expected {' or '.join(map(str, kinds))}, got {_name(value)}"
    if isinstance(value, dict):
        properties = node.get("properties") or {}
        for name in node.get("required") or ():
            if name not in value:
                return f"{where}: missing property '{name}'"
        if node.get("additionalProperties") is False:
            for name in value:
                if name not in properties:
                    return f"{where}: unexpected property '{name}'"
        for name, sub in properties.items():
            if name in value:
                problem = _check(value[name], sub, root, f"{where}.{name}")
                if problem:
                    return problem
    if isinstance(value, list) and isinstance(node.get("items"), Mapping):
        for index, item in enumerate(value):
            problem = _check(item, node["items"], root, f"{where}[{index}]")
            if problem:
                return problem
    return None


def _is(value: Any, name: str) -> bool:
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    expected = _TYPES.get(name)
    if expected is None:
        return True
    if expected is not bool and isinstance(value, bool):
        return False
    return isinstance(value, expected)


def _name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _resolve(root: Mapping[str, Any], reference: str) -> Any:
    node: Any = root
    if not reference.startswith("#"):
        return {}
    for part in reference.removeprefix("#").strip("/").split("/"):
        if not part:
            continue
        node = node.get(part, {}) if isinstance(node, Mapping) else {}
    return node
