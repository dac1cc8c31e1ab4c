"""What `azresp chat` records in the history, and how it carries on when it cannot."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from cli_support import TEST_KEY, RunCli

from azresp_cli.core.history import history_path


@pytest.fixture
def emulator_env(emulator: Any) -> dict[str, str]:
    return {
        "AZURE_OPENAI_ENDPOINT": emulator.base_url,
        "AZURE_OPENAI_API_KEY": TEST_KEY,
        "AZURE_OPENAI_DEPLOYMENT": "gpt-test",
    }


def rows(data_dir: Path) -> list[sqlite3.Row]:
    db = sqlite3.connect(history_path(data_dir))
    db.row_factory = sqlite3.Row
    found = db.execute("SELECT * FROM turns ORDER BY id").fetchall()
    db.close()
    return found


def test_one_shot_turns_are_recorded_and_continue_one_conversation(
    azresp: RunCli, emulator_env: dict[str, str], data_dir: Path
) -> None:
    first = azresp("chat", "my name is Ada", env=emulator_env)
    second = azresp("chat", "-c", "what is my name?", env=emulator_env)
    assert (first.exit_code, second.exit_code) == (0, 0), first.stderr + second.stderr

    turns = rows(data_dir)
    assert [t["prompt"] for t in turns] == ["my name is Ada", "what is my name?"]
    assert turns[0]["conversation_id"] == turns[1]["conversation_id"]
    assert turns[1]["parent_id"] == turns[0]["response_id"]
    assert turns[1]["previous_response_id"] == turns[0]["response_id"]
    assert "Earlier you said" in turns[1]["answer"]
    assert turns[0]["deployment"] == "gpt-test"
    assert turns[0]["endpoint_host"].startswith("127.0.0.1:")
    assert turns[0]["stored"] == 1 and turns[0]["output_tokens"] > 0
    assert turns[0]["started_at"] <= turns[0]["finished_at"]

    listed = json.loads(azresp("history", "list", "--json").stdout)
    assert [(c["turns"], c["last_response_id"]) for c in listed] == [(2, turns[1]["response_id"])]


def test_a_new_prompt_without_c_starts_a_new_conversation(
    azresp: RunCli, emulator_env: dict[str, str], data_dir: Path
) -> None:
    azresp("chat", "one", env=emulator_env)
    azresp("chat", "two", env=emulator_env)
    first, second = rows(data_dir)
    assert first["conversation_id"] != second["conversation_id"]


def test_no_history_flag_and_profile_setting_record_nothing(
    azresp: RunCli, emulator_env: dict[str, str], data_dir: Path, tmp_path: Path
) -> None:
    assert azresp("chat", "--no-history", "hello", env=emulator_env).exit_code == 0
    assert not history_path(data_dir).exists()
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text(
        'default_profile = "quiet"\n[profiles.quiet]\nhistory = false\n'
    )
    assert azresp("chat", "hello", env=emulator_env).exit_code == 0
    assert not history_path(data_dir).exists()
    refused = azresp("chat", "-c", "again", env=emulator_env)
    assert refused.exit_code == 2 and "no local history" in refused.stderr


def test_a_bad_preference_is_a_config_error(
    azresp: RunCli, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text('history = "sometimes"\n')
    result = azresp("chat", "hello", env=emulator_env)
    assert result.exit_code == 2
    assert "history must be true or false" in result.stderr


def test_a_corrupt_database_warns_once_and_the_answer_still_comes(
    azresp: RunCli, emulator_env: dict[str, str], data_dir: Path
) -> None:
    data_dir.mkdir()
    history_path(data_dir).write_bytes(b"definitely not sqlite" * 100)
    result = azresp("chat", "[[reply:still answered]]", env=emulator_env)
    assert result.exit_code == 0
    assert result.stdout == "still answered\n"
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert "history is off for this session" in warnings[0] and "damaged" in warnings[0]


def test_a_locked_database_warns_and_the_answer_still_comes(
    azresp: RunCli, emulator_env: dict[str, str], data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    azresp("chat", "create the database", env=emulator_env)
    # the lock is held for the whole run: waiting out the real 30 s would only slow the suite
    monkeypatch.setattr("azresp_cli.core.history.BUSY_TIMEOUT", 0.2)
    locker = sqlite3.connect(history_path(data_dir), isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        result = azresp("chat", "[[reply:answered anyway]]", env=emulator_env)
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert result.exit_code == 0 and result.stdout == "answered anyway\n"
    assert "warning: history is off for this session" in result.stderr
    assert "locked" in result.stderr


def test_the_api_key_never_reaches_the_database(
    azresp: RunCli, emulator_env: dict[str, str], data_dir: Path
) -> None:
    result = azresp("chat", f"[[echo]] my key is {TEST_KEY}", env=emulator_env)
    assert result.exit_code == 0
    raw = history_path(data_dir).read_bytes()
    assert TEST_KEY.encode() not in raw
    assert b"my key is ***" in raw


def test_stateless_one_shot_turns_store_their_items_for_c(
    azresp: RunCli, emulator_env: dict[str, str], data_dir: Path, emulator: Any
) -> None:
    azresp("chat", "--no-store", "--effort", "low", "my name is Ada", env=emulator_env)
    (turn,) = rows(data_dir)
    items = json.loads(turn["items"])
    assert turn["stored"] == 0
    assert items[0]["type"] == "message"
    assert any(i["type"] == "reasoning" and i["encrypted_content"] for i in items)
    second = azresp("chat", "-c", "what is my name?", env=emulator_env)
    assert 'Earlier you said: "my name is Ada"' in second.stdout
