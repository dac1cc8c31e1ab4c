"""Issue 12 item 6, on the command line: every id tried, ids checked before any request,
truncation detectable, nothing printed silently lost, interrupted answers kept."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from cli_support import RunCli


def _ids(azresp: RunCli, env: dict[str, str], count: int) -> list[str]:
    ids = []
    for number in range(count):
        result = azresp("chat", "--json", f"[[reply:answer {number}]]", env=env)
        assert result.exit_code == 0, result.stderr
        ids.append(json.loads(result.stdout)["id"])
    return ids


def test_delete_tries_every_id_and_exits_4_when_one_was_missing(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any
) -> None:
    first, last = _ids(azresp, emulator_env, 2)
    missing = "resp_0000000000000000000000000000000000000000000000"
    result = azresp("delete", first, missing, last, env=emulator_env)
    assert result.exit_code == 4
    lines = result.stderr.splitlines()
    assert lines[0] == f"deleted {first}"
    assert lines[1].startswith("error: ") and missing in lines[1]
    assert f"deleted {last}" in lines
    assert lines[-2] == "error: 1 of 3 responses not deleted"
    deletes = [r.path for r in emulator.requests if r.method == "DELETE"]
    assert [p.rsplit("/", 1)[-1] for p in deletes] == [first, missing, last]
    assert azresp("get", last, env=emulator_env).exit_code == 4  # really gone


@pytest.mark.parametrize(
    "argv",
    [
        ("files", "delete", "../responses/resp_x"),
        ("files", "download", "../responses/resp_x", "-o", "out.bin"),
        ("get", "../responses/resp_x"),
        ("items", "resp_x/../../files"),
        ("delete", "resp_x?x=1"),
        ("bg", "poll", "../x"),
        ("bg", "cancel", "%2e%2e"),
        ("bg", "stream", "a/b"),
        ("compact", "../x"),
        ("chat", "-p", "../x", "hi"),
        ("chat", "--no-history", "-p", "resp_x\n", "hi"),
    ],
)
def test_ids_are_checked_before_any_request(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any, argv: tuple[str, ...]
) -> None:
    result = azresp(*argv, env=emulator_env)
    assert result.exit_code == 2, result.stderr
    assert "is not a valid" in result.stderr and "(letters, digits, _ and - only)" in result.stderr
    assert emulator.requests == []


def test_a_cut_answer_exits_8_with_the_partial_answer_printed(
    azresp: RunCli, emulator_env: dict[str, str]
) -> None:
    result = azresp("chat", "--max-output-tokens", "16", "[[long:400]]", env=emulator_env)
    assert result.exit_code == 8, result.stderr
    assert len(result.stdout.split()) > 5  # the partial answer is there
    assert "error: the answer is incomplete (max_output_tokens)" in result.stderr
    as_json = azresp(
        "chat", "--json", "--max-output-tokens", "16", "[[long:400]]", env=emulator_env
    )
    assert as_json.exit_code == 8
    assert json.loads(as_json.stdout)["status"] == "incomplete"
    whole = azresp("chat", "[[reply:short]]", env=emulator_env)
    assert whole.exit_code == 0


def test_jsonl_without_a_stream_is_refused(azresp: RunCli, emulator_env: dict[str, str]) -> None:
    result = azresp("chat", "--no-stream", "--jsonl", "hi", env=emulator_env)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: --jsonl prints the stream's events")


def test_an_answer_cut_off_is_kept_in_the_history_marked_partial(
    azresp: RunCli, emulator_env: dict[str, str], dirs: tuple[Path, Path]
) -> None:
    complete = azresp("chat", "--json", "[[reply:the whole answer]]", env=emulator_env)
    first = json.loads(complete.stdout)["id"]
    broken = azresp("chat", "-c", "[[long:300]] [[fault:cut:12]]", env=emulator_env)
    assert broken.exit_code == 7
    shown = broken.stdout.strip()
    assert shown
    with sqlite3.connect(dirs[1] / "history.db") as db:
        rows = db.execute("SELECT response_id, status, answer, parent_id FROM turns").fetchall()
    assert rows[0][:2] == (first, "completed")
    assert rows[1][1] == "partial" and rows[1][2].strip() == shown and rows[1][3] == first
    listed = azresp("history", "show", rows[1][0], env=emulator_env)
    assert "partial" in listed.stdout
    # The next -c goes on from the last complete answer, not from the partial one.
    again = azresp("chat", "--json", "-c", "[[echo]] go on", env=emulator_env)
    assert json.loads(again.stdout)["previous_response_id"] == first
