"""Connections the emulator will not be held by: deadlines, a connection limit, quiet logs.

uvicorn's own HTTP protocol waits forever for a request's headers and body, and accepts
connections until the process runs out of file descriptors (then logs a traceback per
attempt). `protocol_class` wraps it:

- a connection that has not sent complete request headers within `header_timeout` seconds
  of its first byte (or of opening) is closed, and so is one whose body stops arriving for
  `body_timeout` seconds; time the app takes to read (flow control) does not count;
- beyond `max_connections` open connections, a new one is answered 503 and closed at once;
- each of these conditions is logged once, then at most once a minute with a count
  (`ConditionLog`); the event loop's errors (an EMFILE on accept) go through it too;
- every accepted connection sends small writes at once (TCP_NODELAY) and is counted
  (`on_accept`; `GET /_emulator/connections` shows the count).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

LOGGER = logging.getLogger("uvicorn.error")  # obeys the server's log level
REPEAT_EVERY = 60.0  # seconds between two lines about the same condition


@dataclass(frozen=True)
class Limits:
    max_connections: int
    header_timeout: float
    body_timeout: float


class ConditionLog:
    """One warning per condition, then one a minute at most, counting what it left out."""

    def __init__(
        self, logger: logging.Logger = LOGGER, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._logger = logger
        self._clock = clock
        self._seen: dict[str, tuple[float, int]] = {}  # condition -> (last logged, left out)

    def note(self, condition: str, message: str) -> None:
        now = self._clock()
        last = self._seen.get(condition)
        if last is not None and now - last[0] < REPEAT_EVERY:
            self._seen[condition] = (last[0], last[1] + 1)
            return
        if last is not None and last[1]:
            message += f" ({last[1]} more times since the last report)"
        self._logger.warning("emulator: %s", message)
        self._seen[condition] = (now, 0)

    def loop_errors(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        """An event loop exception handler: e.g. EMFILE on accept, once, not per attempt."""
        error = context.get("exception")
        detail = f": {error}" if error is not None else ""
        message = str(context.get("message", "event loop error"))
        self.note(f"loop:{message}", message + detail)


class _Wording(logging.Filter):
    """uvicorn's shutdown line, said the way the emulator says things (no task jargon)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith("Cancel %s running task(s)"):
            count = record.args[0] if isinstance(record.args, tuple) and record.args else "?"
            record.msg, record.args = "emulator: stopped %s open request(s)", (count,)
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def word_shutdown_logs() -> None:
    if not any(isinstance(existing, _Wording) for existing in LOGGER.filters):
        LOGGER.addFilter(_Wording())


_BUSY_BODY = json.dumps(
    {
        "error": {
            "code": "503",
            "message": "The emulator has too many open connections; retry shortly.",
        }
    }
).encode()
BUSY_REPLY = (
    b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n"
    b"connection: close\r\nretry-after: 1\r\ncontent-length: "
    + str(len(_BUSY_BODY)).encode()
    + b"\r\n\r\n"
    + _BUSY_BODY
)


def _no_delay(transport: asyncio.Transport) -> None:
    """Send small writes at once (TCP_NODELAY). asyncio does so only for sockets made with
    IPPROTO_TCP, not for those accepted on the runner's `socket.create_server` listener:
    without it a reply's headers and body in two writes waited for a delayed ACK, 40 ms
    for every request on a kept-alive connection."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def protocol_class(
    limits: Limits, log: ConditionLog, on_accept: Callable[[], None] = lambda: None
) -> type[H11Protocol]:
    """uvicorn's h11 protocol with the deadlines and the connection limit of `limits`;
    `on_accept` is called for every connection it serves."""

    class GuardedH11Protocol(H11Protocol):
        _refused = False
        _deadline: asyncio.TimerHandle | None = None
        _waiting_for: str | None = None  # "headers" or "body"

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            if len(self.connections) >= limits.max_connections:
                self._refused = True
                log.note(
                    "connections",
                    f"{limits.max_connections} connections are open, the limit: new ones "
                    "are answered 503 until some close",
                )
                transport.write(BUSY_REPLY)
                transport.close()
                return
            super().connection_made(transport)
            on_accept()
            _no_delay(transport)
            self._arm("headers", limits.header_timeout)

        def connection_lost(self, exc: Exception | None) -> None:
            if self._refused:
                return
            self._disarm()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            if self._refused:
                return
            super().data_received(data)
            self._follow()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._follow()

        def _follow(self) -> None:
            """Set the deadline that fits where the request now is."""
            state = self.conn.their_state
            if state is h11.IDLE and self.conn.our_state is h11.IDLE:
                if self._waiting_for != "headers" and self.conn.trailing_data[0]:
                    self._arm("headers", limits.header_timeout)  # the next request began
                elif self._waiting_for != "headers":
                    self._disarm()  # between requests: uvicorn's keep-alive timeout runs
            elif state is h11.SEND_BODY:
                self._arm("body", limits.body_timeout)  # idle time: re-armed by each chunk
            else:
                self._disarm()

        def _arm(self, waiting_for: str, seconds: float) -> None:
            self._disarm()
            self._waiting_for = waiting_for
            self._deadline = self.loop.call_later(seconds, self._expired, waiting_for, seconds)

        def _disarm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
            self._deadline = None
            self._waiting_for = None

        def _expired(self, waiting_for: str, seconds: float) -> None:
            self._deadline = None
            if waiting_for == "body" and self.flow.read_paused:
                self._arm("body", seconds)  # the app is reading slowly, not the client
                return
            self._waiting_for = None
            what = (
                "sent no complete request headers"
                if waiting_for == "headers"
                else "stopped sending its request body"
            )
            log.note(
                f"timeout:{waiting_for}",
                f"closed a connection that {what} within {seconds:g} s",
            )
            self.transport.close()

    return GuardedH11Protocol
