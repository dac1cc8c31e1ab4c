"""Structured output: the ``--schema`` value, made into the strict schema the service accepts.

SCHEMA is a JSON Schema file, inline JSON (it starts with ``{``), or the concise form
``'name, age int, tags list[str], bio: one sentence'`` (docs/structured-output.md). Whatever
the form, the result is strict: every object lists all its properties as required and sets
``additionalProperties: false``, and the limits of Azure OpenAI's structured outputs are
checked here, before any request:

- the root is an object (not ``anyOf``);
- at most 100 object properties in all, at most 5 levels of nesting;
- at most 500 enum values in all, and 7,500 characters for an enum of more than 250 strings;
- at most 15,000 characters of property names, definition names, enum and const values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from azresp_cli.core.errors import UsageError
from azresp_cli.core.text_files import read_text_limited

MAX_PROPERTIES = 100
MAX_NESTING = 5
MAX_ENUM_VALUES = 500
MAX_LARGE_ENUM_CHARS = 7_500  # an enum of more than 250 strings
LARGE_ENUM = 250
MAX_SCHEMA_CHARS = 15_000
SCHEMA_FILE_LIMIT = 1_000_000  # bytes: a schema file larger than this is surely not one
DEFAULT_NAME = "answer"
MULTI_KEY = "items"

_SCALARS = {
    "str": "string",
    "string": "string",
    "int": "integer",
    "integer": "integer",
    "float": "number",
    "number": "number",
    "bool": "boolean",
    "boolean": "boolean",
}
_FIELD = re.compile(r"^([A-Za-z_][\w-]*)(?:\s+(\S+))?$")
_LIST = re.compile(r"^(?:list|array)\[(\w+)\]$")
_HINT = "e.g. --schema 'name, age int, tags list[str], bio: one sentence' or a JSON Schema file"


@dataclass(frozen=True)
class OutputSchema:
    """A strict JSON schema for ``text.format``; ``source`` is how it was given (templates
    keep it as written)."""

    schema: Mapping[str, Any]
    name: str = DEFAULT_NAME
    multi: bool = False
    source: str = field(default="", compare=False)

    def wire_value(self) -> dict[str, Any]:
        """The ``text.format`` object of the create body."""
        return {"type": "json_schema", "name": self.name, "schema": self.schema, "strict": True}

    def as_json(self) -> str:
        return json.dumps(self.schema, sort_keys=False)


def parse_schema(raw: str, *, multi: bool = False, cwd: Path | None = None) -> OutputSchema:
    """SCHEMA as the command line gives it; raises UsageError saying what is wrong."""
    text = raw.strip()
    if not text:
        raise UsageError("--schema is empty", hint=_HINT)
    name = DEFAULT_NAME
    if text.startswith(("{", "[")):
        document = _json(text, "the inline schema")
    elif _looks_like_path(text, cwd):
        path = Path(text).expanduser()
        if cwd is not None and not path.is_absolute():
            path = cwd / path
        content = read_text_limited(path, SCHEMA_FILE_LIMIT, what="schema file")
        document = _json(content, f"schema file {text}")
        name = _name_from(path.stem)
    else:
        document = concise_schema(text)
    if not isinstance(document, dict):
        raise UsageError("a schema must be a JSON object", hint="for a list, use --schema-multi")
    document = dict(document)
    title = document.get("title")
    if isinstance(title, str) and title.strip():
        name = _name_from(title)
    schema = strict_schema(document)
    if multi:
        schema = strict_schema(
            {"type": "object", "properties": {MULTI_KEY: {"type": "array", "items": schema}}}
        )
        name = f"{name}_list"
    check_limits(schema)
    return OutputSchema(schema, name=name, multi=multi, source=raw)


def concise_schema(text: str) -> dict[str, Any]:
    """The concise form as a JSON Schema object (not yet strict).

    Fields are separated by commas, or by newlines when there are any; each is
    ``NAME [TYPE][: description]`` with TYPE one of str, int, float, bool or list[T]."""
    separator = "\n" if "\n" in text else ","
    properties: dict[str, Any] = {}
    for piece in text.split(separator):
        piece = piece.strip()
        if not piece:
            continue
        head, colon, description = piece.partition(":")
        match = _FIELD.match(head.strip())
        if match is None:
            raise UsageError(f"cannot read schema field '{piece}'", hint=_HINT)
        name, kind = match.group(1), match.group(2) or "str"
        if name in properties:
            raise UsageError(f"schema field '{name}' is given twice")
        prop = _concise_type(kind, name)
        if colon and description.strip():
            prop["description"] = description.strip()
        properties[name] = prop
    if not properties:
        raise UsageError("the schema names no fields", hint=_HINT)
    return {"type": "object", "properties": properties}


def strict_schema(node: Any) -> Any:
    """``node`` with every object strict: all properties required, no others allowed."""
    if isinstance(node, list):
        return [strict_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {key: strict_schema(value) for key, value in node.items()}
    if result.get("type") == "object" or "properties" in result:
        properties = result.get("properties") or {}
        if not isinstance(properties, dict):
            raise UsageError("a schema's 'properties' must be an object")
        extra = result.get("additionalProperties", False)
        if extra is not False:
            raise UsageError(
                "structured outputs need 'additionalProperties: false' on every object",
                hint="drop additionalProperties (azresp sets it) or set it to false",
            )
        result["type"] = result.get("type", "object")
        result["properties"] = properties
        result["required"] = list(properties)
        result["additionalProperties"] = False
    return result


def check_limits(schema: Mapping[str, Any]) -> None:
    """Raise UsageError when ``schema`` breaks a limit of Azure OpenAI's structured outputs."""
    if schema.get("type") != "object":
        raise UsageError(
            "the schema's root must be an object (type: object)",
            hint="wrap a list in an object, or use --schema-multi",
        )
    stats = _Stats()
    stats.walk(schema, 0)
    if stats.properties > MAX_PROPERTIES:
        raise UsageError(
            f"the schema has {stats.properties} object properties; "
            f"structured outputs allow at most {MAX_PROPERTIES}"
        )
    if stats.depth > MAX_NESTING:
        raise UsageError(
            f"the schema nests objects {stats.depth} levels deep; "
            f"structured outputs allow at most {MAX_NESTING}"
        )
    if stats.enum_values > MAX_ENUM_VALUES:
        raise UsageError(
            f"the schema has {stats.enum_values} enum values; "
            f"structured outputs allow at most {MAX_ENUM_VALUES}"
        )
    if stats.chars > MAX_SCHEMA_CHARS:
        raise UsageError(
            f"the schema's names and enum values take {stats.chars} characters; "
            f"structured outputs allow at most {MAX_SCHEMA_CHARS}"
        )


