"""``batch run --live``: the lines sent directly, a few at a time, within the rate limits.

Workers (``jobs`` threads) take the lines in input order. A shared pacer spaces the
requests out once the service has said its limit (``x-ratelimit-limit-requests``, per
minute): one request every 60 / (limit * SAFETY) seconds, so no window of the service's
sees more than it allows; a 429 waits its ``retry-after`` and slows the pace by a quarter.

No line is generated twice, whatever stops the run (live_journal.py): each line is journaled
(fsynced) with a fresh Idempotency-Key before it is sent; it is sent as a stored background
response, whose create reply names it at once (status ``queued``): that id is journaled, and
the response polled (``GET /responses/{id}``) until it ends. A resumed run follows a
journaled response id instead of sending the line again, and sends a line that has only its
key with that same key, which the service (the emulator; Azure does not document it)
answers with the response the first request made.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING, Any

from azresp_cli.core.batch_results import Result, from_response
from azresp_cli.core.errors import (
    AzrespError,
    NetworkError,
    NotFoundError,
    RateLimitError,
    StreamBrokenError,
    classify,
)
from azresp_cli.core.live_journal import Journal, Sent
from azresp_cli.core.raw_api import create_response, retrieve_response

if TYPE_CHECKING:
    from openai import OpenAI

JOURNAL = "journal.jsonl"
SAFETY = 0.95  # pace at this share of the service's limit
SLOWDOWN = 1.1  # a 429 makes the gap between requests this much longer
RECOVERY = 0.99  # each answer shortens it again by 1%: after a 429 the pace stays lower a while
MAX_ATTEMPTS = 4  # for 5xx and network failures (429s are waited out, without a cap)
IDEMPOTENCY_HEADER = "Idempotency-Key"
ENDED = ("completed", "failed", "incomplete", "cancelled")
FIRST_POLL, LAST_POLL = 0.05, 2.0  # seconds between GETs of a response that is still running:
# the interval grows by half each poll, so a long answer costs few requests

__all__ = ["Journal", "Pacer", "answered", "run_live"]


class Pacer:
    """Spaces request starts evenly at the service's limit, which the first answer says.

    The first request goes alone (the others wait for its answer), so no burst is sent
    before the limit is known; without a limit header, requests are not spaced at all.

    The gap is the limit's (60 / (limit * SAFETY) s) times a penalty: each 429 makes it
    SLOWDOWN times longer, each success shortens it again by RECOVERY, down to the limit's.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._base = 0.0  # seconds between request starts at the limit; 0 until it is known
        self._penalty = 1.0
        self._next = 0.0
        self._paused_until = 0.0
        self.limit: int | None = None
        self._probing = False
        self._known = threading.Event()

    def wait(self, stop: threading.Event) -> None:
        with self._lock:
            probe = not self._probing
            self._probing = True
        if not probe:
            while not self._known.wait(0.05):
                if stop.is_set():
                    return
        with self._lock:
            now = self._clock()
            slot = max(now, self._next, self._paused_until)
            self._next = slot + self._base * self._penalty
        if slot > now:
            stop.wait(slot - now)

    def observe(self, headers: Mapping[str, str]) -> None:
        raw = headers.get("x-ratelimit-limit-requests", "")
        with self._lock:
            self._penalty = max(1.0, self._penalty * RECOVERY)
            if raw.isdigit() and int(raw) > 0 and self.limit != int(raw):
                self.limit = int(raw)
                self._base = 60.0 / (int(raw) * SAFETY)
        self._known.set()

    def refused(self, retry_after: float | None) -> None:
        with self._lock:
            pause = retry_after if retry_after is not None else 1.0
            self._paused_until = max(self._paused_until, self._clock() + pause)
            self._penalty *= SLOWDOWN
            if not self._base:  # a 429 before any limit was said: go one at a time
                self._base = 0.05
        self._known.set()

    def failed(self) -> None:
        """The probe failed otherwise: let the others go (they meet the same failure)."""
        self._known.set()


