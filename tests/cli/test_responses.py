"""`azresp get`, `items`, `delete` against stored responses on the emulator."""

from __future__ import annotations

import json

from cli_support import RunCli
from spec_validation import assert_valid


def make_response(azresp: RunCli, env: dict[str, str], prompt: str, *extra: str) -> str:
    result = azresp("chat", "--json", *extra, prompt, env=env)
    assert result.exit_code == 0, result.stderr
    return str(json.loads(result.stdout)["id"])


def test_get_prints_the_answer_text_or_the_object(
    azresp: RunCli, emulator_env: dict[str, str]
) -> None:
    response_id = make_response(azresp, emulator_env, "[[reply:stored answer]]")
    text = azresp("get", response_id, env=emulator_env)
    assert (text.exit_code, text.stdout) == (0, "stored answer\n")
    as_json = azresp("get", response_id, "--json", env=emulator_env)
    response = json.loads(as_json.stdout)
    assert response["id"] == response_id
    assert_valid("Response", response)


def test_items_lists_the_input_items_oldest_first(
    azresp: RunCli, emulator_env: dict[str, str]
) -> None:
    first = make_response(azresp, emulator_env, "first question")
    second = make_response(azresp, emulator_env, "second question", "-p", first)
    listed = azresp("items", second, env=emulator_env)
    assert listed.exit_code == 0, listed.stderr
    assert "second question" in listed.stdout
    assert "\x1b" not in listed.stdout
    as_json = json.loads(azresp("items", second, "--json", env=emulator_env).stdout)
    assert as_json["object"] == "list"
    ids = [item["id"] for item in as_json["data"]]
    assert ids and all(ids)
    assert as_json["first_id"] == ids[0] and as_json["last_id"] == ids[-1]
    limited = json.loads(azresp("items", second, "--json", "--limit", "1", env=emulator_env).stdout)
    assert len(limited["data"]) == 1


def test_delete_reports_on_stderr_and_the_response_is_gone(
    azresp: RunCli, emulator_env: dict[str, str]
) -> None:
    first = make_response(azresp, emulator_env, "one")
    second = make_response(azresp, emulator_env, "two")
    deleted = azresp("delete", first, second, env=emulator_env)
    assert deleted.exit_code == 0, deleted.stderr
    assert deleted.stdout == ""
    assert f"deleted {first}" in deleted.stderr and f"deleted {second}" in deleted.stderr
    assert azresp("get", first, env=emulator_env).exit_code == 4
    again = azresp("delete", first, env=emulator_env)
    assert again.exit_code == 4
