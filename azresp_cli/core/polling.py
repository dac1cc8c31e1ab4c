"""Polling a service object until it ends: one loop for ``bg poll --wait`` and ``batch status
--watch``. The caller turns Ctrl-C (KeyboardInterrupt, raised from the sleep or the fetch) into
its own "detached" message; the object goes on running on the service."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class PollPolicy:
    """The first interval, how it grows per poll (``backoff``) and up to what."""

    interval: float
    max_interval: float
    backoff: float = 1.0
    sleep: Callable[[float], None] = time.sleep

    def intervals(self) -> Iterator[float]:
        interval = self.interval
        while True:
            yield interval
            interval = min(interval * self.backoff, max(self.max_interval, self.interval))


def poll_until(
    fetch: Callable[[], T], ended: Callable[[T], bool], policy: PollPolicy
) -> Iterator[T]:
    """Fetch, yield, sleep, until ``ended``; every value seen is yielded, the ended one last."""
    intervals = policy.intervals()
    while True:
        value = fetch()
        yield value
        if ended(value):
            return
        policy.sleep(next(intervals))
