"""`Idempotency-Key` on POST /responses: the same key again is the same response, not a new one.

A client that cannot tell whether its create arrived (the connection broke, the process was
killed before the reply) sends it again with the same key. Within RETENTION_SECONDS the
emulator then answers with the response the first request made (a background stream is
replayed from its start, as `GET /responses/{id}?stream=true` would), and generates nothing.
The same key with a different body is a 409, as a key names one request. Only stored
responses are remembered (there is nothing to answer from otherwise). With a state directory
the keys are kept in its database, so every emulator on it, and the next one, honours them.

Azure OpenAI does not document honouring this header; `azresp batch run --live` sends it and
does not rely on it (docs/batch.md).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from azresp_cli.emulator.errors import ApiError, error_body
from azresp_cli.emulator.statedb import StateDb

HEADER = "idempotency-key"
RETENTION_SECONDS = 24 * 3600


def digest(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


@dataclass
class IdempotencyKeys:
    """Key -> (body digest, response id, when); plus how many responses each prompt made."""

    _keys: dict[str, tuple[str, str, float]] = field(default_factory=dict)
    generations: Counter[str] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def find(self, key: str, body_digest: str) -> str | None:
        """The response id an earlier request with this key made, if still remembered."""
        found = self._lookup(key)
        if found is None or time.time() - found[2] > RETENTION_SECONDS:
            return None
        if found[0] != body_digest:
            raise ApiError(
                409,
                error_body(
                    "This Idempotency-Key was used with a different request body.",
                    code="idempotency_key_reused",
                ),
            )
        return found[1]

    def _lookup(self, key: str) -> tuple[str, str, float] | None:
        with self._lock:
            return self._keys.get(key)

    def remember(self, key: str, body_digest: str, response_id: str) -> None:
        now = time.time()
        with self._lock:
            self._keys[key] = (body_digest, response_id, now)
            if len(self._keys) > 100_000:  # forget the expired ones
                self._keys = {
                    k: v for k, v in self._keys.items() if now - v[2] <= RETENTION_SECONDS
                }

    def generated(self, prompt: str) -> None:
        with self._lock:
            self.generations[prompt] += 1

    def counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self.generations)

    def clear(self) -> None:
        with self._lock:
            self._keys.clear()
            self.generations.clear()


class KeptIdempotencyKeys(IdempotencyKeys):
    """The keys of a state directory, shared by the processes using it."""

    def __init__(self, db: StateDb) -> None:
        super().__init__()
        self.db = db

    def _lookup(self, key: str) -> tuple[str, str, float] | None:
        rows = self.db.query(
            "SELECT digest, response_id, created FROM idempotency WHERE key = ?", (key,)
        )
        return (str(rows[0][0]), str(rows[0][1]), float(rows[0][2])) if rows else None

    def remember(self, key: str, body_digest: str, response_id: str) -> None:
        now = time.time()
        with self.db.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO idempotency (key, digest, response_id, created)"
                " VALUES (?, ?, ?, ?)",
                (key, body_digest, response_id, now),
            )
            db.execute("DELETE FROM idempotency WHERE created < ?", (now - RETENTION_SECONDS,))

    def clear(self) -> None:
        super().clear()
        self.db.execute("DELETE FROM idempotency")
