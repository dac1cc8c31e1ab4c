"""`azresp bg start | poll | cancel | list`: what a script sees, and what went over the wire."""

from __future__ import annotations

import json
from typing import Any

import pytest
from azresp_fixtures import Bodies, assert_one_error, output_text, wait_for_status
from cli_support import RunCli

SLOW = "[[slow:40]] [[long:300]]"  # a hundred deltas 40 ms apart: still running for a while


def start(azresp: RunCli, env: dict[str, str], prompt: str, *extra: str) -> str:
    result = azresp("bg", "start", *extra, prompt, env=env)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("resp_") and result.stdout.count("\n") == 1
    return result.stdout.strip()


def test_start_prints_only_the_id_and_creates_a_streamed_background_job(
    azresp: RunCli, emulator_env: dict[str, str], creates: Bodies, recorded: Any
) -> None:
    result = azresp("bg", "start", "-s", "Be brief", "--effort", "low", "hi", env=emulator_env)
    assert result.exit_code == 0, result.stderr
    response_id = result.stdout.strip()
    assert result.stdout == response_id + "\n"  # id=$(azresp bg start ...) gets just the id
    assert f"azresp bg poll --wait {response_id}" in result.stderr
    body = creates()[-1]
    assert (body["background"], body["store"], body["stream"]) == (True, True, True)
    assert body["instructions"] == "Be brief" and body["reasoning"] == {"effort": "low"}
    listed = azresp("bg", "list", env=emulator_env)
    assert listed.stdout.split("\t")[:2] == [response_id, "queued"]


def test_poll_prints_the_status_and_wait_prints_the_answer(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any
) -> None:
    response_id = start(azresp, emulator_env, "[[slow:5]] [[long:80]]")
    first = azresp("bg", "poll", response_id, env=emulator_env)
    assert first.exit_code == 0 and first.stdout in ("queued\n", "in_progress\n")
    done = azresp("bg", "poll", "--wait", "--interval", "0.01", response_id, env=emulator_env)
    assert done.exit_code == 0, done.stderr
    assert done.stdout == output_text(emulator, response_id).rstrip("\n") + "\n"
    assert azresp("bg", "poll", response_id, env=emulator_env).stdout == "completed\n"
    listed = azresp("bg", "list", env=emulator_env)
    assert listed.stdout.split("\t")[1] == "completed"


def test_a_finished_job_becomes_a_turn_that_chat_continues(
    azresp: RunCli, emulator_env: dict[str, str], creates: Bodies
) -> None:
    response_id = start(azresp, emulator_env, "my name is Ada")
    azresp("bg", "poll", "--wait", "--interval", "0.01", response_id, env=emulator_env)
    follow = azresp("chat", "-c", "what is my name?", env=emulator_env)
    assert follow.exit_code == 0, follow.stderr
    assert "my name is Ada" in follow.stdout
    assert creates()[-1]["previous_response_id"] == response_id


@pytest.mark.parametrize(
    ("prompt", "options", "code", "said"),
    [
        ("[[fault:failed]]", (), 1, "failed"),
        ("[[fault:output_filter sexual]]", (), 6, "[filtered: sexual]"),
        ("[[long:200]]", ("--max-output-tokens", "20"), 8, "incomplete (max_output_tokens)"),
    ],
)
def test_wait_exits_with_the_code_of_how_the_job_ended(
    azresp: RunCli,
    emulator_env: dict[str, str],
    prompt: str,
    options: tuple[str, ...],
    code: int,
    said: str,
) -> None:
    response_id = start(azresp, emulator_env, prompt, *options)
    result = azresp("bg", "poll", "--wait", "--interval", "0.01", response_id, env=emulator_env)
    line = assert_one_error(result, code)
    assert said in line and response_id in line
    if code != 1:
        assert result.stdout.strip()  # the partial answer is printed


def test_cancel_stops_a_running_job_and_is_idempotent(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any, recorded: Any
) -> None:
    response_id = start(azresp, emulator_env, SLOW)
    first = azresp("bg", "cancel", response_id, env=emulator_env)
    assert (first.exit_code, first.stdout) == (0, "cancelled\n"), first.stderr
    again = azresp("bg", "cancel", response_id, env=emulator_env)
    assert (again.exit_code, again.stdout) == (0, "cancelled\n"), again.stderr
    assert len(recorded("POST", f"/responses/{response_id}/cancel")) == 2
    waited = azresp("bg", "poll", "--wait", response_id, env=emulator_env)
    line = assert_one_error(waited, 9)
    assert f"job {response_id} was cancelled" in line
    assert azresp("bg", "list", env=emulator_env).stdout.split("\t")[1] == "cancelled"


def test_cancelling_a_finished_job_is_not_an_error(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any
) -> None:
    response_id = start(azresp, emulator_env, "quick")
    assert wait_for_status(emulator, response_id, ("completed",)) == "completed"
    result = azresp("bg", "cancel", response_id, env=emulator_env)
    assert (result.exit_code, result.stdout) == (0, "completed\n"), result.stderr
    assert "had already ended (completed); nothing to cancel" in result.stderr


def test_cancel_and_poll_of_an_unknown_id_are_exit_4(
    azresp: RunCli, emulator_env: dict[str, str]
) -> None:
    for command in ("cancel", "poll"):
        line = assert_one_error(azresp("bg", command, "resp_nope", env=emulator_env), 4)
        assert "HTTP 404" in line and "request id " in line


def test_list_refresh_asks_the_service_for_unfinished_jobs(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any
) -> None:
    response_id = start(azresp, emulator_env, "quick")
    wait_for_status(emulator, response_id, ("completed",))
    assert azresp("bg", "list", env=emulator_env).stdout.split("\t")[1] == "queued"
    refreshed = azresp("bg", "list", "--refresh", env=emulator_env)
    assert refreshed.stdout.split("\t")[1] == "completed"
    as_json = json.loads(azresp("bg", "list", "--json", env=emulator_env).stdout)
    assert [(job["id"], job["status"]) for job in as_json] == [(response_id, "completed")]


def test_poll_json_prints_the_response_object(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any
) -> None:
    response_id = start(azresp, emulator_env, "quick")
    result = azresp(
        "bg", "poll", "--wait", "--json", "--interval", "0.01", response_id, env=emulator_env
    )
    assert result.exit_code == 0, result.stderr
    body = json.loads(result.stdout)
    assert (body["id"], body["status"], body["background"]) == (response_id, "completed", True)


def test_start_continues_the_last_conversation(
    azresp: RunCli, emulator_env: dict[str, str], creates: Bodies
) -> None:
    first = azresp("chat", "--json", "my name is Ada", env=emulator_env)
    first_id = json.loads(first.stdout)["id"]
    start(azresp, emulator_env, "what is my name?", "-c")
    assert creates()[-1]["previous_response_id"] == first_id


def test_no_history_keeps_no_record(azresp: RunCli, emulator_env: dict[str, str]) -> None:
    start(azresp, emulator_env, "quick", "--no-history")
    listed = azresp("bg", "list", env=emulator_env)
    assert listed.stdout == "" and "no background jobs recorded" in listed.stderr
