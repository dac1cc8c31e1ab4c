"""What the Turn engine yields while a response streams.

A closed union of frozen dataclasses: render/ matches on it and ends with ``assert_never``, so an
unhandled kind is a type error rather than a silently dropped chunk. No openai type crosses this
line; the engine converts them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

ResponseStatus = Literal["queued", "in_progress", "completed", "failed", "cancelled", "incomplete"]


@dataclass(frozen=True)
class Usage:
    input_tokens: int = 0
    output_tokens: int = 0
    reasoning_tokens: int = 0
    cached_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens


@dataclass(frozen=True)
class ResponseRecord:
    """A Response as azresp needs it, plus the wire JSON for ``--json``."""

    id: str
    status: ResponseStatus
    model: str
    output_text: str
    usage: Usage | None = None
    previous_response_id: str | None = None
    incomplete_reason: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    created_at: float | None = None
    store: bool = True
    background: bool = False
    # The exact output items, needed to replay them when the client keeps the chain (store=false).
    output_items: tuple[Mapping[str, Any], ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class ResponseStarted:
    """``response.created``: the id is known and the service holds the request."""

    response_id: str
    status: ResponseStatus
    sequence_number: int | None = None


@dataclass(frozen=True)
class TextDelta:
    text: str


@dataclass(frozen=True)
class TextDone:
    """An output text part finished; its full text (the deltas joined)."""

    text: str


@dataclass(frozen=True)
class RefusalDelta:
    text: str


@dataclass(frozen=True)
class ReasoningDelta:
    """A chunk of a reasoning summary; shown apart from the answer (dim, on stderr when piped)."""

    text: str
    summary_index: int = 0


@dataclass(frozen=True)
class Completed:
    """The terminal event: completed, incomplete, failed or cancelled, with usage."""

    response: ResponseRecord


@dataclass(frozen=True)
class WireEvent:
    """One stream event exactly as it came over the wire (only when ``--jsonl`` asks for them)."""

    type: str
    sequence_number: int | None
    payload: Mapping[str, Any]


TurnEvent = (
    ResponseStarted | TextDelta | TextDone | RefusalDelta | ReasoningDelta | Completed | WireEvent
)
