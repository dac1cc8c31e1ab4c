"""Stored responses kept in the state directory, shared with the other processes using it.

The database is the truth: a lookup reads the response's row (its version, status and owner),
so a response another process stored, finished, cancelled or deleted is seen at once. In memory
are only the responses this emulator is running (`_live`, as many as run at once) and a small
cache of others, checked against their version on each lookup: memory stays bounded however
many responses are stored.

A running response is this emulator's to write while it runs it; one whose owner is gone is
taken over on lookup or when the emulator starts (persistence.py tells what that means).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections import OrderedDict
from collections.abc import AsyncGenerator, Callable

from azresp_cli.emulator import owners
from azresp_cli.emulator.eventlog import LoggedEvent
from azresp_cli.emulator.events import Step
from azresp_cli.emulator.objects import Json
from azresp_cli.emulator.persistence import FLUSH_INTERVAL, Persistence
from azresp_cli.emulator.store import RUNNING, ResponseRecord, ResponseStore, find_in

CACHE_SIZE = 64  # responses kept decoded in memory besides the running ones
POLL_INTERVAL = 0.1  # seconds between two looks at a job another process runs

Resume = Callable[[ResponseRecord, list[Step]], None]
_log = logging.getLogger("azresp.emulator")  # shown with --debug; the client warns the user


class KeptResponseStore(ResponseStore):
    def __init__(
        self, persistence: Persistence, owner: str, *, cache_size: int = CACHE_SIZE
    ) -> None:
        super().__init__()
        self.persistence = persistence
        self.owner = owner
        self.resume: Resume | None = None  # starts a taken-over job (set once the loop runs)
        self._cache_size = cache_size
        self._live: dict[str, ResponseRecord] = {}  # running here: this emulator writes them
        self._flushed: dict[str, tuple[str, int, float]] = {}  # id -> status, events, when
        self._cache: OrderedDict[str, tuple[int, ResponseRecord]] = OrderedDict()
        self._failed = False  # a write failed (a full or read-only disk): said once

    def add(self, record: ResponseRecord) -> None:
        try:
            version = self.persistence.insert(record, self.owner)
        except sqlite3.Error as exc:
            self._unsaved(record, exc)
            return
        self._watch(record, version)

    def touch(self, record: ResponseRecord) -> None:
        if record.response_id in self._live:
            self._changed(record)
        elif record.status not in RUNNING:  # a job of a live process, cancelled from here
            self.persistence.update(record, self.owner)

    def live(self) -> list[ResponseRecord]:
        return list(self._live.values())

    def in_memory(self) -> int:
        """How many responses are held in memory: those running here and the cache."""
        return len(self._live) + len(self._cache)

    def get(self, response_id: str) -> ResponseRecord | None:
        live = self._live.get(response_id) or self._records.get(response_id)
        if live is not None:
            return live
        try:
            row = self.persistence.row(response_id)
        except sqlite3.Error:
            return None
        if row is None:
            self._cache.pop(response_id, None)
            return None
        if row.status in RUNNING and not owners.is_alive(row.owner):
            taken = self._take_over(response_id, row.owner)
            if taken is not None:
                return taken
        cached = self._cache.get(response_id)
        if cached is not None and cached[0] == row.version:
            self._cache.move_to_end(response_id)
            return cached[1]
        loaded = self.persistence.load(response_id)
        if loaded is None:
            return None
        record, _, row = loaded
        self._remember(record, row.version)
        return record

    def remove(self, response_id: str) -> ResponseRecord | None:
        record = self.get(response_id)
        self._records.pop(response_id, None)
        self.persistence.remove(response_id)
        self._live.pop(response_id, None)
        self._flushed.pop(response_id, None)
        self._cache.pop(response_id, None)
        return record

    def clear(self) -> None:
        for record in self._live.values():
            record.on_change = None
            record.cancel()
        self.persistence.clear()
        self._records.clear()
        self._live.clear()
        self._flushed.clear()
        self._cache.clear()

    def find_item(self, item_id: str) -> Json | None:
        for response_id in self.persistence.holding(item_id):
            record = self.get(response_id)
            if record is not None and (item := find_in([record], item_id)) is not None:
                return item
        return None

    def follow(
        self, record: ResponseRecord, starting_after: int = -1
    ) -> AsyncGenerator[LoggedEvent, None]:
        if record.log.is_closed or self._live.get(record.response_id) is record:
            return record.log.follow(starting_after)
        return self._follow_elsewhere(record, starting_after)

    def take_orphans(self) -> None:
        """Take over the running responses whose owners are gone (when the emulator starts)."""
        for response_id, owner in self.persistence.running():
            if owner != self.owner and not owners.is_alive(owner):
                self._take_over(response_id, owner)

    def suspend(self) -> None:
        """The emulator stops: write what it runs; its background jobs stay running on disk,
        for the next emulator to take over."""
        for record in self.live():
            if record.is_background and record.status in RUNNING:
                record.suspended = True
            self.persistence.update(record, self.owner)

    async def _follow_elsewhere(
        self, record: ResponseRecord, starting_after: int
    ) -> AsyncGenerator[LoggedEvent, None]:
        """Follow a job another process runs, through what it writes as it goes."""
        position = starting_after + 1
        current: ResponseRecord | None = record
        while current is not None:
            if current.log.is_closed or self._live.get(current.response_id) is current:
                async for event in current.log.follow(position - 1):
                    yield event
                return
            for event in current.log.events[max(position, 0) :]:
                yield event
                position = event.sequence_number + 1
            await asyncio.sleep(POLL_INTERVAL)
            current = self.get(record.response_id)

    def _take_over(self, response_id: str, dead_owner: str | None) -> ResponseRecord | None:
        if not self.persistence.take_over(response_id, dead_owner, self.owner):
            return None  # another emulator took it first
        loaded = self.persistence.load(response_id)
        if loaded is None:
            return None
        record, saved_at, _ = loaded
        steps = self.persistence.catch_up(record, saved_at)
        version = self.persistence.update(record, self.owner)
        if version is None:
            return None
        self._watch(record, version)
        if steps and self.resume is not None:
            self.resume(record, steps)
        return record

    def _watch(self, record: ResponseRecord, version: int) -> None:
        if record.status in RUNNING:
            record.on_change = self._changed
            self._live[record.response_id] = record
            self._flushed[record.response_id] = (
                record.status,
                len(record.log.events),
                self.persistence.clock(),
            )
        else:
            self._remember(record, version)

    def _changed(self, record: ResponseRecord) -> None:
        """Write a running response when its status changes, when it ends, and (a background
        job, which others may follow) every FLUSH_INTERVAL while events come."""
        response_id = record.response_id
        if self._live.get(response_id) is not record:
            return
        status, count, at = self._flushed[response_id]
        now = self.persistence.clock()
        ended = record.status not in RUNNING
        events = len(record.log.events)
        quiet = not record.is_background or events == count or now - at < FLUSH_INTERVAL
        if not ended and record.status == status and quiet:
            return
        try:
            version = self.persistence.update(record, self.owner)
        except sqlite3.Error as exc:
            self._forget(response_id)
            self._unsaved(record, exc)
            return
        if version is None:  # cancelled or deleted by another process: stop running it
            self._forget(response_id)
            record.on_change = None
            record.cancel()
            return
        self._flushed[response_id] = (record.status, events, now)
        if ended:
            self._forget(response_id)
            record.on_change = None
            self._remember(record, version)

    def _unsaved(self, record: ResponseRecord, error: sqlite3.Error) -> None:
        """A write failed: serve on from memory (as the store without a directory does)."""
        if not self._failed:
            self._failed = True
            _log.info("the emulator cannot save responses: %s", error)
        record.on_change = None
        super().add(record)

    def _forget(self, response_id: str) -> None:
        self._live.pop(response_id, None)
        self._flushed.pop(response_id, None)

    def _remember(self, record: ResponseRecord, version: int) -> None:
        self._cache[record.response_id] = (version, record)
        self._cache.move_to_end(record.response_id)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
