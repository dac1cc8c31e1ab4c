"""What the history keeps of a turn beyond its text: the schema it was asked with, and the
fragments it used, each fragment's content stored once (by SHA-256) however many turns use it.

A 200 KB file given with ``-f`` in 50 prompts is one row of ``fragments`` and 50 small rows of
``turn_fragments``; the prompt column holds only what was typed.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from azresp_cli.core.redact import redact


@dataclass(frozen=True)
class FragmentUse:
    content: str
    source: str  # the path, URL, alias or "-" it came from
    system: bool = False  # --sf: part of the instructions

    @property
    def hash(self) -> str:
        return content_hash(self.content)


def content_hash(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def record_extras(
    db: sqlite3.Connection,
    response_id: str,
    schema: str | None,
    fragments: Sequence[FragmentUse],
) -> None:
    """Inside the caller's transaction: the turn's schema and fragments."""
    if schema is not None:
        db.execute("UPDATE turns SET schema = ? WHERE response_id = ?", (schema, response_id))
    positions = {False: 0, True: 0}
    for fragment in fragments:
        content = redact(fragment.content)
        digest = content_hash(content)
        db.execute(
            "INSERT OR IGNORE INTO fragments (hash, content, source, created_at) "
            "VALUES (?, ?, ?, ?)",
            (digest, content, fragment.source, time.time()),
        )
        db.execute(
            "INSERT OR IGNORE INTO turn_fragments (response_id, position, system, hash) "
            "VALUES (?, ?, ?, ?)",
            (response_id, positions[fragment.system], int(fragment.system), digest),
        )
        positions[fragment.system] += 1


def structured_answers(
    db: sqlite3.Connection, response_ids: Sequence[str]
) -> list[tuple[str, Any]]:
    """(response id, JSON value) of each of ``response_ids`` asked with a schema whose answer
    is JSON, in the order given; a multi schema's answer gives one value per item."""
    found: list[tuple[str, Any]] = []
    for response_id in response_ids:
        row = db.execute(
            "SELECT schema, answer FROM turns WHERE response_id = ? AND schema IS NOT NULL",
            (response_id,),
        ).fetchone()
        if row is None:
            continue
        try:
            value = json.loads(row[1])
            multi = bool(json.loads(row[0]).get("multi"))
        except (json.JSONDecodeError, AttributeError):
            continue  # a refused or cut-off answer: its raw text is in `history show`
        if multi and isinstance(value, dict) and isinstance(value.get("items"), list):
            found.extend((response_id, item) for item in value["items"])
        else:
            found.append((response_id, value))
    return found


def turn_fragments(db: sqlite3.Connection, response_id: str) -> list[FragmentUse]:
    rows = db.execute(
        "SELECT f.content, f.source, tf.system FROM turn_fragments tf "
        "JOIN fragments f ON f.hash = tf.hash WHERE tf.response_id = ? "
        "ORDER BY tf.system DESC, tf.position",
        (response_id,),
    ).fetchall()
    return [FragmentUse(row[0], row[1], bool(row[2])) for row in rows]
