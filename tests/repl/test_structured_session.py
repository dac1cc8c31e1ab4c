"""The chat session under /schema (answers checked and shown as JSON, errors as one line, the
session going on) and /template with a prompt (the next message is its $input), typed through
prompt-toolkit pipe input against the emulator."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from azresp_fixtures import Seen
from template_support import template, user_texts

RunKeys = Callable[[Any, str], Seen]
Bodies = Callable[[], list[dict[str, Any]]]


def answers(tmp_path: Path) -> list[tuple[str, str]]:
    db = sqlite3.connect(tmp_path / "data" / "history.db")
    try:
        return list(db.execute("SELECT prompt, answer FROM turns ORDER BY id"))
    finally:
        db.close()


def test_a_schema_answer_is_checked_and_shown_once_as_json(
    make_session: Any, type_keys: RunKeys
) -> None:
    seen = type_keys(make_session(), "/schema name, age int\rinvent someone\r/exit\r")
    expected = json.dumps({"name": "example", "age": 1}, indent=2)
    assert expected in seen.stdout
    assert seen.stdout.count('"name"') == 1  # not streamed raw, then again
    assert "error:" not in seen.stderr


def test_a_refusal_and_an_invalid_instance_are_error_lines_and_the_session_goes_on(
    make_session: Any, type_keys: RunKeys, tmp_path: Path
) -> None:
    session = make_session()
    seen = type_keys(
        session,
        "/schema name, bio\r[[refuse:Not that one.]] who?\r[[truncate]] describe\r"
        '[[reply:{"name": 3, "bio": "x"}]] again\r/schema off\rplain now\r/exit\r',
    )
    errors = [line for line in seen.stderr.splitlines() if line.startswith("error: ")]
    assert errors == [
        "error: the model refused to answer: Not that one.",
        "error: the answer was cut short (max_output_tokens) and is not valid JSON",
        "error: the answer does not fit the schema: $.name: expected string, got integer",
    ]
    assert "hint: the raw answer is in the history" in seen.stderr
    assert "plain now" in seen.stdout  # the emulator echoes it: the session went on, as text
    kept = answers(tmp_path)
    assert kept[0][1] == "Not that one."  # the raw text of each turn is in the history
    assert kept[1][1].startswith('{"name"') and not kept[1][1].endswith("}")
    assert json.loads(kept[2][1]) == {"name": 3, "bio": "x"}
    assert len(kept) == 4


def write_template(tmp_path: Path, name: str, text: str) -> Path:
    config_dir = tmp_path / "config"
    template(config_dir, name, text)
    return config_dir


def test_a_template_prompt_takes_the_next_message_as_its_input(
    make_session: Any, type_keys: RunKeys, create_bodies: Bodies, tmp_path: Path
) -> None:
    config_dir = write_template(
        tmp_path,
        "tr",
        'prompt = "Translate into $lang: $input"\nsystem = "You are $who."\n'
        '[defaults]\nlang = "French"\n',
    )
    session = make_session()
    session.config_dir = config_dir
    seen = type_keys(session, "/template tr who='a poet' lang=Welsh\rgood morning\rand you?\r\x04")
    assert "template 'tr' applied; your next message is its $input" in seen.stdout
    first, second = create_bodies()
    assert user_texts(first) == ["Translate into Welsh: good morning"]
    assert first["instructions"] == "You are a poet."
    assert user_texts(second) == ["and you?"]  # once: then prompts are sent as typed
    assert second["instructions"] == "You are a poet."  # the settings stay


def test_a_missing_parameter_changes_nothing_and_off_drops_a_waiting_prompt(
    make_session: Any, type_keys: RunKeys, create_bodies: Bodies, tmp_path: Path
) -> None:
    config_dir = write_template(
        tmp_path, "tr", 'prompt = "Translate into $lang: $input"\neffort = "high"\n'
    )
    session = make_session()
    session.config_dir = config_dir
    seen = type_keys(session, "/template tr\r/template tr lang=Welsh\r/template off\rhello\r\x04")
    assert "error: template 'tr' needs parameter 'lang'" in seen.stderr
    assert "hint: pass --param lang VALUE" in seen.stderr
    assert "template prompt dropped: your next message is sent as typed" in seen.stdout
    body = create_bodies()[-1]
    assert user_texts(body) == ["hello"]
    assert body["reasoning"] == {"effort": "high"}  # off keeps the template's settings
    seen = type_keys(session, "/template off\r\x04")
    assert "no template prompt is waiting" in seen.stdout


def test_a_template_prompt_that_needs_no_input_is_sent_at_once(
    make_session: Any, type_keys: RunKeys, create_bodies: Bodies, tmp_path: Path
) -> None:
    config_dir = write_template(tmp_path, "standup", 'prompt = "Write my $day stand-up notes."\n')
    session = make_session()
    session.config_dir = config_dir
    seen = type_keys(session, "/template standup day=Monday\r\x04")
    assert "its prompt needs no input, so it is sent now" in seen.stdout
    assert [user_texts(body) for body in create_bodies()] == [["Write my Monday stand-up notes."]]


def test_a_template_s_attachments_go_with_the_next_prompt_and_its_tools_are_named(
    make_session: Any, type_keys: RunKeys, create_bodies: Bodies, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Deploys happen on Tuesdays.")
    config_dir = write_template(
        tmp_path, "ops", f'attachments = ["{notes}"]\n[tools]\nweb_search = true\n'
    )
    session = make_session()
    session.config_dir = config_dir
    seen = type_keys(session, "/template ops\rwhen?\ragain?\r\x04")
    assert (
        "template 'ops' has tools, which /template does not turn on: "
        "start the session with azresp chat -t ops for them"
    ) in seen.stdout
    first, second = create_bodies()
    assert "Deploys happen on Tuesdays." in json.dumps(first["input"])
    assert "tools" not in first
    assert second["input"] == "again?"  # the attachment went with one prompt
