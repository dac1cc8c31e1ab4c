"""The journal of a ``batch run --live``: what was about to be sent, what was sent, what came back.

One JSON object a line, each flushed and fsynced before the run goes on:

- ``{"custom_id", "key"}``: the line is about to be sent with this Idempotency-Key (written
  before the request leaves);
- ``{"custom_id", "key", "response_id"}``: the service has made the response (written the
  moment its id is known, from the create reply);
- a result (``Result`` as a dict, with its ``status``): the line is answered.

A resumed run follows a line's response id (``GET /responses/{id}``) instead of sending it,
and sends a line that has only its key again with that same key.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from azresp_cli.core.batch_results import Result


@dataclass(frozen=True)
class Sent:
    """A line sent (or about to be) whose answer the journal has not got yet."""

    key: str
    response_id: str = ""


@dataclass
class JournalState:
    results: dict[str, Result] = field(default_factory=dict)
    sent: dict[str, Sent] = field(default_factory=dict)


class Journal:
    """Append-only; each append is flushed and fsynced before it returns."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._file: IO[str] | None = None

    def read_state(self) -> JournalState:
        state = JournalState()
        if not self._path.is_file():
            return state
        with self._path.open(encoding="utf-8") as file:
            for line in file:
                try:
                    item = json.loads(line)
                except ValueError:
                    continue  # a line cut short by a crash
                if isinstance(item, dict):
                    _apply(state, item)
        return state

    def read(self) -> dict[str, Result]:
        return self.read_state().results

    def intent(self, custom_id: str, key: str) -> None:
        self._write({"custom_id": custom_id, "key": key})

    def sent(self, custom_id: str, key: str, response_id: str) -> None:
        self._write({"custom_id": custom_id, "key": key, "response_id": response_id})

    def append(self, result: Result) -> None:
        self._write(asdict(result))

    def _write(self, item: Mapping[str, Any]) -> None:
        line = json.dumps(item, ensure_ascii=False) + "\n"
        with self._lock:
            if self._file is None:
                self._file = self._path.open("a", encoding="utf-8")
            self._file.write(line)
            self._file.flush()
            os.fsync(self._file.fileno())

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None


def _apply(state: JournalState, item: dict[str, Any]) -> None:
    custom_id = str(item.get("custom_id", ""))
    if "status" in item:
        try:
            state.results[custom_id] = Result(**item)
        except TypeError:
            return
        state.sent.pop(custom_id, None)
    elif isinstance(item.get("key"), str):
        state.sent[custom_id] = Sent(item["key"], str(item.get("response_id") or ""))
