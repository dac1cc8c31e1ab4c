"""`bg start` starts its turn as `chat` does: the same checks on -c, -p and the options."""

from __future__ import annotations

import json

from azresp_fixtures import Bodies, assert_one_error
from cli_support import RunCli


def test_continue_refuses_a_conversation_of_another_endpoint_as_chat_does(
    azresp: RunCli, emulator_env: dict[str, str], creates: Bodies
) -> None:
    # Recorded against the in-process emulator (--emulator), not the endpoint of emulator_env.
    first = azresp("chat", "--emulator", "my name is Ada")
    assert first.exit_code == 0, first.stderr

    chat = azresp("chat", "-c", "what is my name?", env=emulator_env)
    job = azresp("bg", "start", "-c", "what is my name?", env=emulator_env)

    for result in (chat, job):
        assert_one_error(result, 2)
        assert "error: that conversation is on in-process, not 127.0.0.1" in result.stderr
    assert job.stderr == chat.stderr
    assert creates() == []  # nothing was sent: not the foreign id, not a new conversation


def test_continue_carries_the_chain_and_its_instructions_as_chat_does(
    azresp: RunCli, emulator_env: dict[str, str], creates: Bodies
) -> None:
    first = azresp("chat", "--json", "-s", "Answer in French.", "my name is Ada", env=emulator_env)
    assert first.exit_code == 0, first.stderr
    first_id = json.loads(first.stdout)["id"]

    started = azresp("bg", "start", "-c", "what is my name?", env=emulator_env)
    assert started.exit_code == 0, started.stderr
    chat = azresp("chat", "-c", "what is my name?", env=emulator_env)
    assert chat.exit_code == 0, chat.stderr

    job_body, chat_body = creates()[-2:]
    assert job_body["background"] is True and "background" not in chat_body
    for body in (job_body, chat_body):
        assert body["previous_response_id"] == first_id
        assert body["instructions"] == "Answer in French."  # -c keeps the conversation's
