"""Sending a request again when it failed before the service started on it.

The openai SDK retries 408/409/429/5xx and connection failures itself, but it sleeps silently,
honours ``retry-after`` only up to two minutes and then gives up without saying when to come
back. For ``POST /responses`` azresp turns the SDK's retries off (``max_retries=0`` on that call)
and retries here instead, with the same limit (``AZRESP_MAX_RETRIES`` / ``max_retries``):

- each wait is a ``RetryScheduled`` event, so a terminal can count it down;
- a wait longer than ``MAX_RETRY_WAIT`` is not slept through: the error goes out at once (exit 5
  for a 429) and its hint says at what time to try again;
- only a failure *before* the service answered is retried. Once a create returned, its stream
  has begun and the request is never sent again: a dropped stream is the caller's business
  (exit 7, or a resume for a background response). A timeout is not retried either: the
  service may have received the request and be working on it.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Generator
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from azresp_cli.core import clock
from azresp_cli.core.errors import (
    AzrespError,
    NetworkError,
    RequestTimedOut,
    StreamBrokenError,
    classify,
)
from azresp_cli.core.events import RetryScheduled

T = TypeVar("T")

MAX_RETRY_WAIT = 60.0  # seconds; a longer retry-after is reported, not slept through
INITIAL_DELAY = 0.5  # the SDK's backoff when the service gives no retry-after
MAX_DELAY = 8.0
RETRY_STATUSES = frozenset({408, 409, 429})  # and every 5xx

Sleep = Callable[[float], None]


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry. ``sleep`` and ``wall_clock`` default to the current
    clock (core/clock.py) at the moment of the wait, so a test can swap it without reaching
    the code that builds the policy."""

    max_retries: int
    max_wait: float = MAX_RETRY_WAIT
    sleep: Sleep | None = None
    wall_clock: Callable[[], float] | None = None  # for "retry at HH:MM:SS"

    def wait(self, seconds: float) -> None:
        (self.sleep or clock.current().sleep)(seconds)

    def now(self) -> float:
        return (self.wall_clock or clock.current().wall)()


def with_retries(call: Callable[[], T], policy: RetryPolicy) -> Generator[RetryScheduled, None, T]:
    """Run ``call`` until it returns; yields a ``RetryScheduled`` before each wait.

    Use as ``result = yield from with_retries(...)`` inside a generator of events, or through
    ``call_with_retries`` elsewhere. Raises the classified ``AzrespError`` when the failure is
    not worth retrying, the retries are used up, or the service asks for too long a wait.
    """
    retries = 0
    while True:
        try:
            return call()
        except Exception as exc:
            error = classify(exc)
            if not is_retryable(error):
                raise error from exc
            delay = wait_for(error, retries)
            if delay > policy.max_wait:
                which = getattr(error, "exhausted", None)  # the limit a 429 used up, if known
                when = retry_at_hint(delay, policy.now())
                error.hint = f"{which}; {when}" if which else when
                raise error from exc
            if retries >= policy.max_retries:
                raise error from exc
            retries += 1
        yield RetryScheduled(delay, retries, policy.max_retries, reason(error), error.request_id)
        policy.wait(delay)


def call_with_retries(
    call: Callable[[], T], policy: RetryPolicy, on_retry: Callable[[RetryScheduled], None]
) -> T:
    """``with_retries`` for code that is not a generator: ``on_retry`` sees each wait first."""
    steps = with_retries(call, policy)
    while True:
        try:
            event = next(steps)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        on_retry(event)


def is_retryable(error: AzrespError) -> bool:
    """A status the service says may pass, or a connection that never reached it."""
    if error.status is not None:
        return error.status in RETRY_STATUSES or error.status >= 500
    return isinstance(error, NetworkError) and not isinstance(
        error, StreamBrokenError | RequestTimedOut
    )


def wait_for(error: AzrespError, retries_so_far: int) -> float:
    """The service's retry-after when it gave one, else exponential backoff with jitter."""
    if error.retry_after is not None:
        return error.retry_after
    backoff = min(INITIAL_DELAY * 2**retries_so_far, MAX_DELAY)
    return float(backoff * (1 - 0.25 * random.random()))  # noqa: S311 - jitter, not a secret


def retry_at_hint(delay: float, now: float) -> str:
    """``retry at 14:03:22 (the service asks to wait 3600 s)``, in local time."""
    when = datetime.fromtimestamp(now + delay).strftime("%H:%M:%S")
    if delay >= 86400:
        when = datetime.fromtimestamp(now + delay).strftime("%Y-%m-%d %H:%M:%S")
    return f"retry at {when} (the service asks to wait {delay:.0f} s)"


def reason(error: AzrespError) -> str:
    if error.status == 429:
        return "HTTP 429 (rate limited)"
    if error.status is not None:
        return f"HTTP {error.status}"
    return "connection failed"
