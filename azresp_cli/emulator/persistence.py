"""An emulator's responses kept in the state directory's database (statedb.py).

`azresp chat --emulator` starts the emulator for one command; without this, `azresp get
--emulator ID` in the next command would find nothing, and a background job would die with
the process that started it. Several processes may use the directory at once (a REPL, a
one-shot beside it, `azresp emulator --state DIR`): a response is written when it is created,
each time its status changes, and the moment it ends, with the emulator that runs it as its
owner (owners.py). A background job also writes its events as it goes, at most every
`FLUSH_INTERVAL`, so that other processes can follow it.

A response still running whose owner is gone (it exited, or was killed) is taken over by the
next emulator that starts or looks it up. A background job is saved with its script's plan (the
model is deterministic, so its remaining events can be produced later): the new owner
fast-forwards it by the time that has passed since it was last written, and plays the rest
live. A synchronous response is cancelled, as its connection died with its process. A
response whose owner is alive is never touched by another process.

Only the newest `MAX_RESPONSES` responses are kept. Stream events are kept only for responses
whose stream can be replayed (background and streamed), and for running ones.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import time
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

from azresp_cli.emulator import events
from azresp_cli.emulator.eventlog import EventLog
from azresp_cli.emulator.events import Pause, Plan, Step
from azresp_cli.emulator.objects import ResponseShell
from azresp_cli.emulator.statedb import StateDb
from azresp_cli.emulator.store import RUNNING, ResponseRecord

FORMAT = 1
MAX_RESPONSES = 10_000  # on disk, not in memory: the newest ones, as many as a user keeps
FLUSH_INTERVAL = 0.25  # seconds between two writes of a running background job's events
LEGACY_DIR = "responses"  # one JSON file per response, as azresp 0.x kept them

Clock = Callable[[], float]


@dataclasses.dataclass(frozen=True)
class Row:
    """What a lookup needs to know before decoding a response."""

    version: int
    status: str
    owner: str | None


class Persistence:
    """The responses table of a state database."""

    def __init__(
        self, db: StateDb, *, max_responses: int = MAX_RESPONSES, clock: Clock = time.time
    ) -> None:
        self.db = db
        self.max_responses = max_responses
        self.clock = clock
        self._import_legacy_files()

    def insert(self, record: ResponseRecord, owner: str | None) -> int:
        """Store a new response, and forget the oldest beyond `max_responses`."""
        with self.db.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO responses (id, created, status, owner, body)"
                " VALUES (?, ?, ?, ?, ?)",
                (record.response_id, self.clock(), record.status, owner, self._body(record)),
            )
            self._index_items(db, record)
            db.execute(
                "DELETE FROM responses WHERE id IN (SELECT id FROM responses"
                " ORDER BY created DESC, rowid DESC LIMIT -1 OFFSET ?)",
                (self.max_responses,),
            )
        return 1

    def update(self, record: ResponseRecord, owner: str | None) -> int | None:
        """Write a change to a running response and return its new version; None if it has
        ended or gone meanwhile (another process cancelled or deleted it): that outcome stands."""
        with self.db.transaction() as db:
            changed = db.execute(
                "UPDATE responses SET status = ?, owner = ?, body = ?, version = version + 1"
                " WHERE id = ? AND status IN ('queued', 'in_progress')",
                (record.status, owner, self._body(record), record.response_id),
            ).rowcount
            if not changed:
                return None
            self._index_items(db, record)
            (version,) = db.execute(
                "SELECT version FROM responses WHERE id = ?", (record.response_id,)
            ).fetchone()
        return int(version)

    def take_over(self, response_id: str, dead_owner: str | None, owner: str) -> bool:
        """Become the owner of a running response whose owner is gone; False if another
        process was quicker."""
        changed = self.db.execute(
            "UPDATE responses SET owner = ? WHERE id = ?"
            " AND status IN ('queued', 'in_progress')"
            " AND owner IS ?",
            (owner, response_id, dead_owner),
        )
        return changed == 1

    def row(self, response_id: str) -> Row | None:
        rows = self.db.query(
            "SELECT version, status, owner FROM responses WHERE id = ?", (response_id,)
        )
        return Row(*rows[0]) if rows else None

    def load(self, response_id: str) -> tuple[ResponseRecord, float, Row] | None:
        """A response as last written, when it was written, and its row."""
        rows = self.db.query(
            "SELECT version, status, owner, body FROM responses WHERE id = ?", (response_id,)
        )
        if not rows:
            return None
        version, status, owner, body = rows[0]
        try:
            record, saved_at = _decode_record(json.loads(body))
        except (KeyError, TypeError, ValueError):  # written by an incompatible version
            self.remove(response_id)
            return None
        return record, saved_at, Row(version, status, owner)

    def running(self) -> list[tuple[str, str | None]]:
        """(id, owner) of every response still running, whoever runs it."""
        rows = self.db.query(
            "SELECT id, owner FROM responses WHERE status IN ('queued', 'in_progress')"
        )
        return [(str(response_id), owner) for response_id, owner in rows]

    def holding(self, item_id: str) -> list[str]:
        """The responses whose input or output has an item with this id."""
        rows = self.db.query("SELECT response_id FROM items WHERE item_id = ?", (item_id,))
        return [str(response_id) for (response_id,) in rows]

    def remove(self, response_id: str) -> None:
        self.db.execute("DELETE FROM responses WHERE id = ?", (response_id,))

    def clear(self) -> None:
        self.db.execute("DELETE FROM responses")

    def catch_up(self, record: ResponseRecord, saved_at: float) -> list[Step]:
        """Play the part of a job that would have happened since it was saved; return the rest.

        A synchronous response is cancelled: its connection died with its process.
        """
        if not record.is_background or record.plan is None:
            record.cancel()
            return []
        steps = _remaining_steps(record)
        budget = max(self.clock() - saved_at, 0.0)
        while steps:
            step = steps[0]
            if isinstance(step, Pause):
                if step.seconds > budget:
                    steps[0] = Pause(step.seconds - budget)
                    return steps
                budget -= step.seconds
            else:
                record.apply(record.log.append(step))
            steps.pop(0)
        record.log.close()
        return []

    def _body(self, record: ResponseRecord) -> str:
        return json.dumps(_encode_record(record, self.clock()))

    def _index_items(self, db: Any, record: ResponseRecord) -> None:
        item_ids = {item["id"] for item in [*record.input_items, *record.output] if "id" in item}
        db.executemany(
            "INSERT OR IGNORE INTO items (item_id, response_id) VALUES (?, ?)",
            [(item_id, record.response_id) for item_id in item_ids],
        )

    def _import_legacy_files(self) -> None:
        """Take the responses an earlier version kept as JSON files into the database."""
        legacy = self.db.directory / LEGACY_DIR
        if not legacy.is_dir():
            return
        for path in sorted(legacy.glob("resp_*.json"), key=_mtime):
            with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
                data = json.loads(path.read_text(encoding="utf-8"))
                record, _ = _decode_record(data)
                with self.db.transaction() as db:
                    db.execute(
                        "INSERT OR IGNORE INTO responses (id, created, status, owner, body)"
                        " VALUES (?, ?, ?, NULL, ?)",
                        (record.response_id, _mtime(path), record.status, json.dumps(data)),
                    )
                    self._index_items(db, record)
            with contextlib.suppress(OSError):
                path.unlink()
        with contextlib.suppress(OSError):
            for leftover in legacy.iterdir():  # temporary files of an interrupted write
                leftover.unlink()
            legacy.rmdir()


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _remaining_steps(record: ResponseRecord) -> list[Step]:
    """The job's script after the events already logged (the plan makes it the same script)."""
    assert record.plan is not None
    done = len(record.log.events)
    steps: list[Step] = []
    seen = 0
    for step in events.script(record.shell, record.plan):
        if seen >= done:
            steps.append(step)
        elif not isinstance(step, Pause):
            seen += 1
    return steps


