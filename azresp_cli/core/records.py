"""Convert the service's Response JSON into the ResponseRecord the rest of azresp uses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from azresp_cli.core.events import ResponseRecord, ResponseStatus, Usage

_STATUSES = frozenset({"queued", "in_progress", "completed", "failed", "cancelled", "incomplete"})


def record_from_json(data: Mapping[str, Any]) -> ResponseRecord:
    """Build a record from a Response object as it came over the wire. A field of the wrong
    type (the service, or something posing as it, sent odd JSON) is read as absent."""
    error = _mapping(data.get("error"))
    incomplete = _mapping(data.get("incomplete_details"))
    output = tuple(item for item in _list(data.get("output")) if isinstance(item, Mapping))
    return ResponseRecord(
        id=str(data.get("id", "")),
        status=status_from_json(data.get("status"), "completed"),
        model=str(data.get("model") or ""),
        output_text=output_text(output),
        usage=usage_from_json(data.get("usage")),
        previous_response_id=_text(data.get("previous_response_id")),
        incomplete_reason=_text(incomplete.get("reason")),
        error_code=_text(error.get("code")),
        error_message=_text(error.get("message")),
        created_at=_timestamp(data.get("created_at")),
        store=bool(data.get("store", True)),
        background=bool(data.get("background") or False),
        service_tier=_tier(data.get("service_tier")),
        output_items=output,
        raw=data,
    )


def status_from_json(value: object, default: ResponseStatus) -> ResponseStatus:
    """A response's status as the service named it; ``default`` for none or an unknown one."""
    return cast(ResponseStatus, value) if isinstance(value, str) and value in _STATUSES else default


def output_text(output: tuple[Mapping[str, Any], ...]) -> str:
    """The answer text: every output_text part of every message, joined (as the SDK does)."""
    texts = [
        part["text"]
        for item in output
        if item.get("type") == "message"
        for part in _list(item.get("content"))
        if isinstance(part, Mapping)
        and part.get("type") == "output_text"
        and isinstance(part.get("text"), str)
    ]
    return "".join(texts)


def usage_from_json(usage: Any) -> Usage | None:
    if not isinstance(usage, Mapping):
        return None
    input_details = _mapping(usage.get("input_tokens_details"))
    output_details = _mapping(usage.get("output_tokens_details"))
    return Usage(
        input_tokens=_count(usage.get("input_tokens")),
        output_tokens=_count(usage.get("output_tokens")),
        reasoning_tokens=_count(output_details.get("reasoning_tokens")),
        cached_tokens=_count(input_details.get("cached_tokens")),
    )


def _count(value: object) -> int:
    """A token count: a whole number, not below 0; 0 for anything else."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _timestamp(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _tier(value: Any) -> str | None:
    """The tier that answered; ``auto`` (the request's own word, echoed) says nothing of it."""
    return str(value) if isinstance(value, str) and value and value != "auto" else None
