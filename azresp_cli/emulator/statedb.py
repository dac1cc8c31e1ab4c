"""The emulator's state directory: one SQLite database in WAL mode, shared by every process.

Each stored response, uploaded file, container and batch is a row, written in its own transaction
moment it changes, so a process that is killed (SIGKILL, a closed terminal) loses only the work
it had not finished. WAL lets several processes read while one writes; writers wait for each
other (`busy_timeout`) instead of failing. Nothing is read once and kept: every lookup and list
goes to the database, so each process sees what the others stored.

The directory and its files are user-only: prompts and answers live there. The signing secret
sits beside the database, so encrypted reasoning and compaction items verify in every process.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

DB_FILE = "state.db"
SECRET_FILE = "secret"  # noqa: S105 - a file name, not a secret
BUSY_TIMEOUT_MS = 10_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    id TEXT PRIMARY KEY,
    created REAL NOT NULL,
    status TEXT NOT NULL,
    owner TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS responses_by_status ON responses(status);
CREATE INDEX IF NOT EXISTS responses_by_created ON responses(created);
CREATE TABLE IF NOT EXISTS items (
    item_id TEXT NOT NULL,
    response_id TEXT NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    PRIMARY KEY (item_id, response_id)
);
CREATE INDEX IF NOT EXISTS items_by_response ON items(response_id);
CREATE TABLE IF NOT EXISTS files (
    id TEXT PRIMARY KEY,
    filename TEXT NOT NULL,
    purpose TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS containers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    memory_limit TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_active_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS container_files (
    id TEXT PRIMARY KEY,
    container_id TEXT NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    origin_file_id TEXT,
    data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS container_files_by_container ON container_files(container_id);
CREATE TABLE IF NOT EXISTS batches (
    id TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL,
    owner TEXT,
    cancel INTEGER NOT NULL DEFAULT 0,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS idempotency (
    key TEXT PRIMARY KEY,
    digest TEXT NOT NULL,
    response_id TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS idempotency_by_created ON idempotency(created);
"""


class StateDb:
    """One connection to a state directory's database, usable from any thread."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        make_dir(directory)
        path = directory / DB_FILE
        # Created user-only before SQLite opens it; its -wal and -shm files take the same mode.
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
        self._lock = threading.RLock()
        try:
            self._connection = sqlite3.connect(
                path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
            )
            self._connection.execute("PRAGMA journal_mode=WAL")
            self._connection.execute("PRAGMA synchronous=NORMAL")  # durable once committed
            self._connection.execute("PRAGMA foreign_keys=ON")
            with self.transaction() as db:
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
        except sqlite3.Error as exc:  # not a database, or one that cannot be written
            raise OSError(f"{path}: {exc}") from exc

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, taken at once so that two processes never deadlock upgrading."""
        with self._lock:
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield self._connection
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            self._connection.execute("COMMIT")

    def query(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._connection.execute(sql, parameters).fetchall()

    def execute(self, sql: str, parameters: tuple[Any, ...] = ()) -> int:
        """One statement in its own transaction; the number of rows it changed."""
        with self.transaction() as db:
            return db.execute(sql, parameters).rowcount

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def secret(self) -> bytes:
        """The signing secret shared by every process using this directory (made once)."""
        path = self.directory / SECRET_FILE
        with contextlib.suppress(FileNotFoundError):
            return bytes.fromhex(path.read_text(encoding="ascii").strip())
        fresh = secrets.token_bytes(32)
        handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".secret.")  # 0600
        try:
            with os.fdopen(handle, "w", encoding="ascii") as stream:
                stream.write(fresh.hex())
            # A hard link appears whole or not at all: when two processes start at once, one
            # secret wins and both use it, and neither ever reads it half-written.
            os.link(temporary, path)
        except FileExistsError:
            return bytes.fromhex(path.read_text(encoding="ascii").strip())
        finally:
            os.unlink(temporary)
        return fresh


def make_dir(directory: Path) -> None:
    """Create `directory` and any missing parent user-only (prompts and answers live here)."""
    missing = [d for d in (directory, *directory.parents) if not d.exists()]
    for path in reversed(missing):
        path.mkdir(mode=0o700, exist_ok=True)
        path.chmod(0o700)  # mkdir's mode is filtered by the umask
