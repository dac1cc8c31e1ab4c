"""Deterministic token arithmetic: counting text and cutting it into stream deltas.

A "token" here is a run of word characters or a single other non-space character, so
`"Hello, world!"` is 4 tokens. It is close enough to a real tokenizer for usage figures to
look plausible, and exact enough that tests can predict every number.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

_TOKEN = re.compile(r"\w+|[^\w\s]")
_PIECE = re.compile(r"\s*\S+\s*")
WORDS_PER_DELTA = 3


def count(text: str) -> int:
    return len(_TOKEN.findall(text))


def first_tokens(text: str, budget: int) -> str:
    """The longest prefix of `text` holding at most `budget` tokens (used for truncation)."""
    if budget <= 0:
        return ""
    for index, match in enumerate(_TOKEN.finditer(text)):
        if index == budget:
            return text[: match.start()]
    return text


def deltas(text: str, words_per_delta: int = WORDS_PER_DELTA) -> Iterator[str]:
    """Word-ish chunks whose concatenation is exactly `text`."""
    pieces = _PIECE.findall(text)
    consumed = sum(len(piece) for piece in pieces)
    for start in range(0, len(pieces), words_per_delta):
        yield "".join(pieces[start : start + words_per_delta])
    if consumed < len(text):  # whitespace-only text has no pieces
        yield text[consumed:]


IMAGE_TOKENS = 85  # what a low-detail image costs on the service; one fixed price here
FILE_TOKENS = 256
ITEM_OVERHEAD = 4


def count_context(
    instructions: str | None, items: list[dict[str, Any]], tools: Iterable[Any]
) -> int:
    """Input tokens of a request: instructions, every context item, and the tool definitions."""
    total = count(instructions or "") + sum(count(json.dumps(tool)) for tool in tools)
    return total + sum(count_item(item) for item in items)


def count_item(item: dict[str, Any]) -> int:
    total = ITEM_OVERHEAD
    for value in _texts(item):
        total += count(value)
    for part in item.get("content") or []:
        if isinstance(part, dict) and part.get("type") == "input_image":
            total += IMAGE_TOKENS
        elif isinstance(part, dict) and part.get("type") == "input_file":
            total += FILE_TOKENS
    return total


def _texts(item: dict[str, Any]) -> Iterator[str]:
    """The strings a model would read in an item (not ids, types or sealed content)."""
    for name in ("name", "arguments", "output"):
        if isinstance(item.get(name), str):
            yield item[name]
    for group in ("content", "summary", "output"):
        for part in item.get(group) or []:
            if isinstance(part, dict):
                for name in ("text", "refusal"):
                    if isinstance(part.get(name), str):
                        yield part[name]
