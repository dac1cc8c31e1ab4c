"""Responses kept in memory: their state, input items, event log and chains."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Protocol

from azresp_cli.emulator import objects
from azresp_cli.emulator.eventlog import EventLog, LoggedEvent
from azresp_cli.emulator.events import Plan
from azresp_cli.emulator.objects import Json, ResponseShell

RUNNING = ("queued", "in_progress")


class Keeper(Protocol):
    """Where a store writes its responses through (persistence.py); None keeps them in memory."""

    def save(self, record: ResponseRecord) -> None: ...

    def remove(self, response_id: str) -> None: ...


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


def _error_of(payload: dict[str, Any]) -> Json:
    return {"code": payload.get("code") or "server_error", "message": payload.get("message", "")}


MAX_IN_MEMORY = 2_000  # responses kept in memory; the oldest finished ones go first


class ResponseStore:
    def __init__(self, keeper: Keeper | None = None, limit: int = MAX_IN_MEMORY) -> None:
        self._records: dict[str, ResponseRecord] = {}
        self.keeper = keeper
        self.limit = limit

    def add(self, record: ResponseRecord) -> None:
        self._records[record.response_id] = record
        self.touch(record)
        self._evict()

    def _evict(self) -> None:
        """Forget the oldest finished responses beyond `limit` (a keeper's files stay)."""
        excess = len(self._records) - self.limit
        if excess <= 0:
            return
        for response_id, record in list(self._records.items()):
            if excess <= 0:
                break
            if record.status not in RUNNING:
                del self._records[response_id]
                excess -= 1

    def load(self, record: ResponseRecord) -> None:
        """Take a record read back from disk (nothing is written)."""
        self._records[record.response_id] = record

    def touch(self, record: ResponseRecord) -> None:
        """Write a changed record through to the keeper, if there is one."""
        if self.keeper is not None:
            self.keeper.save(record)

    def records(self) -> list[ResponseRecord]:
        return list(self._records.values())

    def get(self, response_id: str) -> ResponseRecord | None:
        return self._records.get(response_id)

    def remove(self, response_id: str) -> ResponseRecord | None:
        if self.keeper is not None:
            self.keeper.remove(response_id)
        return self._records.pop(response_id, None)

    def clear(self) -> None:
        for record in self._records.values():
            record.cancel()
            if self.keeper is not None:
                self.keeper.remove(record.response_id)
        self._records.clear()

    def chain(self, previous_response_id: str) -> list[ResponseRecord]:
        """The stored responses from the root of the chain to `previous_response_id`.

        A link deleted on the way ends the walk: what it held is gone from the context.
        """
        records = []
        record = self._records.get(previous_response_id)
        while record is not None:
            records.append(record)
            record = self._records.get(record.previous_response_id or "")
        return records[::-1]

    def find_item(self, item_id: str) -> Json | None:
        for record in self._records.values():
            for item in [*record.input_items, *record.output]:
                if item.get("id") == item_id:
                    return item
        return None
