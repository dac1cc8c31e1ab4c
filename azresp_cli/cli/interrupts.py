"""Ctrl-C noted as it happens, so it is reported as an interruption whatever it became.

Python turns SIGINT into KeyboardInterrupt wherever the main thread is. Inside some libraries
that is then turned into an error of their own: pydantic-core, interrupted while it builds a
validator (the SDK builds them as new event types arrive), raises ``SchemaError: Error
building "definitions" validator:``. Without a note of the signal, Ctrl-C during a streamed
answer sometimes ended with exit 1 and "unexpected SchemaError (a bug in azresp)".
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Callable, Iterator
from types import FrameType

# An error this soon after Ctrl-C is what the interrupt became. The chat session goes on after
# a Ctrl-C that stopped one answer; a failure of its own much later is reported as itself.
RECENT = 2.0


@contextlib.contextmanager
def noting_interrupts() -> Iterator[Callable[[], bool]]:
    """While inside: SIGINT raises KeyboardInterrupt as before, and the returned function
    says whether one arrived in the last RECENT seconds. Outside the main thread, or where
    SIGINT is ignored or handled by someone else (``nohup``, a host program), nothing changes
    and it says False."""
    last: float | None = None

    def handler(signum: int, frame: FrameType | None) -> None:
        nonlocal last
        last = time.monotonic()
        raise KeyboardInterrupt

    def recently() -> bool:
        return last is not None and time.monotonic() - last < RECENT

    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return
    previous = signal.getsignal(signal.SIGINT)
    if previous is not signal.default_int_handler:
        yield lambda: False
        return
    signal.signal(signal.SIGINT, handler)
    try:
        yield recently
    finally:
        signal.signal(signal.SIGINT, previous)
