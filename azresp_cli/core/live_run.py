"""``batch run --live``: the lines sent directly, a few at a time, within the rate limits.

Workers (``jobs`` threads) take the lines in input order. A shared pacer spaces the
requests out once the service has said its limit (``x-ratelimit-limit-requests``, per
minute): one request every 60 / (limit * SAFETY) seconds, so no window of the service's
sees more than it allows; a 429 waits its ``retry-after`` and slows the pace by a quarter.
Every answered line is appended to the run's journal and fsynced before the next, so a run
stopped by Ctrl-C or killed goes on (``--resume``) with the lines not yet answered; only the
requests in flight at that moment are sent again, as their answers never arrived.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import asdict
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from azresp_cli.core.batch_results import Result, from_response
from azresp_cli.core.errors import AzrespError, NetworkError, RateLimitError, classify

if TYPE_CHECKING:
    from openai import OpenAI

JOURNAL = "journal.jsonl"
SAFETY = 0.95  # pace at this share of the service's limit
SLOWDOWN = 1.1  # a 429 makes the gap between requests this much longer
RECOVERY = 0.9  # and each answer shortens it again, back to the limit's
MAX_ATTEMPTS = 4  # for 5xx and network failures (429s are waited out, without a cap)


class Journal:
    """Append-only record of answered lines; each append is flushed and fsynced."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._file: IO[str] | None = None

    def read(self) -> dict[str, Result]:
        found: dict[str, Result] = {}
        if not self._path.is_file():
            return found
        with self._path.open(encoding="utf-8") as file:
            for line in file:
                try:
                    item = json.loads(line)
                except ValueError:
                    continue  # a line cut short by a crash: that line is sent again
                result = Result(**item)
                found[result.custom_id] = result
        return found

    def append(self, result: Result) -> None:
        line = json.dumps(asdict(result), ensure_ascii=False) + "\n"
        with self._lock:
            if self._file is None:
                self._file = self._path.open("a", encoding="utf-8")
            self._file.write(line)
            self._file.flush()
            os.fsync(self._file.fileno())

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None


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
    done: Callable[[Result], None] = lambda result: None,
) -> None:
    """Send each batch line's body; journal each result. Returns when all are answered;
    KeyboardInterrupt stops taking new lines (those in flight finish and are journaled)."""
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
            result = _send(quiet, line, pacer, stop)
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


def _send(
    client: OpenAI, line: Mapping[str, Any], pacer: Pacer, stop: threading.Event
) -> Result | None:
    custom_id = str(line["custom_id"])
    failures = 0
    while not stop.is_set():
        pacer.wait(stop)
        if stop.is_set():
            return None
        try:
            raw = client.responses.with_raw_response.create(**line["body"])
        except Exception as exc:  # noqa: BLE001  # every failure becomes the line's result
            error = classify(exc)
            if isinstance(error, RateLimitError):
                pacer.refused(error.retry_after)
                continue
            pacer.failed()
            failures += 1
            if _worth_retrying(error) and failures < MAX_ATTEMPTS:
                stop.wait(min(8.0, 0.5 * 2**failures))
                continue
            return Result(
                custom_id, "failed", error_code=str(error.status or ""), error=error.message
            )
        pacer.observe(raw.headers)
        return from_response(custom_id, raw.parse().to_dict())
    return None


def _worth_retrying(error: AzrespError) -> bool:
    return isinstance(error, NetworkError) or (error.status is not None and error.status >= 500)


def answered(results: Mapping[str, Result]) -> set[str]:
    """The custom_ids a resumed run need not send again (a failure is sent again)."""
    return {custom_id for custom_id, result in results.items() if result.status != "failed"}
