"""One response's stream events, numbered, kept for replay, and followed live."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class LoggedEvent:
    sequence_number: int
    type: str
    payload: dict[str, Any]  # the whole event, sequence_number included
    data: str  # payload as one line of JSON, encoded once for every reader

    def frame(self) -> bytes:
        return f"event: {self.type}\ndata: {self.data}\n\n".encode()


class EventLog:
    """Append-only; `sequence_number` is the position, so numbers start at 0 with no gaps."""

    def __init__(self) -> None:
        self.events: list[LoggedEvent] = []
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
        self.events.append(logged)
        self._wake()
        return logged

    def close(self) -> None:
        self.is_closed = True
        self._wake()

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
