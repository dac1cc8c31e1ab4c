"""Responses kept in memory: their state, input items, event log and chains."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from azresp_cli.emulator import objects
from azresp_cli.emulator.eventlog import EventLog, LoggedEvent
from azresp_cli.emulator.events import Plan
from azresp_cli.emulator.objects import Json, ResponseShell

RUNNING = ("queued", "in_progress")


@dataclass
class ResponseRecord:
    """One response over its life; `snapshot` is what GET returns right now."""

    shell: ResponseShell
    previous_response_id: str | None
    input_items: list[Json]  # normalised and resolved: what input_items lists
    snapshot: Json
    is_background: bool
    is_streamed: bool
    is_resumable: bool  # background and streamed, and no no_resume fault
    input_tokens: int = 0  # billed even when the response is stopped
    log: EventLog = field(default_factory=EventLog)
    task: asyncio.Task[None] | None = None
    # The script's plan, kept so that another process can finish a job this one left running.
    plan: Plan | None = None
    cut_every: int | None = None  # every stream connection of this response drops after K events
    # Set while the emulator shuts down with a persistence path: the job is left running on
    # disk for the next process rather than cancelled with its task.
    suspended: bool = False
    # Told of every change by the store that keeps the record on disk (kept_store.py).
    on_change: Callable[[ResponseRecord], None] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def response_id(self) -> str:
        return self.shell.response_id

    @property
    def status(self) -> str:
        return str(self.snapshot["status"])

    @property
    def output(self) -> list[Json]:
        return list(self.snapshot["output"])

    def apply(self, event: LoggedEvent) -> None:
        """Follow the stream: lifecycle events carry the whole Response, items add to it."""
        if "response" in event.payload:
            self.snapshot = event.payload["response"]
        elif event.type == "response.output_item.done":
            self.snapshot = {
                **self.snapshot,
                "output": [*self.snapshot["output"], event.payload["item"]],
            }
        elif event.type == "error":
            self.snapshot = {**self.snapshot, "status": "failed", "error": _error_of(event.payload)}

    def cancel(self) -> None:
        """End a response that did not finish by itself: a cancel, a dropped stream, a reset."""
        if self.task is not None and not self.task.done():
            self.task.cancel()
        if self.status not in RUNNING:
            return
        # As Microsoft's reference server does: a stopped response keeps no partial output.
        usage = objects.usage(self.input_tokens, 0, 0, 0)
        self.snapshot = self.shell.snapshot("cancelled", usage=usage)
        if not self.log.is_closed:
            if self.is_background:  # its streams get a terminal event, which they wait for
                self.log.append({"type": "response.failed", "response": self.snapshot})
            self.log.close()
        self.changed()

    def changed(self) -> None:
        """An event was logged, or the status changed: let the keeping store write it."""
        if self.on_change is not None:
            self.on_change(self)


def _error_of(payload: dict[str, Any]) -> Json:
    return {"code": payload.get("code") or "server_error", "message": payload.get("message", "")}


MAX_IN_MEMORY = 2_000  # responses kept in memory; the oldest finished ones go first


class ResponseStore:
    """The stored responses of an emulator without a state directory, in memory: the newest
    `limit` finished ones, and every running one."""

    def __init__(self, limit: int = MAX_IN_MEMORY) -> None:
        self._records: dict[str, ResponseRecord] = {}
        self.limit = limit

    def add(self, record: ResponseRecord) -> None:
        self._records[record.response_id] = record
        self._evict()

    def _evict(self) -> None:
        """Forget the oldest finished responses beyond `limit`."""
        excess = len(self._records) - self.limit
        if excess <= 0:
            return
        for response_id, record in list(self._records.items()):
            if excess <= 0:
                break
            if record.status not in RUNNING:
                del self._records[response_id]
                excess -= 1

    def touch(self, record: ResponseRecord) -> None:
        """A record was changed from outside its run (a cancel): kept stores write it."""

    def live(self) -> list[ResponseRecord]:
        """The responses this emulator is running or has stored."""
        return list(self._records.values())

    def get(self, response_id: str) -> ResponseRecord | None:
        return self._records.get(response_id)

    def remove(self, response_id: str) -> ResponseRecord | None:
        return self._records.pop(response_id, None)

    def clear(self) -> None:
        for record in self._records.values():
            record.cancel()
        self._records.clear()

    def follow(
        self, record: ResponseRecord, starting_after: int = -1
    ) -> AsyncGenerator[LoggedEvent, None]:
        """A replay of `record`'s stream: the events logged, then live ones until it ends."""
        return record.log.follow(starting_after)

    def chain(self, previous_response_id: str) -> list[ResponseRecord]:
        """The stored responses from the root of the chain to `previous_response_id`.

        A link deleted on the way ends the walk: what it held is gone from the context.
        """
        records = []
        record = self.get(previous_response_id)
        while record is not None:
            records.append(record)
            record = self.get(record.previous_response_id or "")
        return records[::-1]

    def find_item(self, item_id: str) -> Json | None:
        return find_in(self._records.values(), item_id)


def find_in(records: Iterable[ResponseRecord], item_id: str) -> Json | None:
    for record in records:
        for item in [*record.input_items, *record.output]:
            if item.get("id") == item_id:
                return item
    return None
