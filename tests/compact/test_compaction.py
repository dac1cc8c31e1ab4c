"""`azresp compact ID` and `/compact`: over the wire, the figures shown, and the chain that goes
on from the compacted items (or stays as it was where the endpoint has no compact)."""

from __future__ import annotations

import json
import re
from typing import Any

from azresp_fixtures import Bodies, assert_one_error
from cli_support import RunCli

from azresp_cli.emulator.runner import EmulatorConfig


def chat_id(azresp: RunCli, env: dict[str, str], *args: str) -> str:
    result = azresp("chat", "--json", *args, env=env)
    assert result.exit_code == 0, result.stderr
    return str(json.loads(result.stdout)["id"])


def compact_bodies(recorded: Any) -> list[Any]:
    return [r.json for r in recorded("POST", "/responses/compact")]


def test_compact_shows_the_tokens_and_chat_goes_on_from_the_compacted_items(
    azresp: RunCli, emulator_env: dict[str, str], creates: Bodies, recorded: Any
) -> None:
    chat_id(azresp, emulator_env, "my name is Ada")
    last = chat_id(azresp, emulator_env, "-c", "I live in Paris")
    result = azresp("compact", last, env=emulator_env)
    assert result.exit_code == 0, result.stderr
    compaction_id = result.stdout.strip()
    assert compaction_id and result.stdout.count("\n") == 1
    before, after = map(
        int, re.findall(rf"compacted {last}: (\d+) → (\d+) input tokens", result.stderr)[0]
    )
    assert before > after > 0
    assert compact_bodies(recorded) == [{"model": "gpt-test", "previous_response_id": last}]

    follow = azresp("chat", "-c", "what is my name?", env=emulator_env)
    assert follow.exit_code == 0, follow.stderr
    assert "my name is Ada" in follow.stdout  # remembered through the compaction item
    body = creates()[-1]
    assert "previous_response_id" not in body and body["store"] is True
    kinds = [item["type"] for item in body["input"]]
    assert kinds == ["message", "message", "compaction", "message"]

    then = azresp("chat", "-c", "and where do I live?", env=emulator_env)
    assert "**Turn 4**" in then.stdout  # both compacted messages still count
    assert creates()[-1]["previous_response_id"]  # from here on, chained by id again


def test_where_compact_is_not_offered_it_says_so_and_changes_nothing(
    azresp: RunCli, emulator_env: dict[str, str], emulator_factory: Any, creates: Bodies
) -> None:
    azure_like = emulator_factory(EmulatorConfig(supports_compact=False))
    env = {**emulator_env, "AZURE_OPENAI_ENDPOINT": azure_like.base_url}
    last = chat_id(azresp, env, "my name is Ada")
    line = assert_one_error(azresp("compact", last, env=env), 1)
    assert "does not support compaction" in line and "HTTP 404" in line and "request id " in line
    follow = azresp("chat", "-c", "what is my name?", env=env)
    assert follow.exit_code == 0, follow.stderr
    assert creates_on(azure_like)[-1]["previous_response_id"] == last


def creates_on(emulator: Any) -> list[Any]:
    return [
        r.json
        for r in emulator.requests
        if r.method == "POST" and r.path.endswith("/openai/v1/responses")
    ]


def test_a_stateless_conversation_is_compacted_from_its_items(
    azresp: RunCli, emulator_env: dict[str, str], creates: Bodies, recorded: Any
) -> None:
    last = chat_id(azresp, emulator_env, "--no-store", "--effort", "low", "my name is Ada")
    result = azresp("compact", last, env=emulator_env)
    assert result.exit_code == 0, result.stderr
    (body,) = compact_bodies(recorded)
    assert "previous_response_id" not in body
    assert [item["type"] for item in body["input"]] == ["message", "reasoning", "message"]
    follow = azresp("chat", "-c", "what is my name?", env=emulator_env)
    assert "my name is Ada" in follow.stdout
    sent = creates()[-1]
    assert sent["store"] is False  # it goes on stateless, as it was
    assert [item["type"] for item in sent["input"]] == ["message", "compaction", "message"]


def test_the_chat_session_compacts_with_a_slash_command(
    repl: Any, emulator: Any, creates: Bodies, recorded: Any
) -> None:
    seen = repl(
        emulator.base_url,
        "/compact\rmy name is Ada\r/compact\rwhat is my name?\r/exit\r",
    )
    assert "nothing to compact yet" in seen.stderr
    assert re.search(r"compacted the conversation: \d+ → \d+ input tokens", seen.stdout)
    assert "my name is Ada" in seen.stdout.split("what is my name?")[-1]
    assert len(compact_bodies(recorded)) == 1
    body = creates()[-1]
    assert "previous_response_id" not in body
    assert [item["type"] for item in body["input"]] == ["message", "compaction", "message"]


def test_the_chat_session_says_in_one_line_when_compact_is_not_offered(
    repl: Any, emulator_factory: Any
) -> None:
    azure_like = emulator_factory(EmulatorConfig(supports_compact=False))
    seen = repl(azure_like.base_url, "my name is Ada\r/compact\rwhat is my name?\r/exit\r")
    lines = [line for line in seen.stdout.splitlines() if "compaction" in line]
    assert len(lines) == 1 and "the conversation is unchanged" in lines[0]
    assert "HTTP 404" in lines[0] and "request id " in lines[0]
    bodies = creates_on(azure_like)
    assert bodies[-1]["previous_response_id"]  # still chained by id, as before
    assert "error:" not in seen.stderr
