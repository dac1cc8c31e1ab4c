"""Convert the service's Response JSON into the ResponseRecord the rest of azresp uses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from azresp_cli.core.events import ResponseRecord, ResponseStatus, Usage

_STATUSES = frozenset({"queued", "in_progress", "completed", "failed", "cancelled", "incomplete"})


def record_from_json(data: Mapping[str, Any]) -> ResponseRecord:
    """Build a record from a Response object as it came over the wire."""
    error = data.get("error") or {}
    incomplete = data.get("incomplete_details") or {}
    output = tuple(item for item in data.get("output") or () if isinstance(item, Mapping))
    return ResponseRecord(
        id=str(data.get("id", "")),
        status=status_from_json(data.get("status"), "completed"),
        model=str(data.get("model") or ""),
        output_text=output_text(output),
        usage=usage_from_json(data.get("usage")),
        previous_response_id=data.get("previous_response_id"),
        incomplete_reason=incomplete.get("reason") if isinstance(incomplete, Mapping) else None,
        error_code=error.get("code") if isinstance(error, Mapping) else None,
        error_message=error.get("message") if isinstance(error, Mapping) else None,
        created_at=data.get("created_at"),
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
        str(part.get("text", ""))
        for item in output
        if item.get("type") == "message"
        for part in item.get("content") or ()
        if isinstance(part, Mapping) and part.get("type") == "output_text"
    ]
    return "".join(texts)


def usage_from_json(usage: Any) -> Usage | None:
    if not isinstance(usage, Mapping):
        return None
    input_details = usage.get("input_tokens_details") or {}
    output_details = usage.get("output_tokens_details") or {}
    return Usage(
        input_tokens=int(usage.get("input_tokens") or 0),
        output_tokens=int(usage.get("output_tokens") or 0),
        reasoning_tokens=int(output_details.get("reasoning_tokens") or 0),
        cached_tokens=int(input_details.get("cached_tokens") or 0),
    )


def _tier(value: Any) -> str | None:
    """The tier that answered; ``auto`` (the request's own word, echoed) says nothing of it."""
    return str(value) if isinstance(value, str) and value and value != "auto" else None
