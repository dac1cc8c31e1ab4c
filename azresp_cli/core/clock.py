"""The clock azresp waits by: the system's, unless a caller swaps in another for a while.

Retries (core/retry.py) sleep and read the wall clock through ``current()``, so a test can run
a real request through real failures and check every wait without waiting:
``with using(fake): ...``. The swap holds for the current context (thread or task) only.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Clock:
    sleep: Callable[[float], None] = time.sleep
    wall: Callable[[], float] = time.time  # seconds since the epoch, for "retry at 14:03:22"


SYSTEM = Clock()
_current: ContextVar[Clock] = ContextVar("azresp_clock", default=SYSTEM)


def current() -> Clock:
    return _current.get()


@contextmanager
def using(clock: Clock) -> Iterator[Clock]:
    """Wait by ``clock`` inside the ``with`` block."""
    token = _current.set(clock)
    try:
        yield clock
    finally:
        _current.reset(token)
