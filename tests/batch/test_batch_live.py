"""`azresp batch run --live`: paced under the emulator's rate limit, resumable from its journal."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from batch_support import env_of, generations, rows_of
from cli_support import TEST_KEY, RunCli

from azresp_cli.core.live_journal import Journal, JournalState
from azresp_cli.emulator.config import EmulatorConfig


def _accepted_prompts(emulator: Any, start: int = 0) -> list[str]:
    return [
        r.json["input"]
        for r in emulator.requests[start:]
        if r.method == "POST" and r.path.endswith("/responses") and r.rejected is None
    ]


def _refused(emulator: Any) -> int:
    return sum(1 for r in emulator.requests if r.rejected == 429)


def _env(emulator: Any) -> dict[str, str]:
    return env_of(
        {
            "AZURE_OPENAI_ENDPOINT": emulator.base_url,
            "AZURE_OPENAI_API_KEY": TEST_KEY,
            "AZURE_OPENAI_DEPLOYMENT": "gpt-test",
        }
    )


@pytest.mark.slow  # seconds by design
def test_live_stays_under_the_rate_limit_and_answers_every_line_once(
    azresp: RunCli, emulator_factory: Any, tmp_path: Path
) -> None:
    emulator = emulator_factory(EmulatorConfig(rate_limit_rpm=600, rate_window=2.0))
    prompts = [f"live prompt {n}" for n in range(1, 61)]
    source = tmp_path / "prompts.txt"
    source.write_text("\n".join(prompts) + "\n")
    out = tmp_path / "live.jsonl"

    result = azresp(
        "batch", "run", str(source), "--live", "-j", "8", "-o", str(out), env=_env(emulator)
    )

    assert result.exit_code == 0, result.stderr
    rows = rows_of(out)
    assert [row["line"] for row in rows] == list(range(1, 61))
    assert all(row["status"] == "completed" for row in rows)
    assert all(f'"{row["prompt"]}"' in row["answer"] for row in rows)
    assert sorted(_accepted_prompts(emulator)) == sorted(prompts)  # each sent once
    # The pacer spaces requests at 95% of the limit the headers state: a naive client with
    # 8 workers would meet the 429 on most of its requests.
    assert _refused(emulator) <= 2


def _journal_state(data_dir: Path) -> JournalState:
    found = list((data_dir / "batches").glob("*/journal.jsonl"))
    return Journal(found[0]).read_state() if found else JournalState()


def _kill_when(
    command: list[str], env: dict[str, str], data_dir: Path, ready: Callable[[JournalState], bool]
) -> JournalState:
    """Start the run, SIGKILL it once its journal satisfies ``ready``; the journal it left."""
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while process.poll() is None and not ready(_journal_state(data_dir)):
            time.sleep(0.005)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    return _journal_state(data_dir)


def _in_flight(state: JournalState) -> list[str]:
    """Lines sent (or about to be) whose answer the journal has not got."""
    return list(state.sent)


@pytest.mark.slow
def test_live_resumes_after_repeated_kill_9_without_generating_any_line_twice(
    azresp: RunCli, emulator_factory: Any, tmp_path: Path, dirs: Any
) -> None:
    # Slow background responses (each phase 0.15 s) keep several lines in flight at a kill.
    emulator = emulator_factory(
        EmulatorConfig(rate_limit_rpm=600, rate_window=1.0, background_step=0.15)
    )
    prompts = [f"resumable {n}" for n in range(1, 41)]
    source = tmp_path / "prompts.txt"
    source.write_text("\n".join(prompts) + "\n")
    config_dir, data_dir = dirs
    env = {
        **os.environ,
        **_env(emulator),
        "AZRESP_DATA_DIR": str(data_dir),
        "AZRESP_CONFIG_DIR": str(config_dir),
        "NO_COLOR": "1",
    }
    command = [sys.executable, "-m", "azresp_cli", "batch", "run", str(source), "--live", "-j", "4"]
    moments: list[Callable[[JournalState], bool]] = [
        # a line journaled as about to be sent, before its response id is known
        lambda s: any(not sent.response_id for sent in s.sent.values()),
        # responses made and running, none answered in this run yet
        lambda s: sum(1 for sent in s.sent.values() if sent.response_id) >= 2,
        # some answered, others in flight
        lambda s: len(s.results) >= 15 and bool(s.sent),
        lambda s: len(s.results) >= 28 and bool(s.sent),
    ]
    left_in_flight = []
    for ready in moments:
        state = _kill_when(command, env, data_dir, ready)
        left_in_flight.append(len(_in_flight(state)))
        assert len(state.results) < len(prompts)
    assert any(left_in_flight)  # the kills did leave requests in flight

    out = tmp_path / "resumed.jsonl"
    resumed = azresp(
        "batch", "run", str(source), "--live", "-j", "4", "-o", str(out), env=_env(emulator)
    )

    assert resumed.exit_code == 0, resumed.stderr
    assert "resuming live-" in resumed.stderr
    # Over the wire: the emulator generated exactly one response for every prompt.
    assert generations(emulator) == dict.fromkeys(prompts, 1)
    rows = rows_of(out)
    assert [row["line"] for row in rows] == list(range(1, 41))
    assert all(row["status"] == "completed" for row in rows)
    assert all(f'"{row["prompt"]}"' in row["answer"] for row in rows)
    assert len({row["response_id"] for row in rows}) == len(prompts)


@pytest.mark.slow
def test_ctrl_c_stops_a_live_run_with_a_hint_to_resume(
    emulator_factory: Any, tmp_path: Path, dirs: Any
) -> None:
    emulator = emulator_factory(EmulatorConfig(rate_limit_rpm=120, rate_window=1.0))
    source = tmp_path / "prompts.txt"
    source.write_text("".join(f"slow {n}\n" for n in range(1, 30)))
    config_dir, data_dir = dirs
    env = {
        **os.environ,
        **_env(emulator),
        "AZRESP_DATA_DIR": str(data_dir),
        "AZRESP_CONFIG_DIR": str(config_dir),
        "NO_COLOR": "1",
    }
    command = [sys.executable, "-m", "azresp_cli", "batch", "run", str(source), "--live"]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list((data_dir / "batches").glob("*/journal.jsonl")):
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "error: stopped; every answered line is kept" in stderr
    assert "--resume live-" in stderr


@pytest.mark.slow
def test_ctrl_c_detaches_from_watch_and_the_batch_goes_on(
    azresp: RunCli, emulator: Any, emulator_env: dict[str, str], tmp_path: Path, dirs: Any
) -> None:
    env = env_of(emulator_env)
    submitted = azresp("batch", "submit", "-", env=env, stdin="wait [[batch:hold=1]]\nsecond\n")
    (batch_id,) = submitted.stdout.split()
    _config, data_dir = dirs
    process = subprocess.Popen(
        [sys.executable, "-m", "azresp_cli", "batch", "status", "--watch", batch_id],
        env={**os.environ, **env, "AZRESP_DATA_DIR": str(data_dir), "NO_COLOR": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    status = ""
    while "\tin_progress\t1\t" not in status:
        status = azresp("batch", "status", batch_id, env=env).stdout
    polls = sum(1 for r in emulator.requests if r.path.endswith(batch_id))
    while sum(1 for r in emulator.requests if r.path.endswith(batch_id)) < polls + 2:
        time.sleep(0.02)  # the watcher polls (it prints nothing on stdout until the end)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "stopped watching; the batch goes on" in stderr
    assert f"hint: azresp batch status --watch {batch_id}" in stderr
    assert azresp("batch", "status", batch_id, env=env).stdout.split("\t")[1] == "in_progress"
    assert azresp("batch", "cancel", batch_id, env=env).exit_code == 0
