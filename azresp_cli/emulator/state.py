"""Everything one emulator instance remembers, in one object handed to its routes."""

from __future__ import annotations

import dataclasses
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from azresp_cli.emulator import owners, request_log, runs
from azresp_cli.emulator.batch_store import BatchStore, KeptBatchStore
from azresp_cli.emulator.config import EmulatorConfig, RecordedRequest
from azresp_cli.emulator.containers import ContainerStore, KeptContainerStore
from azresp_cli.emulator.faults import OnceMemory
from azresp_cli.emulator.files import FileStore, KeptFileStore
from azresp_cli.emulator.idempotency import IdempotencyKeys, KeptIdempotencyKeys
from azresp_cli.emulator.kept_store import KeptResponseStore
from azresp_cli.emulator.persistence import Persistence
from azresp_cli.emulator.ratelimit import RateBudget
from azresp_cli.emulator.sealed import Sealer
from azresp_cli.emulator.statedb import StateDb
from azresp_cli.emulator.store import ResponseStore


@dataclass
class EmulatorState:
    config: EmulatorConfig
    store: ResponseStore = field(default_factory=ResponseStore)
    requests: list[RecordedRequest] = field(default_factory=list)
    once: OnceMemory = field(default_factory=OnceMemory)
    sealer: Sealer = field(default_factory=Sealer)
    files: FileStore = field(default_factory=FileStore)  # uploads (the Files API)
    containers: ContainerStore = field(default_factory=ContainerStore)  # code interpreter's
    batches: BatchStore = field(default_factory=BatchStore)  # the Batch API's
    # Idempotency-Key -> the response it made, and responses generated per prompt.
    idempotency: IdempotencyKeys = field(default_factory=IdempotencyKeys)
    # POST /responses admitted and refused (429) by the --rpm limit (rate_window.py).
    rate_counts: Counter[str] = field(default_factory=Counter)
    rate_budget: RateBudget = field(init=False)  # x-ratelimit-* headers (ratelimit.py)
    # TCP connections accepted since start or the last reset (guard.py counts them): a client
    # that keeps its connection alive makes one for many requests.
    connections_accepted: int = 0
    _requests_lock: threading.Lock = field(default_factory=threading.Lock)
    _request_sizes: list[int] = field(default_factory=list)  # body bytes of each logged request

    def __post_init__(self) -> None:
        self.rate_budget = self._new_budget()

    def _new_budget(self) -> RateBudget:
        return RateBudget(self.config.rate_limit_requests, self.config.rate_limit_tokens)

    @classmethod
    def kept_in(cls, config: EmulatorConfig, directory: Path | None) -> EmulatorState:
        """A state in memory (no directory), or one kept in `directory` (statedb.py), shared
        with the other processes using it. Raises OSError if it cannot be opened."""
        if directory is None:
            return cls(config)
        db = StateDb(directory)
        owner = owners.claim()
        return cls(
            config,
            store=KeptResponseStore(Persistence(db), owner),
            batches=KeptBatchStore(db, owner),
            idempotency=KeptIdempotencyKeys(db),
            sealer=Sealer(db.secret()),
            files=KeptFileStore(db),
            containers=KeptContainerStore(db),
        )

    def resume_jobs(self) -> None:
        """Once the server's loop runs: take over the jobs of emulators that are gone."""
        from azresp_cli.emulator import batches

        if isinstance(self.store, KeptResponseStore):
            self.store.resume = runs.start_background
            self.store.take_orphans()
        batches.resume_orphans(self)

    def suspend(self) -> None:
        """Before the server's loop ends: leave running jobs for the next emulator to take."""
        if isinstance(self.store, KeptResponseStore):
            self.store.suspend()
            owners.release(self.store.owner)

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
        self.batches.clear()
        self.once.fired.clear()
        self.idempotency.clear()
        self.rate_counts.clear()
        self.rate_budget = self._new_budget()
        self.connections_accepted = 0
