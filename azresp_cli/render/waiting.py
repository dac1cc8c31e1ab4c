"""Something on the terminal while the service thinks: a spinner after 300 ms without output.

A reasoning model can take many seconds before its first token; a silent terminal looks hung
(and in the chat session the toolbar is gone too). ``WaitingWriter`` wraps a turn writer: from
300 ms after the turn began until its first visible event, stderr shows ``⠋ waiting for the
answer…``, redrawn in place with a carriage return and wiped the same way (no escape sequences,
so NO_COLOR and TERM=dumb terminals get it too). Only on a terminal; never in a pipe or a file.
"""

from __future__ import annotations

import os
import threading
from typing import TextIO

from azresp_cli.core.events import ResponseStarted, TurnEvent
from azresp_cli.render.turn_state import Outcome
from azresp_cli.render.writers import TurnWriter

DELAY = 0.3  # seconds of silence before the spinner shows
INTERVAL = 0.1
FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
TEXT = "waiting for the answer…"


def is_terminal(stream: TextIO) -> bool:
    """A real terminal (a redraw needs one), not a stream that only says it is one."""
    try:
        return os.isatty(stream.fileno())
    except (AttributeError, OSError, ValueError):
        return False


class Spinner:
    def __init__(self, stream: TextIO, *, delay: float = DELAY, text: str = TEXT) -> None:
        self._stream = stream  # the raw terminal: "\r" must move the cursor, not be shown
        self._delay = delay
        self._text = text
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._shown = False
        self._thread = threading.Thread(target=self._run, name="azresp-waiting", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        if self._stop.wait(self._delay):
            return
        frame = 0
        while True:
            with self._lock:
                if self._stop.is_set():
                    return
                try:
                    self._stream.write(f"\r{FRAMES[frame % len(FRAMES)]} {self._text}")
                    self._stream.flush()
                except (OSError, ValueError):
                    return
                self._shown = True
            frame += 1
            if self._stop.wait(INTERVAL):
                return

    def stop(self) -> None:
        """Wipe the line if the spinner showed; at once, and only the first time."""
        if self._stop.is_set():
            return
        self._stop.set()
        with self._lock:
            if self._shown:
                self._shown = False
                try:
                    self._stream.write("\r" + " " * (len(self._text) + 2) + "\r")
                    self._stream.flush()
                except (OSError, ValueError):
                    pass


class WaitingWriter:
    """A TurnWriter that shows a ``Spinner`` until the first event there is something to show."""

    def __init__(self, inner: TurnWriter, stream: TextIO) -> None:
        self._inner = inner
        self._spinner = Spinner(stream)

    def handle(self, event: TurnEvent) -> None:
        if not isinstance(event, ResponseStarted):  # created: the model has not said a thing
            self._spinner.stop()
        self._inner.handle(event)

    def settle(self) -> None:
        self._spinner.stop()
        self._inner.settle()

    def finish(self, outcome: Outcome) -> None:
        self._spinner.stop()
        self._inner.finish(outcome)
