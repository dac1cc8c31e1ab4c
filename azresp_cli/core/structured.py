"""A structured answer: the JSON value of a turn asked with ``--schema``, checked locally.

A refusal, an incomplete answer, or text that is not an instance of the schema is an error
with its own exit code (README: 11 invalid, 12 refused); the raw text stays in the history,
because the turn is recorded before the check.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from azresp_cli.core.errors import AzrespError, ExitCode
from azresp_cli.core.events import ResponseRecord
from azresp_cli.core.schema import DEFAULT_NAME, MULTI_KEY, OutputSchema
from azresp_cli.core.schema_check import first_problem, parse_answer


class InvalidStructuredAnswer(AzrespError):
    exit_code: ClassVar[ExitCode] = ExitCode.SCHEMA_INVALID
    default_hint = (
        "the raw answer is in the history: `azresp history show --last`; "
        "raise --max-output-tokens if it was cut short"
    )


class Refused(AzrespError):
    exit_code: ClassVar[ExitCode] = ExitCode.REFUSED
    default_hint = "rephrase the prompt; the refusal is kept in the history"


def refusal_text(items: tuple[Mapping[str, Any], ...]) -> str | None:
    """The refusal parts of the response's messages, joined; None when it did not refuse."""
    parts = [
        str(part.get("refusal", ""))
        for item in items
        if item.get("type") == "message"
        for part in item.get("content") or ()
        if isinstance(part, Mapping) and part.get("type") == "refusal"
    ]
    return "".join(parts) if parts else None


def structured_answer(record: ResponseRecord, schema: OutputSchema) -> Any:
    """The answer's JSON value; raises Refused or InvalidStructuredAnswer."""
    refusal = refusal_text(record.output_items)
    if refusal is not None:
        raise Refused(f"the model refused to answer: {_short(refusal)}")
    value, why = parse_answer(record.output_text)
    if why is not None:
        if record.status == "incomplete":
            reason = record.incomplete_reason or "unknown reason"
            why = f"the answer was cut short ({reason}) and is not valid JSON"
        raise InvalidStructuredAnswer(why)
    problem = first_problem(value, schema.schema)
    if problem is not None:
        raise InvalidStructuredAnswer(f"the answer does not fit the schema: {problem}")
    return value


def echoed_schema(record: ResponseRecord) -> OutputSchema | None:
    """The schema a response was asked with, from the ``text.format`` the Response echoes
    (None for a text answer): what ``bg poll --wait`` and ``bg stream`` check an answer with.

    A ``--schema-multi`` schema is recognised by its shape: a ``*_list`` format whose only
    property is the ``items`` array (core/schema.py wraps it so)."""
    text = record.raw.get("text")
    fmt = text.get("format") if isinstance(text, Mapping) else None
    if not isinstance(fmt, Mapping) or fmt.get("type") != "json_schema":
        return None
    schema = fmt.get("schema")
    if not isinstance(schema, Mapping):
        return None
    name = str(fmt.get("name") or DEFAULT_NAME)
    properties = schema.get("properties")
    multi = (
        name.endswith("_list")
        and isinstance(properties, Mapping)
        and list(properties) == [MULTI_KEY]
        and isinstance(properties[MULTI_KEY], Mapping)
        and properties[MULTI_KEY].get("type") == "array"
    )
    return OutputSchema(schema, name=name, multi=multi)


def schema_record(schema: OutputSchema) -> str:
    """How the history keeps a turn's schema (``history show --json-data`` reads it)."""
    import json

    return json.dumps({"name": schema.name, "multi": schema.multi, "schema": schema.schema})


def _short(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
