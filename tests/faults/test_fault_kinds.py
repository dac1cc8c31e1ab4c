"""Each fault the emulator injects, through the real CLI: exit code, one error line with its hint
and request id, no traceback, partial answers kept, and what went over the wire.

tests/cli/test_errors.py has the first cases (429 → 5, content filter → 6, cut → 7, ...); these
add the rest: 408, 502, retry-after-ms, the countdown, a long retry-after, a slow first byte,
and that a create is never sent again once its stream began.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from azresp_fixtures import Bodies, assert_one_error
from cli_support import FakeClock, RunCli

RETRIED = "[[reply:all good]]"


def test_429_with_retry_after_ms_is_waited_out_then_retried(
    azresp: RunCli, emulator_env: dict[str, str], creates: Bodies, fake_clock: FakeClock
) -> None:
    result = azresp("chat", f"[[fault:429 once retry-after-ms=30]] {RETRIED}", env=emulator_env)
    assert (result.exit_code, result.stdout) == (0, "all good\n"), result.stderr
    assert fake_clock.sleeps == [0.03]
    assert len(creates()) == 2
    # Piped: the wait is one plain line on stderr, with the service's request id.
    note = next(line for line in result.stderr.splitlines() if line.startswith("note: "))
    assert "HTTP 429 (rate limited): retrying in 30 ms (retry 1 of 2, request id " in note


def test_429_with_retry_after_in_seconds(
    azresp: RunCli, emulator_env: dict[str, str], creates: Bodies, fake_clock: FakeClock
) -> None:
    result = azresp("chat", f"[[fault:429 once retry-after=30]] {RETRIED}", env=emulator_env)
    assert (result.exit_code, result.stdout) == (0, "all good\n"), result.stderr
    assert fake_clock.sleeps == [30.0]  # waited out in full, without the test waiting
    assert "retrying in 30 s" in result.stderr
    assert len(creates()) == 2


def test_a_terminal_sees_the_wait_counted_down(
    azresp: RunCli, emulator_env: dict[str, str]
) -> None:
    result = azresp(
        "chat", f"[[fault:429 once retry-after-ms=400]] {RETRIED}", env=emulator_env, tty=True
    )
    assert result.exit_code == 0, result.stderr
    frames = re.findall(r"retrying in ([0-9.]+) ms", result.stderr)
    assert frames, result.stderr  # a live line, redrawn, and erased once the wait is over
    assert "note: " not in result.stderr
    assert "all good" in result.stdout


def test_a_long_retry_after_says_when_instead_of_sleeping(
    azresp: RunCli, emulator_env: dict[str, str], creates: Bodies, fake_clock: FakeClock
) -> None:
    result = azresp("chat", "[[fault:429 retry-after=3600]]", env=emulator_env)
    line = assert_one_error(result, 5)
    assert "HTTP 429" in line and "request id " in line
    assert re.search(
        r"hint: (.* used up; )?retry at \d\d:\d\d:\d\d \(the service asks to wait 3600 s\)",
        result.stderr,
    )
    assert len(creates()) == 1 and fake_clock.sleeps == []  # no retry, no sleep


def test_the_retry_limit_comes_from_max_retries(
    azresp: RunCli, emulator_env: dict[str, str], creates: Bodies, fake_clock: FakeClock
) -> None:
    env = {**emulator_env, "AZRESP_MAX_RETRIES": "3"}
    line = assert_one_error(azresp("chat", "[[fault:500 retry-after-ms=1]]", env=env), 1)
    assert "HTTP 500" in line and "request id " in line
    assert len(creates()) == 4
    assert fake_clock.sleeps == [0.001] * 3


@pytest.mark.parametrize("status", ["408", "502", "503"])
def test_a_transient_status_is_retried(
    azresp: RunCli,
    emulator_env: dict[str, str],
    creates: Bodies,
    status: str,
    fake_clock: FakeClock,
) -> None:
    result = azresp("chat", f"[[fault:{status} once]] {RETRIED}", env=emulator_env)
    assert (result.exit_code, result.stdout) == (0, "all good\n"), result.stderr
    [slept] = fake_clock.sleeps  # no retry-after: the first backoff step, with jitter
    assert 0.375 <= slept <= 0.5
    assert f"HTTP {status}: retrying" in result.stderr
    assert len(creates()) == 2


@pytest.mark.parametrize("status", ["408", "502", "503"])
def test_a_persistent_status_is_exit_1_after_the_retries(
    azresp: RunCli, emulator_env: dict[str, str], creates: Bodies, status: str
) -> None:
    env = {**emulator_env, "AZRESP_MAX_RETRIES": "1"}
    line = assert_one_error(azresp("chat", f"[[fault:{status} retry-after-ms=1]]", env=env), 1)
    assert f"HTTP {status}" in line and "request id " in line
    assert len(creates()) == 2


def test_the_prompt_content_filter_names_its_categories(
    azresp: RunCli, emulator_env: dict[str, str], creates: Bodies
) -> None:
    result = azresp("chat", "[[fault:content_filter self_harm,jailbreak]]", env=emulator_env)
    line = assert_one_error(result, 6)
    assert "[filtered: self_harm, jailbreak]" in line
    assert "HTTP 400" in line and "request id " in line
    assert len(creates()) == 1  # a 400 is not retried


def test_an_answer_filtered_mid_stream_names_its_categories_and_keeps_the_text(
    azresp: RunCli, emulator_env: dict[str, str], creates: Bodies
) -> None:
    result = azresp("chat", "[[fault:output_filter violence]] [[long:60]]", env=emulator_env)
    line = assert_one_error(result, 6)
    assert "[filtered: violence]" in line and "request id " in line
    assert result.stdout.strip()
    assert len(creates()) == 1


@pytest.mark.parametrize(
    ("fault", "code"),
    [("cut:6", 7), ("malformed:4", 7), ("failed", 1), ("error_event", 1)],
)
def test_a_stream_that_began_is_never_sent_again(
    azresp: RunCli, emulator_env: dict[str, str], creates: Bodies, fault: str, code: int
) -> None:
    env = {**emulator_env, "AZRESP_MAX_RETRIES": "3"}
    result = azresp("chat", f"[[fault:{fault}]] [[long:80]]", env=env)
    line = assert_one_error(result, code)
    assert "request id " in line
    assert len(creates()) == 1
    if fault.startswith("cut"):
        assert result.stdout.strip()  # the partial answer stays...
        assert "[stream broken — partial answer above]" in result.stderr  # ...marked


def test_a_slow_first_byte_is_waited_for(azresp: RunCli, emulator_env: dict[str, str]) -> None:
    result = azresp("chat", f"[[fault:slow_first_byte:300]] {RETRIED}", env=emulator_env)
    assert (result.exit_code, result.stdout) == (0, "all good\n"), result.stderr


def test_a_first_byte_later_than_the_timeout_is_exit_7_and_not_resent(
    azresp: RunCli, emulator_env: dict[str, str], creates: Bodies
) -> None:
    env = {**emulator_env, "AZRESP_MAX_RETRIES": "3"}
    result = azresp("chat", "--timeout", "0.2", "[[fault:slow_first_byte:1500]]", env=env)
    line = assert_one_error(result, 7)
    assert "timed out" in line
    assert "--timeout" in result.stderr  # the hint
    assert len(creates()) == 1  # the service may be working on it: not sent twice


def test_faults_reach_background_starts_too(
    azresp: RunCli,
    emulator_env: dict[str, str],
    creates: Bodies,
    emulator: Any,
    fake_clock: FakeClock,
) -> None:
    result = azresp("bg", "start", "[[fault:429 once retry-after=5]] hi", env=emulator_env)
    assert result.exit_code == 0, result.stderr
    assert fake_clock.sleeps == [5.0]
    assert result.stdout.startswith("resp_") and result.stdout.count("\n") == 1
    assert "HTTP 429 (rate limited): retrying" in result.stderr
    assert len(creates()) == 2
