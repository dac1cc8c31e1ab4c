"""A value that fits a JSON schema: what the scripted model fills tool arguments and
structured-output answers with. Deterministic: first enum value, else a plain sample; with
``describe`` (structured answers) a string with a description holds the description."""

from __future__ import annotations

from typing import Any

_SAMPLES: dict[str, Any] = {
    "string": "example",
    "integer": 1,
    "number": 1,
    "boolean": True,
    "null": None,
}
_MAX_DEPTH = 8  # recursive schemas (a tree of nodes) stop here with an empty value


def example(schema: Any, root: Any = None, depth: int = 0, *, describe: bool = False) -> Any:
    """An instance of `schema`; local `$ref`s (`#/$defs/...`) resolve against `root`."""
    root = schema if root is None else root
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return {}
    if "$ref" in schema:
        return example(_resolve(root, str(schema["$ref"])), root, depth + 1, describe=describe)
    if schema.get("enum"):
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    for combinator in ("anyOf", "oneOf", "allOf"):
        if schema.get(combinator):
            return example(schema[combinator][0], root, depth + 1, describe=describe)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((name for name in kind if name != "null"), "null")
    if kind == "array":
        return [example(schema.get("items", {}), root, depth + 1, describe=describe)]
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties") or {}
        return {
            name: example(sub, root, depth + 1, describe=describe)
            for name, sub in properties.items()
        }
    if describe and kind == "string" and isinstance(schema.get("description"), str):
        return schema["description"].strip() or _SAMPLES["string"]
    return _SAMPLES.get(str(kind), {})


def _resolve(root: Any, reference: str) -> Any:
    node = root
    for part in reference.removeprefix("#/").split("/") if reference.startswith("#/") else []:
        node = node.get(part, {}) if isinstance(node, dict) else {}
    return node
