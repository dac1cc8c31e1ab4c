"""The local history: every turn azresp ran, in SQLite in the user data dir.

Conversations group turns; a turn records the response id, its parent, what was asked and
answered, where and with what usage. A turn that ended early is kept with the status
``partial`` (core/partial_turn.py) and is never "the latest turn" a conversation goes on from.
Stateless (store=false) turns also keep the items the client must replay, so such a
conversation can be resumed after a restart. Text passes through ``redact`` on its way in:
secrets never reach the database. The file is created 0600 in a 0700 directory because it
holds the user's prompts.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from azresp_cli.core.endpoint import endpoint_host
from azresp_cli.core.events import Usage
from azresp_cli.core.history_db import (
    BUSY_TIMEOUT,
    HISTORY_FILE_NAME,
    HistoryError,
    connect,
    history_path,
    sqlite_errors,
)
from azresp_cli.core.history_records import (
    COMPACTED,
    EMULATOR_ENDPOINT,
    ConversationSummary,
    NewTurn,
    StoredTurn,
    iter_segment_items,
    new_conversation_id,
    recorded_endpoint,
)
from azresp_cli.core.redact import redact
from azresp_cli.core.turn_extras import record_extras

# The names callers import from here: the store, and what it reads and writes.
__all__ = [
    "BUSY_TIMEOUT",
    "COMPACTED",
    "EMULATOR_ENDPOINT",
    "HISTORY_FILE_NAME",
    "ConversationSummary",
    "HistoryError",
    "HistoryStore",
    "NewTurn",
    "StoredTurn",
    "history_path",
    "iter_segment_items",
    "new_conversation_id",
    "recorded_endpoint",
]

_SUMMARY_QUERY = (
    "SELECT c.id, c.created_at, c.updated_at, "
    "(SELECT count(*) FROM turns WHERE conversation_id = c.id), "
    "(SELECT prompt FROM turns WHERE conversation_id = c.id ORDER BY id LIMIT 1), "
    "last.response_id, last.stored, last.deployment, last.endpoint "
    "FROM conversations c JOIN turns last ON last.id = "
    "(SELECT max(id) FROM turns WHERE conversation_id = c.id AND status != 'partial') "
)
_TURN_QUERY = (
    "SELECT conversation_id, response_id, parent_id, previous_response_id, prompt, answer, "
    "instructions, deployment, endpoint, endpoint_host, status, stored, input_tokens, "
    "output_tokens, reasoning_tokens, cached_tokens, items, started_at, finished_at, "
    "cost, currency, service_tier, model, responses, metered FROM turns "
)


class HistoryStore:
    """The history database. Every method raises ``HistoryError`` when SQLite fails."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self._db = db
        self.path = path

    @classmethod
    def open(cls, path: Path, *, timeout: float | None = None) -> HistoryStore:
        """Open (creating with user-only permissions) and migrate the database at ``path``."""
        # read at call time, so a test can shorten the wait for a lock (test_recording.py)
        wait = BUSY_TIMEOUT if timeout is None else timeout
        return cls(connect(path, timeout=wait), path)

    def close(self) -> None:
        self._db.close()

    @property
    def db(self) -> sqlite3.Connection:
        """The connection, for modules keeping their own tables here (core/job_store.py)."""
        return self._db

    def record(self, turn: NewTurn) -> None:
        usage = turn.usage
        tokens = (
            (usage.input_tokens, usage.output_tokens, usage.reasoning_tokens, usage.cached_tokens)
            if usage is not None
            else (None, None, None, None)
        )
        with sqlite_errors(self.path):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute(
                    "INSERT INTO conversations (id, created_at, updated_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at",
                    (turn.conversation_id, turn.started_at, turn.finished_at),
                )
                self._db.execute(
                    "INSERT OR IGNORE INTO turns (conversation_id, response_id, parent_id, "
                    "previous_response_id, prompt, answer, instructions, deployment, endpoint, "
                    "endpoint_host, status, stored, input_tokens, output_tokens, "
                    "reasoning_tokens, cached_tokens, items, started_at, finished_at, cost, "
                    "currency, service_tier, model, responses, metered) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                    "?, ?, ?, ?, ?, 1)",
                    (
                        turn.conversation_id,
                        turn.response_id,
                        turn.parent_id,
                        turn.previous_response_id,
                        redact(turn.prompt),
                        redact(turn.answer),
                        redact(turn.instructions) if turn.instructions else None,
                        turn.deployment,
                        turn.endpoint,
                        endpoint_host(turn.endpoint),
                        turn.status,
                        int(turn.stored),
                        *tokens,
                        json.dumps([_redact_item(i) for i in turn.items]) if turn.items else None,
                        turn.started_at,
                        turn.finished_at,
                        turn.cost if usage is not None else None,
                        turn.currency,
                        turn.service_tier,
                        turn.model,
                        turn.responses,
                    ),
                )
                record_extras(self._db, turn.response_id, turn.schema, turn.fragments)
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:  # a failed COMMIT (a full disk) has rolled back
                    self._db.execute("ROLLBACK")
                raise

    def conversations(self, limit: int = 20) -> list[ConversationSummary]:
        """The most recently updated conversations first."""
        return self._summaries("ORDER BY c.updated_at DESC, c.rowid DESC LIMIT ?", (limit,))

    def conversation(self, conversation_id: str) -> ConversationSummary | None:
        found = self._summaries("WHERE c.id = ?", (conversation_id,))
        return found[0] if found else None

    def last_conversation(self) -> ConversationSummary | None:
        found = self.conversations(limit=1)
        return found[0] if found else None

    def turns(self, conversation_id: str) -> list[StoredTurn]:
        """A conversation's turns, oldest first."""
        return self._turns("WHERE conversation_id = ? ORDER BY id", (conversation_id,))

    def turns_since(self, since: float | None) -> list[StoredTurn]:
        """Every turn started at or after ``since`` (all of them for None), oldest first."""
        if since is None:
            return self._turns("ORDER BY started_at, id", ())
        return self._turns("WHERE started_at >= ? ORDER BY started_at, id", (since,))

    def turn(self, response_id: str) -> StoredTurn | None:
        found = self._turns("WHERE response_id = ?", (response_id,))
        return found[0] if found else None

    def conversation_of(self, parent_id: str | None) -> str | None:
        """The conversation a new turn after ``parent_id`` belongs to: the parent's own when the
        parent is its latest turn, else None (continuing an earlier turn starts a branch)."""
        if parent_id is None:
            return None
        with sqlite_errors(self.path):
            row = self._db.execute(
                "SELECT t.conversation_id FROM turns t WHERE t.response_id = ? AND t.id = "
                "(SELECT max(id) FROM turns WHERE conversation_id = t.conversation_id "
                "AND status != 'partial')",
                (parent_id,),
            ).fetchone()
        return str(row[0]) if row else None

    def chain(self, response_id: str) -> list[StoredTurn]:
        """The turns leading to ``response_id`` (following parents across conversations), root
        first; empty when the store does not know the id."""
        found: list[StoredTurn] = []
        seen: set[str] = set()
        current: str | None = response_id
        while current is not None and current not in seen:
            seen.add(current)
            turn = self.turn(current)
            if turn is None:
                break
            found.append(turn)
            current = turn.parent_id
        return found[::-1]

    def search(self, text: str, limit: int = 20) -> list[StoredTurn]:
        """Turns whose prompt or answer contain every word of ``text``, newest first."""
        words = text.split()
        if not words:
            return []
        with sqlite_errors(self.path):
            has_fts = self._db.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'turns_fts'"
            ).fetchone()
        if has_fts:
            # Each word quoted: the user's text is searched for, never parsed as FTS syntax.
            query = " ".join('"' + word.replace('"', '""') + '"' for word in words)
            return self._turns(
                "WHERE id IN (SELECT rowid FROM turns_fts WHERE turns_fts MATCH ?) "
                "ORDER BY id DESC LIMIT ?",
                (query, limit),
            )
        clauses = " AND ".join(
            "(prompt LIKE ? ESCAPE '\\' OR answer LIKE ? ESCAPE '\\')" for _ in words
        )
        patterns = [p for word in words for p in (_like(word), _like(word))]
        return self._turns(f"WHERE {clauses} ORDER BY id DESC LIMIT ?", (*patterns, limit))

    def _summaries(self, tail: str, params: tuple[Any, ...]) -> list[ConversationSummary]:
        query = _SUMMARY_QUERY + tail
        with sqlite_errors(self.path):
            rows = self._db.execute(query, params).fetchall()
        return [
            ConversationSummary(
                id=row[0],
                created_at=row[1],
                updated_at=row[2],
                turns=row[3],
                first_prompt=row[4] or "",
                last_response_id=row[5],
                stored=bool(row[6]),
                deployment=row[7],
                endpoint=row[8],
            )
            for row in rows
        ]

    def _turns(self, tail: str, params: tuple[Any, ...]) -> list[StoredTurn]:
        query = _TURN_QUERY + tail
        with sqlite_errors(self.path):
            rows = self._db.execute(query, params).fetchall()
        return [_turn_from_row(row) for row in rows]


