"""Finding `[[name:argument]]` directives in the latest user text (see DIRECTIVES.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_DIRECTIVE = re.compile(r"\[\[\s*([a-z_]+)\s*(?::(.*?))?\]\]", re.DOTALL)


@dataclass(frozen=True)
class Directive:
    name: str  # "long", "fault", ...
    argument: str  # text after the first ":", stripped; "" when absent
    source: str  # the whole `[[...]]`, for once-only faults keyed by their exact text


def find(text: str) -> list[Directive]:
    return [
        Directive(match.group(1), (match.group(2) or "").strip(), match.group(0))
        for match in _DIRECTIVE.finditer(text)
    ]


def strip(text: str) -> str:
    """`text` without its directives, trimmed: what the user "said"."""
    return _DIRECTIVE.sub("", text).strip()


def latest_user_text(raw_input: Any) -> str:
    """The text of the last user message in a request's raw `input`, or "" if none.

    Runs before validation (fault directives come first), so it tolerates any shape.
    """
    if isinstance(raw_input, str):
        return raw_input
    if not isinstance(raw_input, list):
        return ""
    for item in reversed(raw_input):
        if isinstance(item, dict) and item.get("role") == "user":
            return message_text(item.get("content"))
    return ""


def message_text(content: Any) -> str:
    """The text parts of a message's `content` (a string or a part list), joined."""
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        return ""
    texts = [
        part["text"]
        for part in content
        if isinstance(part, dict) and isinstance(part.get("text"), str)
    ]
    return "\n".join(texts)