def run_live(
    client: OpenAI,
    lines: Iterable[Mapping[str, Any]],
    journal: Journal,
    jobs: int,
    *,
    sent: Mapping[str, Sent] | None = None,
    done: Callable[[Result], None] = lambda result: None,
) -> None:
    """Send each batch line's body (or follow what ``sent`` says it became); journal each
    step. Returns when all are answered; KeyboardInterrupt stops taking new lines."""
    earlier = dict(sent or {})
    quiet = client.with_options(max_retries=0)
    pacer = Pacer()
    stop = threading.Event()
    pending = list(lines)
    position = 0
    taken = threading.Lock()

    def next_line() -> Mapping[str, Any] | None:
        nonlocal position
        with taken:
            if stop.is_set() or position >= len(pending):
                return None
            position += 1
            return pending[position - 1]

    def worker() -> None:
        while (line := next_line()) is not None:
            custom_id = str(line["custom_id"])
            result = _answer(quiet, line, pacer, stop, journal, earlier.get(custom_id))
            if result is None:  # stopped while waiting
                return
            journal.append(result)
            done(result)

    executor = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="azresp-live")
    futures = [executor.submit(worker) for _ in range(jobs)]
    try:
        finished, _ = wait(futures, return_when=FIRST_EXCEPTION)
        for future in finished:
            future.result()
    except BaseException:
        stop.set()
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    executor.shutdown()


class _Gone(Exception):
    """The service no longer has the response the journal names."""


def _answer(
    client: OpenAI,
    line: Mapping[str, Any],
    pacer: Pacer,
    stop: threading.Event,
    journal: Journal,
    sent: Sent | None,
) -> Result | None:
    """The line's result (None: stopped): followed if it was sent, else sent (once)."""
    custom_id = str(line["custom_id"])
    if sent is not None and sent.response_id:
        try:
            return _follow(client, custom_id, sent.response_id, stop)
        except _Gone:  # deleted or expired on the service: the line is sent anew
            sent = None
    if sent is None:
        sent = Sent(uuid.uuid4().hex)
        journal.intent(custom_id, sent.key)
    return _send(client, line, sent.key, pacer, stop, journal)


def _send(
    client: OpenAI,
    line: Mapping[str, Any],
    key: str,
    pacer: Pacer,
    stop: threading.Event,
    journal: Journal,
) -> Result | None:
    """Create the line's background response; journal its id from the reply; follow it."""
    custom_id = str(line["custom_id"])
    body = {**line["body"], "stream": False, "background": True, "store": True}
    failures = 0
    while not stop.is_set():
        pacer.wait(stop)
        if stop.is_set():
            return None
        try:
            reply = create_response(client, body, headers={IDEMPOTENCY_HEADER: key})
            pacer.observe(reply.headers)
            made = reply.body
            if not made.get("id"):
                raise StreamBrokenError("the service did not name the response it made")
        except Exception as exc:  # noqa: BLE001  # every failure becomes the line's result
            error = classify(exc)
            if isinstance(error, RateLimitError):
                pacer.refused(error.retry_after)
                continue
            pacer.failed()
            failures += 1
            if _worth_retrying(error) and failures < MAX_ATTEMPTS:
                stop.wait(min(8.0, 0.5 * 2**failures))
                continue  # with the same key: a request that did arrive is not made twice
            return _failure(custom_id, error)
        response_id = str(made["id"])
        journal.sent(custom_id, key, response_id)
        if made.get("status") in ENDED:
            return from_response(custom_id, made)
        try:
            return _follow(client, custom_id, response_id, stop)
        except _Gone:
            return Result(custom_id, "failed", error="the response was deleted before it ended")
    return None


def _follow(
    client: OpenAI, custom_id: str, response_id: str, stop: threading.Event
) -> Result | None:
    """Poll ``GET /responses/{id}`` until it ends (None: stopped); _Gone if it is not there.

    The replies are read as plain JSON (core/raw_api.py): thousands of lines at a time, the
    SDK's typed objects would cost more CPU than the rest of the run."""
    delay, failures = FIRST_POLL, 0
    while not stop.is_set():
        try:
            response = retrieve_response(client, response_id)
        except Exception as exc:
            error = classify(exc)
            if isinstance(error, NotFoundError):
                raise _Gone from exc
            failures += 1
            if isinstance(error, RateLimitError) or (
                _worth_retrying(error) and failures < MAX_ATTEMPTS
            ):
                stop.wait(error.retry_after or delay)
                continue
            return _failure(custom_id, error)
        if response.get("status") in ENDED:
            return from_response(custom_id, response)
        stop.wait(delay)
        delay = min(LAST_POLL, delay * 1.5)
    return None


def _failure(custom_id: str, error: AzrespError) -> Result:
    return Result(custom_id, "failed", error_code=str(error.status or ""), error=error.message)


def _worth_retrying(error: AzrespError) -> bool:
    return isinstance(error, NetworkError) or (error.status is not None and error.status >= 500)


def answered(results: Mapping[str, Result]) -> set[str]:
    """The custom_ids a resumed run need not send again (a failure is sent again)."""
    return {custom_id for custom_id, result in results.items() if result.status != "failed"}
