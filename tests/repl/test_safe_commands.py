"""Issue 12 item 6, in the chat session: /save never overwrites, /previous checks the id at
once, hints name slash commands, and an answer stopped half-way is kept in the history."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from azresp_cli.core.events import TextDelta


def test_save_never_overwrites_a_file_nor_writes_through_a_symlink(
    make_session: Any, answer: Any, type_keys: Any, tmp_path: Path
) -> None:
    session = make_session()
    answer(session, "[[reply:worth keeping]]")
    existing = tmp_path / "notes.md"
    existing.write_text("my own notes")
    victim = tmp_path / "victim.txt"
    victim.write_text("not yours")
    link = tmp_path / "link.md"
    link.symlink_to(victim)
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "created-through-the-link.md")
    fresh = tmp_path / "fresh.md"
    seen = type_keys(
        session, f"/save {existing}\r/save {link}\r/save {dangling}\r/save {fresh}\r/exit\r"
    )
    assert existing.read_text() == "my own notes"
    assert victim.read_text() == "not yours"
    assert not (tmp_path / "created-through-the-link.md").exists()
    assert seen.stderr.count("exists; /save never overwrites a file") == 3
    assert "worth keeping" in fresh.read_text()
    assert f"saved 1 turn to {fresh}" in seen.stdout


def test_previous_with_an_unknown_id_is_refused_at_once(
    make_session: Any, answer: Any, type_keys: Any, create_bodies: Any
) -> None:
    session = make_session()
    answer(session, "[[reply:first]]")
    head = session.head
    missing = "resp_0000000000000000000000000000000000000000000000"
    seen = type_keys(session, f"/previous {missing}\r/previous ../x\r/exit\r")
    assert "error: " in seen.stderr and missing in seen.stderr
    assert "/history lists its response ids" in seen.stderr
    assert "is not a valid response id" in seen.stderr
    assert "continuing from" not in seen.stdout
    assert session.head == head  # nothing changed: the next turn goes on as before
    answer(session, "[[echo]] next")
    assert create_bodies()[-1]["previous_response_id"] == head


def test_hints_in_the_session_name_slash_commands(
    make_session: Any, type_keys: Any, emulator: Any
) -> None:
    session = make_session()
    session.continue_from("resp_0000000000000000000000000000000000000000000000")
    seen = type_keys(session, "hello\r/exit\r")
    assert "error: " in seen.stderr
    hint = next(line for line in seen.stderr.splitlines() if line.startswith("hint:"))
    assert "/new" in hint and "/previous ID" in hint
    assert "-p/--previous" not in hint


def test_an_answer_stopped_half_way_is_kept_marked_partial(
    make_session: Any, answer: Any, tmp_path: Path, create_bodies: Any
) -> None:
    session = make_session()
    answer(session, "[[reply:complete]]")
    head = session.head
    events = session.ask("[[slow:5]] [[long:400]]")
    shown = []
    for event in events:
        if isinstance(event, TextDelta):
            shown.append(event.text)
            if len(shown) == 5:
                break
    events.close()  # what Ctrl-C does: the consumer stops, the generator is closed
    with sqlite3.connect(tmp_path / "data" / "history.db") as db:
        rows = db.execute("SELECT status, answer, parent_id, prompt FROM turns").fetchall()
    assert rows[-1] == ("partial", "".join(shown), head, "[[slow:5]] [[long:400]]")
    assert session.head == head
    answer(session, "[[echo]] again")
    assert create_bodies()[-1]["previous_response_id"] == head
