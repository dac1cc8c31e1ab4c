"""Validation of request bodies into frozen parameter sets, with the service's 400s.

Every top-level field of spec 2.3.0's `CreateResponse`, and the few that real clients send
beyond it (`client_fields.CLIENT_FIELDS`, listed in docs/clients.md), is accepted; the
emulator models some and ignores the rest. A field outside that set is
refused with `unknown_parameter`, as the service does, so a client's typo shows up here
rather than in production.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from azresp_cli.emulator.client_fields import CLIENT_FIELDS
from azresp_cli.emulator.errors import (
    ApiError,
    invalid_request,
    invalid_type,
    invalid_value,
    missing_parameter,
)

EFFORTS = ("none", "minimal", "low", "medium", "high", "xhigh", "max")
SUMMARIES = ("auto", "concise", "detailed")
INCLUDABLE = (
    "file_search_call.results",
    "web_search_call.results",
    "web_search_call.action.sources",
    "message.input_image.image_url",
    "computer_call_output.output.image_url",
    "code_interpreter_call.outputs",
    "reasoning.encrypted_content",
    "message.output_text.logprobs",
)
_SERVICE_TIERS = ("auto", "default", "flex", "scale", "priority", "fast", "ultrafast")
_TOOL_CHOICES = ("none", "auto", "required")
_IGNORED_OBJECTS = (
    "context_management", "conversation", "moderation", "prompt", "prompt_cache_options",
    "stream_options",
)  # fmt: skip
CREATE_FIELDS = frozenset(
    {
        "background", "include", "input", "instructions", "max_output_tokens", "max_tool_calls",
        "metadata", "model", "parallel_tool_calls", "previous_response_id", "prompt_cache_key",
        "prompt_cache_retention", "reasoning", "safety_identifier", "service_tier", "store",
        "stream", "temperature", "text", "tool_choice", "tools", "top_logprobs", "top_p",
        "truncation", "user", *_IGNORED_OBJECTS, *CLIENT_FIELDS,
    }
)  # fmt: skip
COUNT_FIELDS = frozenset(
    {
        "model", "input", "previous_response_id", "tools", "text", "reasoning", "truncation",
        "instructions", "conversation", "tool_choice", "parallel_tool_calls", "personality",
    }
)  # fmt: skip
COMPACT_FIELDS = frozenset(
    {
        "model", "input", "previous_response_id", "instructions", "prompt_cache_key",
        "prompt_cache_retention", "prompt_cache_options", "service_tier",
    }
)  # fmt: skip

_ECHOED = (
    "instructions", "max_output_tokens", "max_tool_calls", "previous_response_id", "prompt",
    "prompt_cache_key", "prompt_cache_retention", "safety_identifier",
)  # fmt: skip
_ECHO_DEFAULTS = {"metadata": {}, "parallel_tool_calls": True, "service_tier": "auto"}


@dataclass(frozen=True)
class CreateParams:
    """A validated create (or count / compact) request."""

    model: str
    input: Any  # raw; `inputs.normalize` validates it item by item
    instructions: str | None
    previous_response_id: str | None
    store: bool
    background: bool
    stream: bool
    include: frozenset[str]
    effort: str | None
    summary: str | None
    max_output_tokens: int | None
    tools: tuple[dict[str, Any], ...]
    tool_choice: Any
    text: dict[str, Any]
    body: dict[str, Any]  # the validated request body, for the fields only echoed

    @property
    def text_format(self) -> dict[str, Any]:
        text_format: dict[str, Any] = self.text["format"]
        return text_format

    @property
    def echo(self) -> dict[str, Any]:
        """The request parameters as a Response repeats them, defaults filled in."""
        body = self.body
        conversation = body.get("conversation")
        if isinstance(conversation, str):
            conversation = {"id": conversation}
        # `user` is left out unless sent: spec 2.3.0 types it as a string that is never null.
        user = {"user": body["user"]} if body.get("user") is not None else {}
        return {
            "background": self.background,
            "conversation": conversation,
            **{name: body.get(name) for name in _ECHOED},
            **{
                name: body[name] if body.get(name) is not None else default
                for name, default in _ECHO_DEFAULTS.items()
            },
            "model": self.model,
            "reasoning": {"effort": self.effort, "summary": self.summary},
            "store": self.store,
            "temperature": _number(body.get("temperature"), 1.0),
            "text": self.text,
            "tool_choice": self.tool_choice,
            "tools": list(self.tools),
            "top_logprobs": body.get("top_logprobs") or 0,
            "top_p": _number(body.get("top_p"), 1.0),
            "truncation": body.get("truncation") or "disabled",
            **user,
        }


def parse(
    body: Any, allowed: frozenset[str] = CREATE_FIELDS, *, needs_model: bool = True
) -> CreateParams:
    """Check `body` field by field; raise the first 400 the service would give."""
    if not isinstance(body, dict):
        raise invalid_type("body", "an object", body)
    for name in body:
        if name not in allowed:
            raise invalid_request(
                f"Unknown parameter: '{name}'.", param=name, code="unknown_parameter"
            )
    for name, check in _CHECKS.items():
        if body.get(name) is not None:
            check(name, body[name])
    model = body.get("model")
    if needs_model and model is None:
        raise missing_parameter("model")
    if body.get("input") is None and body.get("previous_response_id") is None and needs_model:
        raise missing_parameter("input")
    if body.get("previous_response_id") is not None and body.get("conversation") is not None:
        raise invalid_request(
            "Mutually exclusive parameters: 'previous_response_id' and 'conversation'. Ensure you"
            " are only providing one of: 'previous_response_id' or 'conversation'.",
            param="previous_response_id",
            code="mutually_exclusive_parameters",
        )
    store = body.get("store") is not False
    background = body.get("background") is True
    if background and not store:
        raise invalid_request(
            "Background responses require `store` to be true.", param="background"
        )
    reasoning = body.get("reasoning") or {}
    summary = reasoning.get("summary") or reasoning.get("generate_summary")
    effort = reasoning.get("effort") or ("medium" if summary else None)
    tools = tuple(_echo_tool(tool) for tool in body.get("tools") or ())
    text = {"format": {"type": "text"}, "verbosity": "medium", **(body.get("text") or {})}
    return CreateParams(
        model=str(model or ""),
        input=body.get("input"),
        instructions=body.get("instructions"),
        previous_response_id=body.get("previous_response_id"),
        store=store,
        background=background,
        stream=body.get("stream") is True,
        include=frozenset(body.get("include") or ()),
        effort=effort,
        summary=summary,
        max_output_tokens=body.get("max_output_tokens"),
        tools=tools,
        tool_choice=body.get("tool_choice") or "auto",
        text=text,
        body=body,
    )


def _number(value: Any, default: float) -> float:
    return default if value is None else float(value)


def _echo_tool(tool: dict[str, Any]) -> dict[str, Any]:
    if tool.get("type") == "function":
        return {"description": None, "parameters": None, "strict": True, **tool}
    if tool.get("type") == "mcp":  # secrets the client sends for the server stay out of replies
        return {
            key: value for key, value in tool.items() if key not in ("headers", "authorization")
        }
    return dict(tool)


Check = Callable[[str, Any], None]


def _of_type(expected: str, *types: type) -> Check:
    def check(name: str, value: Any) -> None:
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise invalid_type(name, expected, value)

    return check


def _one_of(choices: tuple[str, ...]) -> Check:
    def check(name: str, value: Any) -> None:
        _of_type("a string", str)(name, value)
        if value not in choices:
            raise invalid_value(name, value, choices)

    return check


def _within(low: float | None, high: float | None, *, integer: bool) -> Check:
    kind = "integer" if integer else "decimal"

    def check(name: str, value: Any) -> None:
        if integer:
            _of_type("an integer", int)(name, value)
        else:
            _of_type("a number", int, float)(name, value)
        shown = value if integer or not float(value).is_integer() else int(value)
        if low is not None and value < low:
            raise _out_of_range(
                name, f"{kind} below minimum value", f">= {low}", shown, kind, "below_min"
            )
        if high is not None and value > high:
            raise _out_of_range(
                name, f"{kind} above maximum value", f"<= {high}", shown, kind, "above_max"
            )

    return check


def _out_of_range(name: str, what: str, bound: str, shown: Any, kind: str, side: str) -> ApiError:
    return invalid_request(
        f"Invalid '{name}': {what}. Expected a value {bound}, but got {shown} instead.",
        param=name,
        code=f"{kind}_{side}_value",
    )


def _check_input(name: str, value: Any) -> None:
    if not isinstance(value, str | list):
        raise invalid_type(name, "one of a string or array of input items", value)


def _check_metadata(name: str, value: Any) -> None:
    _of_type("an object", dict)(name, value)
    if len(value) > 16:
        raise invalid_request(
            f"Invalid '{name}': too many properties. Expected an object with at most 16 "
            f"properties, but got {len(value)} instead.",
            param=name,
            code="object_above_max_properties",
        )
    for key, item in value.items():
        _of_type("a string", str)(f"{name}.{key}", item)


def _check_reasoning(name: str, value: Any) -> None:
    _of_type("an object", dict)(name, value)
    for field, choices in (
        ("effort", EFFORTS),
        ("summary", SUMMARIES),
        ("generate_summary", SUMMARIES),
    ):
        if value.get(field) is not None:
            _one_of(choices)(f"{name}.{field}", value[field])


def _check_text(name: str, value: Any) -> None:
    _of_type("an object", dict)(name, value)
    text_format = value.get("format")
    if text_format is not None:
        _of_type("an object", dict)(f"{name}.format", text_format)
        _one_of(("text", "json_schema", "json_object"))(
            f"{name}.format.type", text_format.get("type")
        )
    if value.get("verbosity") is not None:
        _one_of(("low", "medium", "high"))(f"{name}.verbosity", value["verbosity"])


def _check_include(name: str, value: Any) -> None:
    _of_type("an array", list)(name, value)
    for index, entry in enumerate(value):
        _one_of(INCLUDABLE)(f"{name}[{index}]", entry)


def _check_tools(name: str, value: Any) -> None:
    _of_type("an array", list)(name, value)
    for index, tool in enumerate(value):
        _of_type("an object", dict)(f"{name}[{index}]", tool)
        if not isinstance(tool.get("type"), str):
            raise missing_parameter(f"{name}[{index}].type")
        if tool["type"] == "function" and not isinstance(tool.get("name"), str):
            raise missing_parameter(f"{name}[{index}].name")


def _check_tool_choice(name: str, value: Any) -> None:
    if isinstance(value, str):
        _one_of(_TOOL_CHOICES)(name, value)
    elif not isinstance(value, dict) or not isinstance(value.get("type"), str):
        raise invalid_type(name, "a string or an object with a 'type'", value)


def _ignored_object(name: str, value: Any) -> None:
    if name == "conversation" and isinstance(value, str):
        return
    _of_type("an object" if name != "context_management" else "an array", dict, list)(name, value)


_CHECKS: dict[str, Check] = {
    "model": _of_type("a string", str),
    "input": _check_input,
    "instructions": _of_type("a string", str),
    "previous_response_id": _of_type("a string", str),
    "store": _of_type("a boolean", bool),
    "background": _of_type("a boolean", bool),
    "stream": _of_type("a boolean", bool),
    "parallel_tool_calls": _of_type("a boolean", bool),
    "include": _check_include,
    "metadata": _check_metadata,
    "reasoning": _check_reasoning,
    "text": _check_text,
    "tools": _check_tools,
    "tool_choice": _check_tool_choice,
    "temperature": _within(0, 2, integer=False),
    "top_p": _within(0, 1, integer=False),
    "max_output_tokens": _within(16, None, integer=True),
    "max_tool_calls": _within(0, None, integer=True),
    "top_logprobs": _within(0, 20, integer=True),
    "truncation": _one_of(("auto", "disabled")),
    "service_tier": _one_of(_SERVICE_TIERS),
    "prompt_cache_retention": _one_of(("in_memory", "24h")),
    "prompt_cache_key": _of_type("a string", str),
    "safety_identifier": _of_type("a string", str),
    "user": _of_type("a string", str),
    **dict.fromkeys(_IGNORED_OBJECTS, _ignored_object),
    **{name: field.check for name, field in CLIENT_FIELDS.items()},
}
