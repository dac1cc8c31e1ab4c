"""`bg poll --wait` and `bg stream` on a job started with --schema: the Response echoes its
text.format, so they print the JSON alone, checked as `chat --schema` checks it (README: 11
invalid, 12 refused), and the raw answer stays in the history."""

from __future__ import annotations

import json
from typing import Any

import pytest
from azresp_fixtures import assert_one_error
from cli_support import Result, RunCli

from azresp_cli.core.errors import ExitCode

PERSON = "name, age int, tags list[str]"
EXPECTED = {"name": "example", "age": 1, "tags": ["example"]}


def start(azresp: RunCli, env: dict[str, str], *argv: str) -> str:
    result = azresp("bg", "start", *argv, env=env)
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip()


def wait(azresp: RunCli, env: dict[str, str], response_id: str, **kwargs: Any) -> Result:
    return azresp("bg", "poll", "--wait", "--interval", "0.02", response_id, env=env, **kwargs)


def stream(azresp: RunCli, env: dict[str, str], response_id: str, **kwargs: Any) -> Result:
    return azresp("bg", "stream", response_id, env=env, **kwargs)


FOLLOW = {"poll --wait": wait, "stream": stream}


@pytest.mark.parametrize("follow", FOLLOW.values(), ids=FOLLOW.keys())
def test_the_answer_is_json_only_compact_when_piped_pretty_on_a_terminal(
    azresp: RunCli, emulator_env: dict[str, str], follow: Any
) -> None:
    response_id = start(azresp, emulator_env, "--schema", PERSON, "[[slow:5]] invent a person")
    piped = follow(azresp, emulator_env, response_id)
    assert piped.exit_code == 0, piped.stderr
    assert piped.stdout == json.dumps(EXPECTED, separators=(",", ":")) + "\n"
    shown = follow(azresp, emulator_env, response_id, tty=True)
    assert shown.exit_code == 0, shown.stderr
    assert shown.stdout == json.dumps(EXPECTED, indent=2) + "\n"


def test_the_answers_come_back_out_of_the_history_as_json_data(
    azresp: RunCli, emulator_env: dict[str, str]
) -> None:
    one = start(azresp, emulator_env, "--schema", "city", "where?")
    assert wait(azresp, emulator_env, one).exit_code == 0
    data = azresp("history", "show", one, "--json-data", env=emulator_env)
    assert data.exit_code == 0, data.stderr
    assert data.stdout == '{"city":"example"}\n'
    many = start(azresp, emulator_env, "--schema-multi", "city, people int", "list some")
    result = stream(azresp, emulator_env, many)
    assert result.stdout == '{"items":[{"city":"example","people":1}]}\n'
    data = azresp("history", "show", many, "--json-data", env=emulator_env)
    assert data.stdout == '{"city":"example","people":1}\n'  # one line per item


@pytest.mark.parametrize("follow", FOLLOW.values(), ids=FOLLOW.keys())
def test_a_refusal_exits_12_and_the_refusal_is_kept_in_the_history(
    azresp: RunCli, emulator_env: dict[str, str], follow: Any
) -> None:
    response_id = start(azresp, emulator_env, "--schema", "name", "[[refuse:Not that.]] who?")
    result = follow(azresp, emulator_env, response_id)
    line = assert_one_error(result, ExitCode.REFUSED)
    assert line == "error: the model refused to answer: Not that."
    assert result.stdout == ""
    shown = azresp("history", "show", response_id, "--json", env=emulator_env)
    assert json.loads(shown.stdout)["answer"] == "Not that."


@pytest.mark.parametrize("follow", FOLLOW.values(), ids=FOLLOW.keys())
def test_a_cut_off_instance_exits_11_and_the_raw_text_is_kept(
    azresp: RunCli, emulator_env: dict[str, str], follow: Any
) -> None:
    response_id = start(azresp, emulator_env, "--schema", "name, bio", "[[truncate]] describe")
    result = follow(azresp, emulator_env, response_id)
    line = assert_one_error(result, ExitCode.SCHEMA_INVALID)
    assert line == "error: the answer was cut short (max_output_tokens) and is not valid JSON"
    assert result.stdout == ""
    shown = azresp("history", "show", response_id, "--json", env=emulator_env)
    answer = json.loads(shown.stdout)["answer"]
    assert answer.startswith('{"name"') and not answer.endswith("}")
    data = azresp("history", "show", response_id, "--json-data", env=emulator_env)
    assert data.stdout == ""


def test_an_instance_that_does_not_fit_exits_11(
    azresp: RunCli, emulator_env: dict[str, str]
) -> None:
    reply = '[[reply:{"name": "Ada", "age": "old"}]]'
    response_id = start(azresp, emulator_env, "--schema", "name, age int", reply)
    result = wait(azresp, emulator_env, response_id)
    line = assert_one_error(result, 11)
    assert line == "error: the answer does not fit the schema: $.age: expected integer, got string"


def test_a_failed_job_keeps_its_own_exit_code_and_json_output_is_the_raw_response(
    azresp: RunCli, emulator_env: dict[str, str]
) -> None:
    failed = start(azresp, emulator_env, "--schema", "name", "[[fault:failed]]")
    result = wait(azresp, emulator_env, failed)
    assert_one_error(result, 1)
    assert result.stdout == ""
    refused = start(azresp, emulator_env, "--schema", "name", "[[refuse]] x")
    raw = azresp("bg", "poll", "--wait", "--json", "--interval", "0.02", refused, env=emulator_env)
    assert raw.exit_code == 0, raw.stderr  # --json: the Response as it is, for scripts
    assert json.loads(raw.stdout)["text"]["format"]["type"] == "json_schema"
    events = azresp("bg", "stream", "--jsonl", refused, env=emulator_env)
    assert events.exit_code == 0, events.stderr
    assert '"response.refusal.done"' in events.stdout


def test_a_text_job_is_printed_as_text(azresp: RunCli, emulator_env: dict[str, str]) -> None:
    response_id = start(azresp, emulator_env, "[[reply:{not json}]]")
    assert wait(azresp, emulator_env, response_id).stdout == "{not json}\n"
    assert stream(azresp, emulator_env, response_id).stdout == "{not json}\n"