@dataclass
class _Stats:
    properties: int = 0
    depth: int = 0
    enum_values: int = 0
    chars: int = 0

    def walk(self, node: Any, level: int) -> None:
        if isinstance(node, list):
            for item in node:
                self.walk(item, level)
            return
        if not isinstance(node, dict):
            return
        properties = node.get("properties")
        if isinstance(properties, dict):
            level += 1
            self.depth = max(self.depth, level)
            self.properties += len(properties)
            self.chars += sum(len(name) for name in properties)
        for key in ("$defs", "definitions"):
            if isinstance(node.get(key), dict):
                self.chars += sum(len(name) for name in node[key])
        enum = node.get("enum")
        if isinstance(enum, list):
            self._enum(enum)
        if isinstance(node.get("const"), str):
            self.chars += len(node["const"])
        for key, value in node.items():
            if key in ("enum", "const", "description", "title"):
                continue
            if key == "properties" and isinstance(value, dict):
                for sub in value.values():
                    self.walk(sub, level)
            else:
                self.walk(value, level)

    def _enum(self, values: list[Any]) -> None:
        self.enum_values += len(values)
        strings = [value for value in values if isinstance(value, str)]
        length = sum(len(value) for value in strings)
        self.chars += length
        if len(strings) > LARGE_ENUM and length > MAX_LARGE_ENUM_CHARS:
            raise UsageError(
                f"an enum of {len(strings)} strings takes {length} characters; "
                f"structured outputs allow at most {MAX_LARGE_ENUM_CHARS} over {LARGE_ENUM} values"
            )


def _concise_type(kind: str, name: str) -> dict[str, Any]:
    lowered = kind.lower()
    if lowered in _SCALARS:
        return {"type": _SCALARS[lowered]}
    match = _LIST.match(lowered)
    if match and match.group(1) in _SCALARS:
        return {"type": "array", "items": {"type": _SCALARS[match.group(1)]}}
    raise UsageError(
        f"unknown type '{kind}' for schema field '{name}'",
        hint="types: str, int, float, bool, list[str], list[int], list[float], list[bool]",
    )


def _json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(
            f"{what} is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})",
            hint=_HINT,
        ) from None


def _looks_like_path(text: str, cwd: Path | None) -> bool:
    if "\n" in text or ("," in text and not text.endswith(".json")):
        return False
    if text.endswith(".json"):
        return True
    path = Path(text).expanduser()
    if cwd is not None and not path.is_absolute():
        path = cwd / path
    return path.is_file()


def _name_from(text: str) -> str:
    name = re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_")[:64]
    return name or DEFAULT_NAME
