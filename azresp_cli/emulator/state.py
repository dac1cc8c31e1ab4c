"""Everything one emulator instance remembers, in one object handed to its routes."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from azresp_cli.emulator.config import EmulatorConfig, RecordedRequest
from azresp_cli.emulator.faults import OnceMemory
from azresp_cli.emulator.sealed import Sealer
from azresp_cli.emulator.store import ResponseStore


@dataclass
class EmulatorState:
    config: EmulatorConfig
    store: ResponseStore = field(default_factory=ResponseStore)
    requests: list[RecordedRequest] = field(default_factory=list)
    once: OnceMemory = field(default_factory=OnceMemory)
    sealer: Sealer = field(default_factory=Sealer)
    _requests_lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, request: RecordedRequest) -> None:
        # Tests read `requests` from their own thread while the server's loop appends.
        with self._requests_lock:
            self.requests.append(request)

    def recorded(self) -> list[RecordedRequest]:
        with self._requests_lock:
            return list(self.requests)

    def reset(self) -> None:
        """Forget requests, responses and fired `once` faults (tokens stay verifiable)."""
        with self._requests_lock:
            self.requests.clear()
        self.store.clear()
        self.once.fired.clear()
