"""The history's SQLite file: where it is, opening it safely, and SQLite's errors in azresp's
words. The file is created 0600 in a 0700 directory because it holds the user's prompts.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from azresp_cli.core.errors import AzrespError
from azresp_cli.core.history_schema import migrate

HISTORY_FILE_NAME = "history.db"
# Seconds to wait for another azresp that is writing at the same moment. Writes are short (one
# turn), but sixty one-shots started together queue behind each other.
BUSY_TIMEOUT = 30.0


class HistoryError(AzrespError):
    default_hint = "move the file away and azresp starts a new one; chats work without it"
    path: Path | None = None  # the database that failed


def history_path(data_dir: Path) -> Path:
    return data_dir / HISTORY_FILE_NAME


def connect(path: Path, *, timeout: float = BUSY_TIMEOUT) -> sqlite3.Connection:
    """The database at ``path``, created with user-only permissions and migrated."""
    with sqlite_errors(path):
        _prepare_file(path)
        db = sqlite3.connect(path, timeout=timeout, isolation_level=None)
        try:
            db.execute("PRAGMA foreign_keys = ON")
            _use_wal(db)
            migrate(db)
        except BaseException:
            db.close()
            raise
    return db


def _use_wal(db: sqlite3.Connection) -> None:
    """Write-ahead logging: readers never wait for a writer, and a writer waits only for another
    writer. The mode is kept in the file; it is set once, by the first azresp that opens it."""
    mode = db.execute("PRAGMA journal_mode").fetchone()
    if mode and str(mode[0]).lower() != "wal":
        db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: a crash loses no committed turn


def _prepare_file(path: Path) -> None:
    directory = path.parent
    if not directory.exists():
        directory.mkdir(parents=True, mode=0o700)
        directory.chmod(0o700)  # mkdir's mode is filtered by the umask; make sure
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o600)
    try:
        if stat.S_IMODE(os.fstat(fd).st_mode) & 0o077:
            os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


@contextmanager
def sqlite_errors(path: Path) -> Iterator[None]:
    """Turn SQLite's and the file system's errors into a HistoryError naming file and cause."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        error = HistoryError(_describe(path, exc), detail=repr(exc))
        error.path = path
        raise error from exc
    except OSError as exc:
        error = HistoryError(
            f"cannot open {path}: {exc.strerror or exc}",
            hint="check the data directory's permissions (AZRESP_DATA_DIR overrides it)",
        )
        error.path = path
        raise error from exc


def _describe(path: Path, exc: sqlite3.DatabaseError) -> str:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return f"{path} is locked by another program ({text})"
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return f"{path} is damaged ({text})"
    return f"{path}: {text}"
