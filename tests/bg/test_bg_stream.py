"""Following a background response's stream: resumed after drops with no text twice and none
missed, and finished by polling when the service will not replay it (docs/protocol.md §7)."""

from __future__ import annotations

import json
from typing import Any

from azresp_fixtures import Bodies, assert_one_error, output_text, wait_for_status
from cli_support import RunCli

LONG = "[[long:150]]"


def start(azresp: RunCli, env: dict[str, str], prompt: str) -> str:
    result = azresp("bg", "start", prompt, env=env)
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip()


def replays(recorded: Any, response_id: str) -> list[dict[str, str]]:
    """The query of every stream replay azresp asked for."""
    return [
        r.query
        for r in recorded("GET", f"/responses/{response_id}")
        if r.query.get("stream") == "true"
    ]


def test_stream_prints_the_whole_answer(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any
) -> None:
    response_id = start(azresp, emulator_env, f"[[slow:3]] {LONG}")
    result = azresp("bg", "stream", response_id, env=emulator_env)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == output_text(emulator, response_id).rstrip("\n") + "\n"


def test_every_drop_is_resumed_after_the_last_event_seen(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any, recorded: Any
) -> None:
    # Every connection carrying this response's stream closes after 5 events.
    response_id = start(azresp, emulator_env, f"[[fault:cut_every:5]] {LONG}")
    result = azresp("bg", "stream", "--jsonl", response_id, env=emulator_env)
    assert result.exit_code == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    numbers = [event["sequence_number"] for event in events]
    assert numbers == list(range(len(numbers)))  # each event once, none missing
    assert events[-1]["type"] == "response.completed"
    text = "".join(e["delta"] for e in events if e["type"] == "response.output_text.delta")
    assert text == output_text(emulator, response_id)
    queries = replays(recorded, response_id)
    assert len(queries) > 3
    cursors = [int(q["starting_after"]) for q in queries[1:]]
    assert cursors == sorted(cursors) and cursors[0] == 4  # after the 5th event (number 4)
    assert "resuming after event 4" in result.stderr


def test_the_text_after_resumes_is_exactly_the_answer(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any
) -> None:
    response_id = start(azresp, emulator_env, f"[[fault:cut_every:7]] {LONG}")
    result = azresp("bg", "stream", response_id, env=emulator_env)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == output_text(emulator, response_id).rstrip("\n") + "\n"


def test_after_n_starts_after_that_event(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any, recorded: Any
) -> None:
    response_id = start(azresp, emulator_env, LONG)
    wait_for_status(emulator, response_id, ("completed",))
    result = azresp("bg", "stream", "--jsonl", "--after", "10", response_id, env=emulator_env)
    assert result.exit_code == 0, result.stderr
    first = json.loads(result.stdout.splitlines()[0])
    assert first["sequence_number"] == 11
    assert replays(recorded, response_id) == [{"stream": "true", "starting_after": "10"}]


def test_a_refused_replay_falls_back_to_polling_and_prints_the_answer(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any
) -> None:
    response_id = start(azresp, emulator_env, f"[[fault:no_resume]] {LONG}")
    wait_for_status(emulator, response_id, ("completed",))  # one poll will do
    result = azresp("bg", "stream", response_id, env=emulator_env)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == output_text(emulator, response_id).rstrip("\n") + "\n"
    assert "would not resume the stream" in result.stderr


def test_chat_background_streams_and_resumes_a_cut_without_sending_it_again(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any, creates: Bodies, recorded: Any
) -> None:
    result = azresp("chat", "--background", f"[[fault:cut:9]] {LONG}", env=emulator_env)
    assert result.exit_code == 0, result.stderr
    (body,) = creates()
    assert (body["background"], body["stream"], body["store"]) == (True, True, True)
    response_id = azresp("bg", "list", env=emulator_env).stdout.split("\t")[0]
    assert result.stdout == output_text(emulator, response_id).rstrip("\n") + "\n"
    assert replays(recorded, response_id) == [{"stream": "true", "starting_after": "8"}]
    assert f"the stream of {response_id} dropped; resuming after event 8" in result.stderr


def test_chat_background_falls_back_to_polling_when_the_resume_is_refused(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any, creates: Bodies
) -> None:
    result = azresp(
        "chat", "--background", f"[[fault:cut:9]] [[fault:no_resume]] {LONG}", env=emulator_env
    )
    assert result.exit_code == 0, result.stderr
    response_id = azresp("bg", "list", env=emulator_env).stdout.split("\t")[0]
    assert result.stdout == output_text(emulator, response_id).rstrip("\n") + "\n"
    assert len(creates()) == 1


def test_a_cancelled_job_ends_its_stream_with_exit_9(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any
) -> None:
    response_id = start(azresp, emulator_env, "[[slow:40]] [[long:300]]")
    assert azresp("bg", "cancel", response_id, env=emulator_env).exit_code == 0
    line = assert_one_error(azresp("bg", "stream", response_id, env=emulator_env), 9)
    assert "cancelled" in line


def test_the_background_chat_turn_is_recorded_as_a_job(
    azresp: RunCli, emulator_env: dict[str, str]
) -> None:
    result = azresp("chat", "--background", "hello there", env=emulator_env)
    assert result.exit_code == 0, result.stderr
    fields = azresp("bg", "list", env=emulator_env).stdout.split("\t")
    assert fields[1] == "completed" and fields[-1] == "hello there\n"
    follow = azresp("chat", "-c", "and again", env=emulator_env)
    assert "hello there" in follow.stdout  # the chain goes on from the background turn


def test_chat_background_always_streams(
    azresp: RunCli, emulator_env: dict[str, str], creates: Bodies
) -> None:
    result = azresp("chat", "--background", "--no-stream", "[[reply:done]]", env=emulator_env)
    assert (result.exit_code, result.stdout) == (0, "done\n"), result.stderr
    assert creates()[-1]["stream"] is True  # a job that is not streamed cannot be resumed


def test_get_stream_replays_a_background_response_like_bg_stream(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any, recorded: Any
) -> None:
    response_id = start(azresp, emulator_env, f"[[fault:cut_every:7]] {LONG}")
    result = azresp("get", response_id, "--stream", env=emulator_env)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == output_text(emulator, response_id).rstrip("\n") + "\n"
    after = azresp("get", response_id, "--stream", "--after", "10", env=emulator_env)
    assert after.exit_code == 0, after.stderr
    assert {"stream": "true", "starting_after": "10"} in replays(recorded, response_id)


def test_get_after_without_stream_is_a_usage_error(
    azresp: RunCli, emulator_env: dict[str, str]
) -> None:
    result = azresp("get", "resp_x", "--after", "3", env=emulator_env)
    assert result.exit_code == 2
    assert "--stream" in result.stderr
