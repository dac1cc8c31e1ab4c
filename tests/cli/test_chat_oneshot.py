"""`azresp chat PROMPT`: what a user sees and what goes over the wire."""

from __future__ import annotations

import json
from pathlib import Path

from cli_support import RunCli
from spec_validation import assert_valid


def create_bodies(emulator: object) -> list[dict]:
    return [
        r.json
        for r in emulator.requests  # type: ignore[attr-defined]
        if r.method == "POST" and r.path.endswith("/responses")
    ]


def test_piped_answer_is_plain_text_and_footer_goes_to_stderr(
    azresp: RunCli, emulator: object, emulator_env: dict[str, str]
) -> None:
    result = azresp("chat", "[[reply:Hello **world**]]", env=emulator_env)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Hello **world**\n"
    assert "\x1b" not in result.output
    assert "resp_" in result.stderr and " in · " in result.stderr and " out · " in result.stderr
    body = create_bodies(emulator)[-1]
    assert body["model"] == "gpt-test"
    assert body["stream"] is True
    assert_valid("CreateResponse", body)


def test_tty_answer_renders_markdown_with_colour(
    azresp: RunCli, emulator_env: dict[str, str]
) -> None:
    result = azresp("chat", "[[reply:# Title\n\nSome **bold** text]]", env=emulator_env, tty=True)
    assert result.exit_code == 0, result.stderr
    assert "\x1b[" in result.stdout
    assert "**" not in result.stdout  # rendered, not raw Markdown
    assert "Title" in result.stdout and "bold" in result.stdout


def test_no_color_on_a_tty_streams_plain_text(azresp: RunCli, emulator_env: dict[str, str]) -> None:
    for extra, flags in (({"NO_COLOR": "1"}, ()), ({}, ("--no-color",))):
        result = azresp(
            "chat", *flags, "[[reply:Some **bold** text]]", env={**emulator_env, **extra}, tty=True
        )
        assert result.exit_code == 0, result.stderr
        assert result.stdout == "Some **bold** text\n"
        assert "\x1b" not in result.output


def test_piped_stdin_alone_is_the_prompt(
    azresp: RunCli, emulator: object, emulator_env: dict[str, str]
) -> None:
    result = azresp("chat", stdin="[[echo]] what is 2+2?\n", env=emulator_env)
    assert result.exit_code == 0, result.stderr
    assert "what is 2+2?" in result.stdout
    assert create_bodies(emulator)[-1]["input"] == "[[echo]] what is 2+2?\n"


def test_piped_stdin_with_a_prompt_is_context_before_it(
    azresp: RunCli, emulator: object, emulator_env: dict[str, str]
) -> None:
    result = azresp("chat", "why did this fail?", stdin="ERROR: disk full\n", env=emulator_env)
    assert result.exit_code == 0, result.stderr
    body = create_bodies(emulator)[-1]
    message = body["input"][0]
    assert message["role"] == "user"
    assert [part["text"] for part in message["content"]] == [
        "ERROR: disk full\n",
        "why did this fail?",
    ]
    assert_valid("CreateResponse", body)


def test_options_reach_the_request(
    azresp: RunCli, emulator: object, emulator_env: dict[str, str]
) -> None:
    result = azresp(
        "chat",
        "-s",
        "Answer tersely",
        "--max-output-tokens",
        "500",
        "--effort",
        "low",
        "--summary",
        "auto",
        "--verbosity",
        "low",
        "hello",
        env=emulator_env,
    )
    assert result.exit_code == 0, result.stderr
    body = create_bodies(emulator)[-1]
    assert body["instructions"] == "Answer tersely"
    assert body["max_output_tokens"] == 500
    assert body["reasoning"] == {"effort": "low", "summary": "auto"}
    assert body["text"] == {"verbosity": "low"}
    assert_valid("CreateResponse", body)