def _encode_record(record: ResponseRecord, saved_at: float) -> dict[str, Any]:
    shell = record.shell
    return {
        "format": FORMAT,
        "saved_at": saved_at,
        "shell": {"id": shell.response_id, "created_at": shell.created_at, "echo": shell.echo},
        "previous_response_id": record.previous_response_id,
        "input_items": record.input_items,
        "snapshot": record.snapshot,
        "is_background": record.is_background,
        "is_streamed": record.is_streamed,
        "is_resumable": record.is_resumable,
        "input_tokens": record.input_tokens,
        "cut_every": record.cut_every,
        "plan": dataclasses.asdict(record.plan) if record.plan is not None else None,
        # Only a replayable stream needs its events once it has ended (they are most of a
        # response's size); a running job needs them to go on from where it is.
        "events": [event.data for event in record.log.events]
        if record.is_resumable or record.status in RUNNING
        else [],
        "log_closed": record.log.is_closed,
    }


def _decode_record(data: dict[str, Any]) -> tuple[ResponseRecord, float]:
    shell_data = data["shell"]
    shell = ResponseShell(str(shell_data["id"]), int(shell_data["created_at"]), shell_data["echo"])
    record = ResponseRecord(
        shell=shell,
        previous_response_id=data["previous_response_id"],
        input_items=list(data["input_items"]),
        snapshot=dict(data["snapshot"]),
        is_background=bool(data["is_background"]),
        is_streamed=bool(data["is_streamed"]),
        is_resumable=bool(data["is_resumable"]),
        input_tokens=int(data["input_tokens"]),
        cut_every=data.get("cut_every"),
        plan=_decode(Plan, data["plan"]) if data.get("plan") is not None else None,
    )
    record.log = EventLog()
    for text in data["events"]:
        payload = json.loads(text)
        logged = record.log.append({k: v for k, v in payload.items() if k != "sequence_number"})
        if logged.data != text:
            raise ValueError("event log out of order")
    if data["log_closed"] or record.status not in RUNNING:
        record.log.close()
    return record, float(data["saved_at"])


def _decode(hint: Any, value: Any) -> Any:
    """Rebuild a value of type `hint` from its `dataclasses.asdict` form."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return None if value is None else _decode(options[0], value)
    if origin is tuple:
        item_hint = typing.get_args(hint)[0]
        return tuple(_decode(item_hint, item) for item in value)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        hints = typing.get_type_hints(hint)
        fields = {f.name for f in dataclasses.fields(hint)}
        return hint(**{k: _decode(hints[k], v) for k, v in value.items() if k in fields})
    return value
