"""The JSON objects the service returns: Response snapshots, output items, usage.

Fields follow spec 2.3.0's `Response` (all its required fields, plus Azure's
`content_filters`). `output_text` is never sent: it is an SDK convenience, not a wire field.
`usage` is left out until the response ends, because the spec types it as an object and
a `null` would not validate.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass
from typing import Any

Json = dict[str, Any]


@dataclass(frozen=True)
class ResponseShell:
    """What stays fixed over a response's life: its id, creation time and echoed params."""

    response_id: str
    created_at: int
    echo: Json

    def snapshot(
        self,
        status: str,
        output: list[Json] | None = None,
        *,
        usage: Json | None = None,
        error: Json | None = None,
        incomplete_details: Json | None = None,
        content_filters: list[Json] | None = None,
    ) -> Json:
        """A full Response object in `status`; lists and dicts are copies, safe to keep."""
        is_done = status in ("completed", "failed", "incomplete", "cancelled")
        response: Json = {
            "id": self.response_id,
            "object": "response",
            "created_at": self.created_at,
            "status": status,
            "completed_at": int(time.time()) if status == "completed" else None,
            "error": error,
            "incomplete_details": incomplete_details,
            "output": copy.deepcopy(output or []),
            **copy.deepcopy(self.echo),
            "content_filters": copy.deepcopy(content_filters or []),
        }
        if is_done and response["service_tier"] == "auto":
            response["service_tier"] = "default"  # recorded streams resolve the tier at the end
        if usage is not None:
            response["usage"] = usage
        return response


def usage(input_tokens: int, output_tokens: int, reasoning_tokens: int, cached_tokens: int) -> Json:
    return {
        "input_tokens": input_tokens,
        "input_tokens_details": {"cached_tokens": cached_tokens, "cache_write_tokens": 0},
        "output_tokens": output_tokens,
        "output_tokens_details": {"reasoning_tokens": reasoning_tokens},
        "total_tokens": input_tokens + output_tokens,
    }


def output_text_part(text: str, annotations: list[Json] | None = None) -> Json:
    return {
        "type": "output_text",
        "text": text,
        "annotations": list(annotations or []),
        "logprobs": [],
    }


def message(item_id: str, status: str, parts: list[Json]) -> Json:
    return {
        "id": item_id,
        "type": "message",
        "status": status,
        "role": "assistant",
        "content": parts,
    }


def reasoning(item_id: str, summary: list[str], encrypted_content: str | None) -> Json:
    item: Json = {
        "id": item_id,
        "type": "reasoning",
        "summary": [{"type": "summary_text", "text": text} for text in summary],
    }
    if encrypted_content is not None:
        item["encrypted_content"] = encrypted_content
    return item


def function_call(item_id: str, call_id: str, name: str, arguments: str, status: str) -> Json:
    return {
        "id": item_id,
        "type": "function_call",
        "status": status,
        "call_id": call_id,
        "name": name,
        "arguments": arguments,
    }


def custom_tool_call(item_id: str, call_id: str, name: str, input_text: str, status: str) -> Json:
    return {
        "id": item_id,
        "type": "custom_tool_call",
        "status": status,
        "call_id": call_id,
        "name": name,
        "input": input_text,
    }


def new_shell(response_id: str, echo: Json) -> ResponseShell:
    return ResponseShell(response_id, int(time.time()), echo)
