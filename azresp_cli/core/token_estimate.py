"""A local, deliberately high count of the input tokens a request sends (for --max-cost).

No tokenizer ships with azresp (tiktoken would download its tables on first use), so the count
errs high: every word or punctuation mark is at least one token and long words count one token
per three bytes (real BPE averages about four characters a token in English). Images count as
a high-detail image (``IMAGE_TOKENS``), inline files by their size. The context the service
already holds (``previous_response_id``) is not sent again: the caller adds what the last
response reported (its input plus output tokens).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from azresp_cli.core.request import TurnRequest, build_create_body

_PIECE = re.compile(r"\w+|[^\w\s]")
IMAGE_TOKENS = 1_600  # more than a high-detail image of the largest size costs
MESSAGE_OVERHEAD = 4


def estimate_text(text: str) -> int:
    return sum(max(1, math.ceil(len(piece.encode()) / 3)) for piece in _PIECE.findall(text))


def estimate_request(deployment: str, request: TurnRequest, context_tokens: int = 0) -> int:
    """Input tokens ``request`` may be billed for, with ``context_tokens`` the service holds."""
    body = build_create_body(deployment, request)
    total = context_tokens + estimate_text(body.get("instructions") or "")
    prompt = body.get("input")
    if isinstance(prompt, str):
        total += estimate_text(prompt) + MESSAGE_OVERHEAD
    elif isinstance(prompt, list):
        total += sum(_item(item) for item in prompt if isinstance(item, Mapping))
    for tool in body.get("tools") or ():
        total += estimate_text(json.dumps(tool))
    return total


def _item(item: Mapping[str, Any]) -> int:
    total = MESSAGE_OVERHEAD
    for key in ("text", "arguments", "output", "name"):
        value = item.get(key)
        if isinstance(value, str):
            total += estimate_text(value)
    for group in ("content", "summary"):
        parts = item.get(group)
        if isinstance(parts, list):
            total += sum(_part(part) for part in parts if isinstance(part, Mapping))
    return total


def _part(part: Mapping[str, Any]) -> int:
    kind = part.get("type")
    if kind == "input_image":
        return IMAGE_TOKENS
    if kind == "input_file":
        data = str(part.get("file_data") or "")
        return max(len(data) // 3, 256)
    return sum(_strings(part.get(key) for key in ("text", "refusal")))


def _strings(values: Iterable[Any]) -> Iterable[int]:
    for value in values:
        if isinstance(value, str):
            yield estimate_text(value)
