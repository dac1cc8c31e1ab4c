"""Each documented exit code, with one error line, a hint, the request id, and no traceback."""

from __future__ import annotations

import socket

import pytest
from cli_support import TEST_KEY, FakeClock, Result, RunCli


def assert_one_error(result: Result, code: int) -> str:
    assert result.exit_code == code, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    assert any(line.startswith("hint: ") for line in lines), result.stderr
    assert "Traceback" not in result.output
    return errors[0]


def test_exit_2_without_an_endpoint(azresp: RunCli) -> None:
    line = assert_one_error(azresp("chat", "hi"), 2)
    assert "no endpoint configured" in line


def test_exit_2_for_a_refused_endpoint(azresp: RunCli) -> None:
    result = azresp(
        "chat",
        "--endpoint",
        "https://r.openai.azure.com/openai/deployments/gpt/chat/completions",
        "-m",
        "d",
        "hi",
        env={"AZURE_OPENAI_API_KEY": TEST_KEY},
    )
    assert "legacy" in assert_one_error(result, 2)


def test_exit_2_for_a_bad_flag(azresp: RunCli) -> None:
    result = azresp("chat", "--no-such-flag", "hi")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no such option: --no-such-flag")
    assert "hint: see `azresp chat --help`" in result.stderr


def test_exit_3_for_a_rejected_key(
    azresp: RunCli, emulator_factory: object, emulator_env: dict[str, str]
) -> None:
    from azresp_cli.emulator.runner import EmulatorConfig

    strict = emulator_factory(EmulatorConfig(api_keys=frozenset({"the-right-key"})))  # type: ignore[operator]
    env = {**emulator_env, "AZURE_OPENAI_ENDPOINT": strict.base_url}
    line = assert_one_error(azresp("chat", "hi", env=env), 3)
    assert "HTTP 401" in line and "request id" in line


def test_exit_4_for_an_unknown_response(azresp: RunCli, emulator_env: dict[str, str]) -> None:
    line = assert_one_error(azresp("get", "resp_doesnotexist", env=emulator_env), 4)
    assert "HTTP 404" in line and "request id" in line


def test_exit_4_for_an_unknown_previous_response(
    azresp: RunCli, emulator_env: dict[str, str]
) -> None:
    result = azresp("chat", "-p", "resp_doesnotexist", "hi", env=emulator_env)
    line = assert_one_error(result, 4)
    assert "resp_doesnotexist" in line
    assert "previous response" in result.stderr.lower()


def test_exit_4_for_an_unknown_deployment(
    azresp: RunCli, emulator_factory: object, emulator_env: dict[str, str]
) -> None:
    from azresp_cli.emulator.runner import EmulatorConfig

    only = emulator_factory(EmulatorConfig(deployments=frozenset({"gpt-real"})))  # type: ignore[operator]
    env = {**emulator_env, "AZURE_OPENAI_ENDPOINT": only.base_url}
    assert_one_error(azresp("chat", "hi", env=env), 4)


def test_exit_5_when_rate_limited_beyond_retries(
    azresp: RunCli, emulator_env: dict[str, str]
) -> None:
    env = {**emulator_env, "AZRESP_MAX_RETRIES": "0"}
    result = azresp("chat", "[[fault:429 retry-after=7]]", env=env)
    line = assert_one_error(result, 5)
    assert "HTTP 429" in line
    assert "7" in result.stderr.split("hint:")[1]


def test_exit_6_names_the_filtered_categories(azresp: RunCli, emulator_env: dict[str, str]) -> None:
    result = azresp("chat", "[[fault:content_filter hate,violence]]", env=emulator_env)
    line = assert_one_error(result, 6)
    assert "hate" in line and "violence" in line and "HTTP 400" in line


def test_exit_6_for_an_answer_filtered_mid_stream_keeps_the_partial_text(
    azresp: RunCli, emulator_env: dict[str, str]
) -> None:
    result = azresp("chat", "[[fault:output_filter]]", env=emulator_env)
    assert_one_error(result, 6)
    assert result.stdout.strip()  # what was streamed stays


def test_exit_7_when_the_stream_breaks_keeps_the_partial_text(
    azresp: RunCli, emulator_env: dict[str, str]
) -> None:
    result = azresp("chat", "[[fault:cut:8]] [[long:200]]", env=emulator_env)
    assert_one_error(result, 7)
    assert result.stdout.strip()
    assert "partial" in result.stderr


def test_exit_7_when_nothing_listens(azresp: RunCli, emulator_env: dict[str, str]) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **emulator_env,
        "AZURE_OPENAI_ENDPOINT": f"http://127.0.0.1:{port}",
        "AZRESP_MAX_RETRIES": "0",
    }
    line = assert_one_error(azresp("chat", "hi", env=env), 7)
    assert "could not reach" in line


def test_exit_7_for_a_malformed_stream(azresp: RunCli, emulator_env: dict[str, str]) -> None:
    assert_one_error(azresp("chat", "[[fault:malformed]]", env=emulator_env), 7)


@pytest.mark.parametrize("fault", ["[[fault:failed]]", "[[fault:error_event]]"])
def test_exit_1_when_the_response_fails_mid_stream(
    azresp: RunCli, emulator_env: dict[str, str], fault: str
) -> None:
    assert_one_error(azresp("chat", fault, env=emulator_env), 1)


def test_exit_1_for_a_persistent_server_error(
    azresp: RunCli, emulator_env: dict[str, str], fake_clock: FakeClock
) -> None:
    env = {**emulator_env, "AZRESP_MAX_RETRIES": "1"}
    line = assert_one_error(azresp("chat", "[[fault:500]]", env=env), 1)
    assert "HTTP 500" in line


def test_a_transient_server_error_is_retried(
    azresp: RunCli, emulator: object, emulator_env: dict[str, str], fake_clock: FakeClock
) -> None:
    result = azresp("chat", "[[fault:503 once]] [[reply:fine]]", env=emulator_env)
    assert result.exit_code == 0, result.stderr
    assert len(fake_clock.sleeps) == 1
    assert result.stdout == "fine\n"
