"""Everything one emulator instance remembers, in one object handed to its routes."""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass, field
from pathlib import Path

from azresp_cli.emulator import request_log, runs
from azresp_cli.emulator.config import EmulatorConfig, RecordedRequest
from azresp_cli.emulator.containers import ContainerStore
from azresp_cli.emulator.faults import OnceMemory
from azresp_cli.emulator.files import FileStore
from azresp_cli.emulator.persistence import Continuation, Persistence
from azresp_cli.emulator.sealed import Sealer
from azresp_cli.emulator.store import RUNNING, ResponseStore


@dataclass
class EmulatorState:
    config: EmulatorConfig
    store: ResponseStore = field(default_factory=ResponseStore)
    requests: list[RecordedRequest] = field(default_factory=list)
    once: OnceMemory = field(default_factory=OnceMemory)
    sealer: Sealer = field(default_factory=Sealer)
    files: FileStore = field(default_factory=FileStore)  # uploads (the Files API)
    containers: ContainerStore = field(default_factory=ContainerStore)  # code interpreter's
    persistence: Persistence | None = None
    # TCP connections accepted since start or the last reset (guard.py counts them): a client
    # that keeps its connection alive makes one for many requests.
    connections_accepted: int = 0
    _continuations: list[Continuation] = field(default_factory=list)
    _requests_lock: threading.Lock = field(default_factory=threading.Lock)
    _request_sizes: list[int] = field(default_factory=list)  # body bytes of each logged request

    @classmethod
    def kept_in(cls, config: EmulatorConfig, directory: Path | None) -> EmulatorState:
        """A state in memory (no directory), or one loaded from and written to `directory`."""
        if directory is None:
            return cls(config)
        persistence = Persistence(directory)
        state = cls(
            config,
            store=ResponseStore(persistence),
            sealer=Sealer(persistence.secret()),
            persistence=persistence,
        )
        records, state._continuations = persistence.load()
        for record in records:
            state.store.load(record)
        return state

    def resume_jobs(self) -> None:
        """Go on running the jobs a previous process left running (needs the server's loop)."""
        for continuation in self._continuations:
            runs.start_background(continuation.record, continuation.steps)
        self._continuations = []

    def suspend(self) -> None:
        """Before the server's loop ends: leave running jobs for the next process, write all."""
        if self.persistence is None:
            return
        records = self.store.records()
        for record in records:
            if record.is_background and record.status in RUNNING:
                record.suspended = True
        self.persistence.save_all(records)

    def record(self, request: RecordedRequest, body_bytes: int = 0) -> None:
        """Log a request; the log keeps the newest ones within a count and a byte budget.

        A body over MAX_LOGGED_BODY_BYTES is logged without its JSON (`json` None).
        """
        if body_bytes > request_log.MAX_LOGGED_BODY_BYTES:
            request, body_bytes = dataclasses.replace(request, json=None), 0
        # Tests read `requests` from their own thread while the server's loop appends.
        with self._requests_lock:
            self._request_sizes = request_log.append(
                self.requests, self._request_sizes, request, body_bytes
            )

    def count_connection(self) -> None:
        self.connections_accepted += 1  # on the server's loop only

    def recorded(self) -> list[RecordedRequest]:
        with self._requests_lock:
            return list(self.requests)

    def reset(self) -> None:
        """Forget requests, responses, files, containers and fired `once` faults.

        Sealed tokens stay verifiable.
        """
        with self._requests_lock:
            self.requests.clear()
            self._request_sizes = []
        self.store.clear()
        self.files.clear()
        self.containers.clear()
        self.once.fired.clear()
        self.connections_accepted = 0
