"""The emulator's batches: in memory, or in the state directory's database (statedb.py).

A batch is run by the emulator instance that created it (batches.py); with a state directory
each change is written at once, so every process using the directory lists and retrieves it,
a cancel from any of them reaches the one that runs it (a flag it reads between lines), and
the batches of an emulator that is gone are taken over and run again by the next one.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any

from azresp_cli.emulator import owners
from azresp_cli.emulator.objects import Json
from azresp_cli.emulator.statedb import StateDb

COMPLETION_WINDOW_SECONDS = 24 * 3600
RUNNING = ("validating", "in_progress", "finalizing", "cancelling")
_KEPT = (
    "batch_id",
    "input_file_id",
    "endpoint",
    "completion_window",
    "created_at",
    "metadata",
    "status",
    "times",
    "total",
    "completed",
    "failed",
    "errors",
    "output_file_id",
    "error_file_id",
    "model",
)


@dataclass
class Batch:
    batch_id: str
    input_file_id: str
    endpoint: str
    completion_window: str
    created_at: int
    metadata: dict[str, str] | None = None
    status: str = "validating"
    times: dict[str, int] = field(default_factory=dict)  # in_progress_at, completed_at ...
    total: int = 0
    completed: int = 0
    failed: int = 0
    errors: list[Json] = field(default_factory=list)
    output_file_id: str | None = None
    error_file_id: str | None = None
    model: str | None = None
    cancel_requested: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None

    def to_json(self) -> Json:
        body: Json = {
            "id": self.batch_id,
            "object": "batch",
            "endpoint": self.endpoint,
            "input_file_id": self.input_file_id,
            "completion_window": self.completion_window,
            "status": self.status,
            "created_at": self.created_at,
            "expires_at": self.created_at + COMPLETION_WINDOW_SECONDS,
            **self.times,
            "request_counts": {
                "total": self.total,
                "completed": self.completed,
                "failed": self.failed,
            },
        }
        if self.model:
            body["model"] = self.model
        if self.errors:
            body["errors"] = {"object": "list", "data": self.errors}
        if self.output_file_id:
            body["output_file_id"] = self.output_file_id
        if self.error_file_id:
            body["error_file_id"] = self.error_file_id
        if self.metadata is not None:
            body["metadata"] = self.metadata
        return body

    def enter(self, status: str) -> None:
        self.status = status
        self.times[f"{status}_at"] = int(time.time())

    def restart(self) -> None:
        """Run again from the start (taken over from an emulator that is gone)."""
        self.status, self.times = "validating", {}
        self.total = self.completed = self.failed = 0
        self.errors, self.output_file_id, self.error_file_id = [], None, None


class BatchStore:
    """The batches of an emulator without a state directory: in memory while it runs."""

    def __init__(self) -> None:
        self._batches: dict[str, Batch] = {}

    def add(self, batch: Batch) -> None:
        self._batches[batch.batch_id] = batch

    def get(self, batch_id: str) -> Batch | None:
        return self._batches.get(batch_id)

    def all(self) -> list[Batch]:
        return list(self._batches.values())

    def save(self, batch: Batch) -> None:
        """Write what changed (and learn of a cancel asked elsewhere)."""

    def check_cancel(self, batch: Batch) -> bool:
        return batch.cancel_requested.is_set()

    def request_cancel(self, batch: Batch) -> None:
        batch.enter("cancelling")
        batch.cancel_requested.set()
        self.save(batch)

    def orphans(self) -> list[Batch]:
        """Running batches whose emulator is gone, now this one's to run."""
        return []

    def clear(self) -> None:
        for batch in self._batches.values():
            if batch.task is not None and not batch.task.done():
                batch.task.cancel()
        self._batches.clear()


class KeptBatchStore(BatchStore):
    """The batches of a state directory, shared by the processes using it."""

    def __init__(self, db: StateDb, owner: str) -> None:
        super().__init__()  # the batches this instance runs
        self.db, self.owner = db, owner

    def add(self, batch: Batch) -> None:
        super().add(batch)
        self.db.execute(
            "INSERT INTO batches (id, created_at, owner, cancel, body) VALUES (?, ?, ?, 0, ?)",
            (batch.batch_id, batch.created_at, self.owner, _encode(batch)),
        )

    def get(self, batch_id: str) -> Batch | None:
        rows = self.db.query("SELECT body FROM batches WHERE id = ?", (batch_id,))
        return self._batches.get(batch_id) or (_decode(rows[0][0]) if rows else None)

    def all(self) -> list[Batch]:
        rows = self.db.query("SELECT id, body FROM batches ORDER BY created_at, rowid")
        return [self._batches.get(row[0]) or _decode(row[1]) for row in rows]

    def save(self, batch: Batch) -> None:
        with self.db.transaction() as db:
            if batch.batch_id in self._batches:
                self._learn_cancel(db, batch)
            db.execute("UPDATE batches SET body = ? WHERE id = ?", (_encode(batch), batch.batch_id))

    def check_cancel(self, batch: Batch) -> bool:
        with self.db.transaction() as db:
            self._learn_cancel(db, batch)
        return batch.cancel_requested.is_set()

    def request_cancel(self, batch: Batch) -> None:
        batch.enter("cancelling")
        batch.cancel_requested.set()
        with self.db.transaction() as db:
            db.execute(
                "UPDATE batches SET cancel = 1, body = ? WHERE id = ?",
                (_encode(batch), batch.batch_id),
            )

    def orphans(self) -> list[Batch]:
        taken: list[Batch] = []
        rows = self.db.query("SELECT id, owner, body FROM batches")
        for batch_id, owner, body in rows:
            batch = _decode(body)
            if batch.status not in RUNNING or owner == self.owner or owners.is_alive(owner):
                continue
            changed = self.db.execute(
                "UPDATE batches SET owner = ? WHERE id = ? AND owner IS ?",
                (self.owner, batch_id, owner),
            )
            if changed:  # another emulator starting at the same moment did not take it first
                self._batches[batch_id] = batch
                taken.append(batch)
        return taken

    def clear(self) -> None:
        super().clear()
        self.db.execute("DELETE FROM batches")

    def _learn_cancel(self, db: Any, batch: Batch) -> None:
        row = db.execute("SELECT cancel FROM batches WHERE id = ?", (batch.batch_id,)).fetchone()
        if row and row[0] and not batch.cancel_requested.is_set():
            batch.cancel_requested.set()
            if batch.status in ("validating", "in_progress", "finalizing"):
                batch.enter("cancelling")


def _encode(batch: Batch) -> str:
    return json.dumps({name: getattr(batch, name) for name in _KEPT})


def _decode(body: str) -> Batch:
    data = json.loads(body)
    return Batch(**{name: data[name] for name in _KEPT if name in data})
