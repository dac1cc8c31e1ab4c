"""Values that cross the emulator's edge: its configuration and what it recorded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal


@dataclass(frozen=True)
class EmulatorConfig:
    """How a running emulator behaves; the defaults accept any key and any deployment."""

    api_keys: frozenset[str] | None = None  # None: any non-empty api-key / Bearer token
    deployments: frozenset[str] | None = None  # None: any model; else others -> 404
    delta_delay: float = 0.0  # seconds between text deltas ([[slow:MS]] overrides)
    background_step: float = 0.05  # seconds a background job waits between its phases
    # False answers POST /responses/compact with 404, as an Azure resource may
    # (docs/protocol.md §10).
    supports_compact: bool = True
    # The connections it serves (guard.py): more open at once are answered 503; headers
    # must be complete this many seconds after a request begins, a body must not pause
    # longer than this. None: the default, below the process's file descriptor limit.
    max_connections: int | None = None
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    # Where the emulator's MCP client may connect (mcp_client.py): "any" URL, or "loopback"
    # addresses only (the default of `azresp emulator --allow-remote`).
    mcp_targets: Literal["any", "loopback"] = "any"
    # The per-minute budget behind the x-ratelimit-* headers (ratelimit.py); a
    # [[ratelimit:…]] directive changes it until the next reset.
    rate_limit_requests: int = 10_000
    rate_limit_tokens: int = 10_000_000
    # Batches (batches.py): seconds between a batch's phases, lines answered per step
    # ([[batch:pace=N]] overrides it for one batch).
    batch_step: float = 0.02
    batch_pace: int = 2000
    # Requests per minute POST /responses accepts (rate_window.py), None: no limit; counted
    # over a window of `rate_window` seconds (rpm * rate_window / 60 requests in any window).
    rate_limit_rpm: int | None = None
    rate_window: float = 60.0


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the emulator received it, with secrets already masked."""

    method: str
    path: str  # e.g. "/openai/v1/responses"
    query: dict[str, str]
    headers: dict[str, str]  # lower-cased names; api-key/authorization values are "***"
    json: Any | None  # the parsed JSON body, if there was one and it was kept
    # The status a request was refused with before its body was read (401, 403, 413):
    # such a request is logged without its body.
    rejected: int | None = None
