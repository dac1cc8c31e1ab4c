"""`azresp history list|show|search` on a history database made in tmp_path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import RunCli

from azresp_cli.core.events import Usage
from azresp_cli.core.history import HistoryStore, NewTurn, history_path

ENDPOINT = "https://res.openai.azure.com/openai/v1/"


def record(data_dir: Path, *turns: tuple[str, str, str, str | None, str]) -> None:
    store = HistoryStore.open(history_path(data_dir))
    for number, (conversation, response_id, prompt, parent, answer) in enumerate(turns):
        store.record(
            NewTurn(
                conversation_id=conversation,
                response_id=response_id,
                parent_id=parent,
                previous_response_id=parent,
                prompt=prompt,
                answer=answer,
                instructions=None,
                deployment="gpt-4.1",
                endpoint=ENDPOINT,
                status="completed",
                stored=True,
                usage=Usage(input_tokens=12, output_tokens=34),
                started_at=1_700_000_000 + number * 60,
                finished_at=1_700_000_001 + number * 60,
            )
        )
    store.close()


@pytest.fixture
def filled(data_dir: Path) -> Path:
    record(
        data_dir,
        ("conv_one", "resp_1", "how do I vacuum postgres?", None, "Run VACUUM ANALYZE."),
        ("conv_one", "resp_2", "and autovacuum?", "resp_1", "It runs vacuum by itself."),
        ("conv_two", "resp_3", "write a haiku\nabout rain", None, "Rain on the window"),
    )
    return data_dir


def test_list_shows_recent_conversations(azresp: RunCli, filled: Path) -> None:
    result = azresp("history", "list")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["CONVERSATION", "WHEN", "TURNS", "FIRST", "PROMPT"]
    assert lines[1].startswith("conv_two") and lines[1].endswith("write a haiku about rain")
    assert lines[2].startswith("conv_one") and " 2 " in lines[2]


def test_list_json(azresp: RunCli, filled: Path) -> None:
    listed = json.loads(azresp("history", "list", "--json").stdout)
    assert [c["id"] for c in listed] == ["conv_two", "conv_one"]
    assert listed[1] | {"created_at": None, "updated_at": None} == {
        "id": "conv_one",
        "created_at": None,
        "updated_at": None,
        "turns": 2,
        "first_prompt": "how do I vacuum postgres?",
        "last_response_id": "resp_2",
        "stored": True,
        "deployment": "gpt-4.1",
        "endpoint_host": "res.openai.azure.com",
    }


def test_show_a_conversation_and_a_response(azresp: RunCli, filled: Path) -> None:
    shown = azresp("history", "show", "conv_one")
    assert shown.exit_code == 0
    assert "> how do I vacuum postgres?" in shown.stdout
    assert "Run VACUUM ANALYZE." in shown.stdout and "It runs vacuum by itself." in shown.stdout
    assert "conversation conv_one · 2 turns" in shown.stderr
    one = json.loads(azresp("history", "show", "resp_3", "--json").stdout)
    assert (one["prompt"], one["answer"], one["conversation_id"]) == (
        "write a haiku\nabout rain",
        "Rain on the window",
        "conv_two",
    )
    assert one["usage"]["output_tokens"] == 34
    whole = json.loads(azresp("history", "show", "conv_one", "--json").stdout)
    assert [t["response_id"] for t in whole["turns"]] == ["resp_1", "resp_2"]


def test_show_an_unknown_id_is_not_found(azresp: RunCli, filled: Path) -> None:
    result = azresp("history", "show", "conv_nope")
    assert result.exit_code == 4
    assert result.stderr.startswith("error: no conversation or response 'conv_nope'")


def test_search(azresp: RunCli, filled: Path) -> None:
    result = azresp("history", "search", "vacuum")
    assert result.exit_code == 0
    assert [line.split()[0] for line in result.stdout.splitlines()[1:]] == ["resp_2", "resp_1"]
    found = json.loads(azresp("history", "search", "rain window", "--json").stdout)
    assert [t["response_id"] for t in found] == ["resp_3"]
    nothing = azresp("history", "search", "kubernetes")
    assert (nothing.exit_code, nothing.stdout) == (0, "")
    assert "nothing matches" in nothing.stderr


def test_no_history_yet_is_empty_and_creates_nothing(azresp: RunCli, data_dir: Path) -> None:
    assert json.loads(azresp("history", "list", "--json").stdout) == []
    assert azresp("history", "search", "x", "--json").stdout.strip() == "[]"
    assert not data_dir.exists()


def test_a_corrupt_database_is_an_error_with_a_hint(azresp: RunCli, data_dir: Path) -> None:
    data_dir.mkdir()
    history_path(data_dir).write_bytes(b"not sqlite at all" * 200)
    result = azresp("history", "list")
    assert result.exit_code == 1
    assert "is damaged" in result.stderr and "hint: move the file away" in result.stderr
