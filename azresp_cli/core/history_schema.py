"""The history database's schema: named migrations, applied once each, in order (as llm does).

A migration is never edited once released; a change to the schema is a new migration at the end.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]


def m001_initial(db: sqlite3.Connection) -> None:
    db.execute(
        """
        CREATE TABLE conversations (
            id TEXT PRIMARY KEY,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        )
        """
    )
    # One row per turn that advanced a chain. parent_id is the logical parent (the turn this one
    # continued); previous_response_id is what went over the wire, which differs for stateless
    # turns: they replay `items` instead and send at most the stored response they started from.
    db.execute(
        """
        CREATE TABLE turns (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            conversation_id TEXT NOT NULL REFERENCES conversations(id),
            response_id TEXT NOT NULL UNIQUE,
            parent_id TEXT,
            previous_response_id TEXT,
            prompt TEXT NOT NULL,
            answer TEXT NOT NULL,
            instructions TEXT,
            deployment TEXT NOT NULL,
            endpoint TEXT NOT NULL,
            endpoint_host TEXT NOT NULL,
            status TEXT NOT NULL,
            stored INTEGER NOT NULL,
            input_tokens INTEGER,
            output_tokens INTEGER,
            reasoning_tokens INTEGER,
            cached_tokens INTEGER,
            items TEXT,
            started_at REAL NOT NULL,
            finished_at REAL NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX turns_by_conversation ON turns (conversation_id, id)")
    db.execute("CREATE INDEX turns_by_parent ON turns (parent_id)")
    db.execute("CREATE INDEX conversations_by_update ON conversations (updated_at)")


def m002_full_text_search(db: sqlite3.Connection) -> None:
    if not fts5_available(db):
        return  # search falls back to LIKE; nothing to create
    db.execute(
        "CREATE VIRTUAL TABLE turns_fts USING fts5("
        "prompt, answer, content='turns', content_rowid='id')"
    )
    db.execute(
        "CREATE TRIGGER turns_fts_insert AFTER INSERT ON turns BEGIN "
        "INSERT INTO turns_fts (rowid, prompt, answer) VALUES (new.id, new.prompt, new.answer); "
        "END"
    )
    db.execute(
        "CREATE TRIGGER turns_fts_delete AFTER DELETE ON turns BEGIN "
        "INSERT INTO turns_fts (turns_fts, rowid, prompt, answer) "
        "VALUES ('delete', old.id, old.prompt, old.answer); END"
    )
    db.execute("INSERT INTO turns_fts (turns_fts) VALUES ('rebuild')")


def m003_background_jobs(db: sqlite3.Connection) -> None:
    # Background responses azresp started (`azresp bg start`, `chat --background`), with the
    # status last seen, so `azresp bg list` works offline and no job id is ever lost. The
    # answer itself becomes an ordinary turn once a command sees the job finish.
    db.execute(
        """
        CREATE TABLE jobs (
            response_id TEXT PRIMARY KEY,
            conversation_id TEXT,
            previous_response_id TEXT,
            prompt TEXT NOT NULL,
            instructions TEXT,
            deployment TEXT NOT NULL,
            endpoint TEXT NOT NULL,
            status TEXT NOT NULL,
            reason TEXT,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX jobs_by_creation ON jobs (created_at)")


def m004_structured_and_fragments(db: sqlite3.Connection) -> None:
    # The schema a turn was asked with (--schema), so `history show --json-data` finds the
    # structured answers; and the fragments (-f/--sf) each turn used, stored once per content
    # hash however many turns use them.
    db.execute("ALTER TABLE turns ADD COLUMN schema TEXT")
    db.execute(
        """
        CREATE TABLE fragments (
            hash TEXT PRIMARY KEY,
            content TEXT NOT NULL,
            source TEXT NOT NULL,
            created_at REAL NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE turn_fragments (
            response_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            system INTEGER NOT NULL,
            hash TEXT NOT NULL REFERENCES fragments (hash),
            PRIMARY KEY (response_id, system, position)
        )
        """
    )


def m005_usage_cost(db: sqlite3.Connection) -> None:
    # What each turn cost (all its responses: tool rounds included), in `currency`, and the tier
    # the service ran it on. `metered` is 1 for turns recorded since; older rows have NULL cost
    # and metered, and show as unknown, never as zero. A NULL cost on a metered row: no price.
    for column in (
        "cost REAL",
        "currency TEXT",
        "service_tier TEXT",
        "model TEXT",
        "responses INTEGER",
        "metered INTEGER",
    ):
        db.execute(f"ALTER TABLE turns ADD COLUMN {column}")
    db.execute("CREATE INDEX turns_by_start ON turns (started_at)")


MIGRATIONS: tuple[tuple[str, Migration], ...] = (
    ("m001_initial", m001_initial),
    ("m002_full_text_search", m002_full_text_search),
    ("m003_background_jobs", m003_background_jobs),
    ("m004_structured_and_fragments", m004_structured_and_fragments),
    ("m005_usage_cost", m005_usage_cost),
)


def fts5_available(db: sqlite3.Connection) -> bool:
    """Whether this SQLite build has FTS5 (most do; some distributions' builds do not)."""
    try:
        db.execute("CREATE VIRTUAL TABLE temp.azresp_fts5_probe USING fts5(x)")
    except sqlite3.OperationalError:
        return False
    db.execute("DROP TABLE temp.azresp_fts5_probe")
    return True


def migrate(db: sqlite3.Connection) -> list[str]:
    """Apply the migrations not yet applied, each in its own transaction; return their names.

    ``db`` must be in autocommit mode (``isolation_level=None``) so each migration's DDL and its
    ``_migrations`` row commit together. Which are applied is read first, without a lock: an
    up-to-date database (every open but the first) takes no write lock at all, so many azresp
    processes can open it at once. When one is due, ``BEGIN IMMEDIATE`` makes a second process
    that migrates at the same moment wait and then see the migration as done.
    """
    done = _applied(db)
    if all(name in done for name, _migration in MIGRATIONS):
        return []
    db.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at REAL NOT NULL)"
    )
    applied = []
    for name, migration in MIGRATIONS:
        if name in done:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            if db.execute("SELECT 1 FROM _migrations WHERE name = ?", (name,)).fetchone():
                db.execute("ROLLBACK")
                continue
            migration(db)
            db.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", (name, time.time())
            )
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:  # SQLite may have rolled back already (a full disk)
                db.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


def _applied(db: sqlite3.Connection) -> set[str]:
    try:
        return {str(row[0]) for row in db.execute("SELECT name FROM _migrations")}
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return set()  # a new database
        raise