def _turn_from_row(row: Sequence[Any]) -> StoredTurn:
    items = json.loads(row[16]) if row[16] else []
    return StoredTurn(
        conversation_id=row[0],
        response_id=row[1],
        parent_id=row[2],
        previous_response_id=row[3],
        prompt=row[4],
        answer=row[5],
        instructions=row[6],
        deployment=row[7],
        endpoint=row[8],
        endpoint_host=row[9],
        status=row[10],
        stored=bool(row[11]),
        usage=Usage(
            input_tokens=row[12] or 0,
            output_tokens=row[13] or 0,
            reasoning_tokens=row[14] or 0,
            cached_tokens=row[15] or 0,
        ),
        started_at=row[17],
        finished_at=row[18],
        items=tuple(items),
        cost=row[19],
        currency=row[20],
        service_tier=row[21],
        model=row[22],
        responses=row[23],
        metered=bool(row[24]),
        usage_known=row[12] is not None,
    )


def _redact_item(value: Any, key: str | None = None) -> Any:
    # Encrypted reasoning is opaque and must be replayed byte for byte; everything else readable
    # is masked like any other text azresp stores.
    if isinstance(value, str):
        return value if key == "encrypted_content" else redact(value)
    if isinstance(value, Mapping):
        return {k: _redact_item(v, k) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_item(v) for v in value]
    return value


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
