"""One response's stream events, numbered, kept for replay, and followed live."""

from __future__ import annotations

import array
import asyncio
import json
from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass
from typing import Any, overload


@dataclass(frozen=True)
class LoggedEvent:
    sequence_number: int
    type: str
    payload: dict[str, Any]  # the whole event, sequence_number included; {} when read from a log
    data: str  # payload as one line of JSON, encoded once for every reader

    def frame(self) -> bytes:
        return f"event: {self.type}\ndata: {self.data}\n\n".encode()


class KeptEvents(Sequence[LoggedEvent]):
    """A log's events, kept as their SSE frames in one bytearray and read back as LoggedEvents.

    A bytearray and an array of offsets are not containers the garbage collector traverses:
    kept as objects, the events of every stored response were scanned by each full collection,
    a pause that grew with the store and held up every open stream (bench/load.py).
    """

    def __init__(self) -> None:
        self._frames = bytearray()
        self._ends = array.array("Q")
        self._released = 0  # events forgotten by release()

    def append(self, event: LoggedEvent) -> None:
        self._frames += event.frame()
        self._ends.append(len(self._frames))

    def __len__(self) -> int:
        return len(self._ends) + self._released

    def release(self) -> None:
        """Drop every frame kept; the length stays, reading one is an IndexError."""
        self._released += len(self._ends)
        self._frames = bytearray()
        self._ends = array.array("Q")

    @overload
    def __getitem__(self, index: int) -> LoggedEvent: ...

    @overload
    def __getitem__(self, index: slice) -> list[LoggedEvent]: ...

    def __getitem__(self, index: int | slice) -> LoggedEvent | list[LoggedEvent]:
        if isinstance(index, slice):
            return [self._event(number) for number in range(len(self))[index]]
        return self._event(range(len(self))[index])  # negative indexes, IndexError

    def _event(self, number: int) -> LoggedEvent:
        kept = number - self._released
        if kept < 0:
            raise IndexError("event released")
        start = self._ends[kept - 1] if kept else 0
        frame = self._frames[start : self._ends[kept]].decode()
        head, data = frame.removesuffix("\n\n").split("\ndata: ", 1)
        return LoggedEvent(number, head.removeprefix("event: "), {}, data)


class EventLog:
    """Append-only; `sequence_number` is the position, so numbers start at 0 with no gaps."""

    def __init__(self) -> None:
        self.events = KeptEvents()
        self.is_closed = False
        self._changed = asyncio.Event()

    def append(self, event: dict[str, Any]) -> LoggedEvent:
        if self.is_closed:
            raise RuntimeError("event appended to a closed log")  # a bug in the emulator
        number = len(self.events)
        payload = {"type": event["type"], "sequence_number": number, **event}
        logged = LoggedEvent(
            number, event["type"], payload, json.dumps(payload, separators=(",", ":"))
        )
        self.events.append(logged)  # the JSON only: replays need nothing else
        self._wake()
        return logged

    def close(self) -> None:
        self.is_closed = True
        self._wake()

    def release(self) -> None:
        """Forget the events of a closed log nobody will replay (a stream that cannot be
        resumed): they are most of a finished response's memory. The count stays."""
        if not self.is_closed:
            raise RuntimeError("an open log released")  # a bug in the emulator
        self.events.release()

    @property
    def has_terminal_event(self) -> bool:
        return bool(self.events) and self.events[-1].type in TERMINAL_EVENTS

    async def follow(self, starting_after: int = -1) -> AsyncGenerator[LoggedEvent, None]:
        """Events numbered above `starting_after`: those kept, then live ones until closed."""
        position = max(starting_after + 1, 0)
        while True:
            changed = self._changed  # taken before looking, so no append can slip past
            while position < len(self.events):
                yield self.events[position]
                position += 1
            if self.is_closed:
                return
            await changed.wait()

    def _wake(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()


TERMINAL_EVENTS = ("response.completed", "response.incomplete", "response.failed")
