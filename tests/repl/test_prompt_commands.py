"""/schema, /template and /fragment in the chat session, seen on the wire."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from azresp_cli.core.errors import NotFoundError, UsageError
from azresp_cli.repl import slash
from azresp_cli.repl.commands import dispatch


class ListScreen:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def info(self, text: str) -> None:
        self.lines.append(text)

    def plain(self, text: str) -> None:
        self.lines.append(text)

    def response(self, record: Any) -> None:
        self.lines.append(record.output_text)


Bodies = Callable[[], list[dict[str, Any]]]


def test_schema_then_off(make_session: Any, answer: Any, create_bodies: Bodies) -> None:
    session, screen = make_session(), ListScreen()
    dispatch(slash.parse("/schema name, age int"), session, screen)
    assert screen.lines == ["schema 'answer': answers are JSON with name, age"]
    assert json.loads(answer(session, "who?")) == {"name": "example", "age": 1}
    assert create_bodies()[-1]["text"]["format"]["schema"]["required"] == ["name", "age"]
    dispatch(slash.parse("/schema off"), session, screen)
    assert screen.lines[-1] == "no schema: answers are text"
    answer(session, "and now?")
    assert "text" not in create_bodies()[-1]
    with pytest.raises(UsageError) as bad:
        dispatch(slash.parse("/schema name, age integ"), session, screen)
    assert bad.value.message == "unknown type 'integ' for schema field 'age'"


def test_template_applies_options_schema_and_fragments(
    make_session: Any, answer: Any, create_bodies: Bodies, tmp_path: Path
) -> None:
    config_dir = tmp_path / "config"
    (config_dir / "templates").mkdir(parents=True)
    (tmp_path / "glossary.md").write_text("SSE: server-sent events")
    (config_dir / "templates" / "terse.toml").write_text(
        'system = "Answer in $lang."\neffort = "low"\nschema = "answer"\n'
        f'fragments = ["{tmp_path / "glossary.md"}"]\n[defaults]\nlang = "Welsh"\n'
    )
    session, screen = make_session(), ListScreen()
    session.config_dir = config_dir
    dispatch(slash.parse("/template terse"), session, screen)
    assert screen.lines == ["template 'terse' applied"]
    answer(session, "what is SSE?")
    body = create_bodies()[-1]
    assert body["instructions"] == "Answer in Welsh."
    assert body["reasoning"] == {"effort": "low"}
    assert body["text"]["format"]["schema"]["required"] == ["answer"]
    texts = [part["text"] for part in body["input"][0]["content"]]
    assert texts == ["SSE: server-sent events", "what is SSE?"]
    with pytest.raises(NotFoundError) as missing:
        dispatch(slash.parse("/template nope"), session, screen)
    assert missing.value.message == "no template 'nope'"


def test_fragment_goes_with_the_next_prompt_only(
    make_session: Any, answer: Any, create_bodies: Bodies, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Deploys happen on Tuesdays.")
    session, screen = make_session(), ListScreen()
    session.config_dir = tmp_path / "config"
    dispatch(slash.parse(f"/fragment {notes}"), session, screen)
    dispatch(slash.parse("/fragment"), session, screen)
    assert screen.lines == [
        f"fragment {notes} (27 characters) goes with the next prompt",
        f"next prompt's fragments: {notes}",
    ]
    answer(session, "when?")
    texts = [part["text"] for part in create_bodies()[-1]["input"][0]["content"]]
    assert texts == ["Deploys happen on Tuesdays.", "when?"]
    answer(session, "sure?")
    assert create_bodies()[-1]["input"] == "sure?"
