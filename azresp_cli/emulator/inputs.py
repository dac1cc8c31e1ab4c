"""A request's `input` in every form the spec allows, normalised to stored items.

Forms accepted: a plain string; messages with or without `"type": "message"`, whose
`content` is a string or a list of parts; the service's own output items replayed as they
came back (assistant messages, reasoning, function calls, MCP items, ...); tool outputs;
`item_reference`s (resolved later, in `context.py`); compaction items. Each normalised
item has an id (the client's, or a new one) and the fields the stored form requires, so
`input_items` lists validate against the spec's `ItemResource`.
"""

from __future__ import annotations

from typing import Any

from azresp_cli.emulator import ids
from azresp_cli.emulator.errors import invalid_type, invalid_value, missing_parameter

_USER_ROLES = ("user", "system", "developer")
_ROLES = (*_USER_ROLES, "assistant")
_INPUT_PARTS = ("input_text", "input_image", "input_file")
_ASSISTANT_PARTS = ("output_text", "refusal")
# Output items of tools the emulator does not model: kept as sent, given an id if missing.
_OPAQUE_TYPES = (
    "file_search_call", "computer_call", "computer_call_output", "web_search_call",
    "tool_search_call", "tool_search_output", "additional_tools", "image_generation_call",
    "code_interpreter_call", "local_shell_call", "local_shell_call_output", "shell_call",
    "shell_call_output", "apply_patch_call", "apply_patch_call_output", "mcp_list_tools",
    "mcp_approval_request", "mcp_call", "custom_tool_call", "custom_tool_call_output",
    "program", "program_output",
)  # fmt: skip
ITEM_TYPES = (
    "message", "item_reference", "function_call", "function_call_output", "reasoning",
    "compaction", "compaction_trigger", "mcp_approval_response", *_OPAQUE_TYPES,
)  # fmt: skip


def normalize(raw: Any) -> list[dict[str, Any]]:
    """The items of `raw` (a string or a list), each checked; raises the service's 400s."""
    if raw is None:
        return []
    if isinstance(raw, str):
        return [_message({"role": "user", "content": raw}, "input")]
    items = []
    for index, item in enumerate(raw):
        param = f"input[{index}]"
        if not isinstance(item, dict):
            raise invalid_type(param, "an object", item)
        normalised = _item(item, param)
        if normalised is not None:
            items.append(normalised)
    return items


def _item(item: dict[str, Any], param: str) -> dict[str, Any] | None:
    kind = item.get("type")
    if kind is None:
        kind = "message" if "role" in item else "item_reference"
    if kind not in ITEM_TYPES:
        raise invalid_value(f"{param}.type", kind, ITEM_TYPES)
    if kind == "message":
        return _message(item, param)
    if kind == "item_reference":
        _require(item, param, "id", str, "a string")
        return {"type": "item_reference", "id": item["id"]}
    if kind == "compaction_trigger":
        return None  # a request to compact, not content; the emulator compacts only on demand
    return _REQUIRED.get(kind, _opaque)(item, param)


def _message(item: dict[str, Any], param: str) -> dict[str, Any]:
    role = _require(item, param, "role", str, "a string")
    if role not in _ROLES:
        raise invalid_value(f"{param}.role", role, _ROLES)
    content = item.get("content")
    if isinstance(content, str):
        text_type = "output_text" if role == "assistant" else "input_text"
        parts: list[Any] = [{"type": text_type, "text": content}]
    elif isinstance(content, list):
        parts = content
    else:
        raise invalid_type(f"{param}.content", "one of a string or array of content parts", content)
    allowed = _ASSISTANT_PARTS if role == "assistant" else _INPUT_PARTS
    normalised = [_part(part, f"{param}.content[{i}]", allowed) for i, part in enumerate(parts)]
    message = {
        "id": item.get("id") or ids.item_id("message"),
        "type": "message",
        "role": role,
        "status": item.get("status") or "completed",
        "content": normalised,
    }
    if item.get("phase") is not None:
        message["phase"] = item["phase"]
    return message


def _part(part: Any, param: str, allowed: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(part, dict):
        raise invalid_type(param, "an object", part)
    kind = part.get("type")
    if kind not in allowed:
        raise invalid_value(f"{param}.type", kind, allowed)
    if kind in ("input_text", "output_text"):
        _require(part, param, "text", str, "a string")
    if kind == "output_text":
        return {"annotations": [], "logprobs": [], **part, "type": "output_text"}
    if kind == "refusal":
        _require(part, param, "refusal", str, "a string")
    if kind == "input_image":
        if not isinstance(part.get("image_url") or part.get("file_id"), str):
            raise missing_parameter(f"{param}.image_url")
        return {**part, "detail": part.get("detail") or "auto"}  # spec requires it; SDKs omit it
    if kind == "input_file" and not any(
        isinstance(part.get(name), str) for name in ("file_id", "file_data", "file_url")
    ):
        raise missing_parameter(f"{param}.file_id")
    return dict(part)


def _require(
    item: dict[str, Any], param: str, name: str, kind: type | tuple[type, ...], expected: str
) -> Any:
    if name not in item or item[name] is None:
        raise missing_parameter(f"{param}.{name}")
    if not isinstance(item[name], kind):
        raise invalid_type(f"{param}.{name}", expected, item[name])
    return item[name]


def _with_id(item: dict[str, Any], status: str | None = "completed") -> dict[str, Any]:
    fields = {name: value for name, value in item.items() if name != "id"}
    result = {"id": item.get("id") or ids.item_id(str(item["type"])), **fields}
    if status is not None and not result.get("status"):
        result["status"] = status
    return result


def _function_call(item: dict[str, Any], param: str) -> dict[str, Any]:
    for name in ("call_id", "name", "arguments"):
        _require(item, param, name, str, "a string")
    return _with_id(item)


def _function_call_output(item: dict[str, Any], param: str) -> dict[str, Any]:
    _require(item, param, "call_id", str, "a string")
    _require(item, param, "output", (str, list), "a string or an array of content parts")
    return _with_id(item)


def _reasoning(item: dict[str, Any], param: str) -> dict[str, Any]:
    _require(item, param, "summary", list, "an array")
    return _with_id(item, status=None)


def _compaction(item: dict[str, Any], param: str) -> dict[str, Any]:
    _require(item, param, "encrypted_content", str, "a string")
    return _with_id(item, status=None)


def _approval_response(item: dict[str, Any], param: str) -> dict[str, Any]:
    _require(item, param, "approval_request_id", str, "a string")
    _require(item, param, "approve", bool, "a boolean")
    # Spec 2.3.0 marks `request_id` required on the stored form (a schema bug, docs/protocol.md §4);
    # clients never send it, so the stored copy carries the approval request's id there.
    return {"request_id": item["approval_request_id"], **_with_id(item, status=None)}


def _opaque(item: dict[str, Any], param: str) -> dict[str, Any]:
    return _with_id(item, status=None)


_REQUIRED = {
    "function_call": _function_call,
    "function_call_output": _function_call_output,
    "reasoning": _reasoning,
    "compaction": _compaction,
    "mcp_approval_response": _approval_response,
}
