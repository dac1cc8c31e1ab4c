"""What the Turn engine yields while a response streams.

A closed union of frozen dataclasses: render/ matches on it and ends with ``assert_never``, so an
unhandled kind is a type error rather than a silently dropped chunk. No openai type crosses this
line; the engine converts them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from azresp_cli.core.ratelimits import RateLimits

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
    # The tier the service says it ran the response on (default, priority, flex), if it said.
    service_tier: str | None = None
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
    # The rate-limit headers of the reply that carried it (core/ratelimits.py), if any.
    limits: RateLimits | None = None


@dataclass(frozen=True)
class WireEvent:
    """One stream event exactly as it came over the wire (only when ``--jsonl`` asks for them)."""

    type: str
    sequence_number: int | None
    payload: Mapping[str, Any]


@dataclass(frozen=True)
class RetryScheduled:
    """A request failed before the service started on it; it is sent again after ``delay`` s.

    Yielded before the wait, so a terminal can count it down (core/retry.py)."""

    delay: float
    attempt: int  # 1 for the first retry
    max_retries: int
    reason: str  # e.g. "HTTP 429 (rate limited)"
    request_id: str | None = None
    # What changes in the request sent again, e.g. "with the default tier" (--flex-fallback).
    change: str | None = None


@dataclass(frozen=True)
class StreamResumed:
    """A background response's stream dropped; it goes on after ``after`` (no event twice)."""

    response_id: str
    after: int  # the last sequence_number seen
    reason: str


@dataclass(frozen=True)
class ResumeRefused:
    """The service would not replay the stream; the rest comes from polling the response."""

    response_id: str
    reason: str


ToolKind = Literal["function", "mcp"]


@dataclass(frozen=True)
class ToolCall:
    """A call the model asked for that needs a decision here: a local function, or an MCP tool
    the service will only call once approved (``mcp_approval_request``)."""

    kind: ToolKind
    name: str
    arguments: str  # the JSON text the model wrote, exactly as it came
    call_id: str  # function_call.call_id, or the approval request's id
    server_label: str | None = None  # MCP only

    @property
    def approval_key(self) -> str:
        """What an "always" decision remembers: the function, or the MCP server and tool."""
        if self.kind == "mcp":
            return f"mcp:{self.server_label}:{self.name}"
        return f"function:{self.name}"


@dataclass(frozen=True)
class ToolCallRequested:
    """The model asked for ``call``; a decision (and for a function, a run) comes next."""

    call: ToolCall


@dataclass(frozen=True)
class ToolCallRefused:
    """The call was not made: the user said no, nobody could be asked, or a limit was hit.
    ``reason`` is what the model is told."""

    call: ToolCall
    reason: str


@dataclass(frozen=True)
class ToolCallResult:
    """A local function ran; ``output`` goes back to the model (its error text if it raised)."""

    call: ToolCall
    output: str
    is_error: bool = False
    # function_call_output content parts (input_text/input_image/input_file), when the result
    # is more than text (a local MCP tool's image); ``output`` is then its text, for the screen
    parts: tuple[Mapping[str, Any], ...] | None = None


@dataclass(frozen=True)
class McpListTools:
    """The service listed an MCP server's tools (``error`` set when it could not)."""

    server_label: str
    tools: tuple[str, ...]
    error: str | None = None


@dataclass(frozen=True)
class McpCallResult:
    """The service called an MCP tool: its output, or the error it met."""

    server_label: str
    name: str
    arguments: str
    output: str | None
    error: str | None = None


@dataclass(frozen=True)
class CodeInterpreterCode:
    """The Python the code interpreter is about to run."""

    item_id: str
    code: str


@dataclass(frozen=True)
class CodeInterpreterLogs:
    """What the code printed (only when the request included the call's outputs)."""

    item_id: str
    logs: str


FileKind = Literal["image", "container_file"]


@dataclass(frozen=True)
class FileSaved:
    """A file a tool produced was written to disk (never over an existing file)."""

    path: str
    kind: FileKind
    source_id: str  # the image_generation_call id or the container file id


@dataclass(frozen=True)
class ToolRound:
    """A response that ended in tool calls; the turn goes on with ``sent`` as the next input.

    Not the end of the turn (that is ``Completed``): usage adds up across rounds."""

    response: ResponseRecord
    sent: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True)
class WebSearched:
    """A ``web_search_call`` finished: what was searched (and opened), and the sources listed
    when the request included ``web_search_call.action.sources``."""

    item_id: str
    action: str  # search, open_page, find_in_page
    queries: tuple[str, ...]
    sources: tuple[str, ...] = ()
    url: str | None = None  # open_page / find_in_page


@dataclass(frozen=True)
class CitedSource:
    title: str
    url: str


@dataclass(frozen=True)
class Citations:
    """The ``url_citation`` annotations of an answer, first cited first, each URL once: shown
    as numbered footnotes after the answer (Markdown links on a pipe)."""

    sources: tuple[CitedSource, ...]


# The events that show what a tool did; ToolRound is bookkeeping and shows nothing.
ToolEvent = (
    ToolCallRequested
    | ToolCallRefused
    | ToolCallResult
    | McpListTools
    | McpCallResult
    | CodeInterpreterCode
    | CodeInterpreterLogs
    | FileSaved
    | WebSearched
)

TurnEvent = (
    ResponseStarted
    | TextDelta
    | TextDone
    | RefusalDelta
    | ReasoningDelta
    | Completed
    | WireEvent
    | RetryScheduled
    | StreamResumed
    | ResumeRefused
    | ToolCallRequested
    | ToolCallRefused
    | ToolCallResult
    | McpListTools
    | McpCallResult
    | CodeInterpreterCode
    | CodeInterpreterLogs
    | FileSaved
    | WebSearched
    | Citations
    | ToolRound
)