def test_previous_chains_on_the_server(
    azresp: RunCli, emulator: object, emulator_env: dict[str, str]
) -> None:
    first = azresp("chat", "--json", "my name is Ada", env=emulator_env)
    first_id = json.loads(first.stdout)["id"]
    second = azresp("chat", "-p", first_id, "what is my name?", env=emulator_env)
    assert second.exit_code == 0, second.stderr
    assert "my name is Ada" in second.stdout  # the model saw turn 1 through the chain
    body = create_bodies(emulator)[-1]
    assert body["previous_response_id"] == first_id
    assert body["input"] == "what is my name?"  # nothing resent


def test_continue_follows_the_last_conversation(
    azresp: RunCli, emulator: object, emulator_env: dict[str, str]
) -> None:
    azresp("chat", "first prompt", env=emulator_env)
    azresp("chat", "-c", "second prompt", env=emulator_env)
    third = azresp("chat", "-c", "third prompt", env=emulator_env)
    assert third.exit_code == 0, third.stderr
    assert "first prompt" in third.stdout and "second prompt" in third.stdout
    bodies = create_bodies(emulator)
    assert bodies[-1]["previous_response_id"] and bodies[-2]["previous_response_id"]
    assert bodies[-1]["input"] == "third prompt"


def test_continue_without_history_is_a_usage_error(
    azresp: RunCli, emulator_env: dict[str, str]
) -> None:
    result = azresp("chat", "-c", "hello", env=emulator_env)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert "hint: " in result.stderr


def test_no_store_replays_the_items_itself(
    azresp: RunCli, emulator: object, emulator_env: dict[str, str]
) -> None:
    first = azresp("chat", "--no-store", "--effort", "low", "my name is Ada", env=emulator_env)
    assert first.exit_code == 0, first.stderr
    second = azresp("chat", "-c", "what is my name?", env=emulator_env)
    assert second.exit_code == 0, second.stderr
    assert "my name is Ada" in second.stdout
    first_body, second_body = create_bodies(emulator)[-2:]
    assert first_body["store"] is False
    assert first_body["include"] == ["reasoning.encrypted_content"]
    assert "previous_response_id" not in second_body
    replayed = second_body["input"]
    kinds = [item.get("type") for item in replayed]
    assert kinds[0] == "message" and kinds[-1] == "message"
    assert "reasoning" in kinds  # encrypted reasoning replayed
    reasoning = next(item for item in replayed if item.get("type") == "reasoning")
    assert reasoning["encrypted_content"]
    assert_valid("CreateResponse", second_body)


def test_json_prints_the_final_response_object(
    azresp: RunCli, emulator_env: dict[str, str]
) -> None:
    result = azresp("chat", "--json", "[[reply:hi there]]", env=emulator_env)
    assert result.exit_code == 0, result.stderr
    response = json.loads(result.stdout)
    assert response["object"] == "response"
    assert response["status"] == "completed"
    assert_valid("Response", response)


def test_jsonl_prints_every_stream_event(azresp: RunCli, emulator_env: dict[str, str]) -> None:
    result = azresp("chat", "--jsonl", "[[reply:one two three]]", env=emulator_env)
    assert result.exit_code == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert events[0]["type"] == "response.created"
    assert events[-1]["type"] == "response.completed"
    assert [e["sequence_number"] for e in events] == list(range(len(events)))
    text = "".join(e["delta"] for e in events if e["type"] == "response.output_text.delta")
    assert text == "one two three"


def test_no_stream_sends_no_stream_flag(
    azresp: RunCli, emulator: object, emulator_env: dict[str, str]
) -> None:
    result = azresp("chat", "--no-stream", "[[reply:whole answer]]", env=emulator_env)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "whole answer\n"
    assert "stream" not in create_bodies(emulator)[-1]


def test_json_and_jsonl_together_are_refused(azresp: RunCli, emulator_env: dict[str, str]) -> None:
    result = azresp("chat", "--json", "--jsonl", "hi", env=emulator_env)
    assert result.exit_code == 2


def test_emulator_flag_needs_no_configuration(azresp: RunCli, tmp_path: Path) -> None:
    result = azresp("chat", "--emulator", "[[reply:offline answer]]")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "offline answer\n"
