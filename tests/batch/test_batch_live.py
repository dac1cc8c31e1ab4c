"""`azresp batch run --live`: paced under the emulator's rate limit, resumable from its journal."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from batch_support import env_of, rows_of
from cli_support import TEST_KEY, RunCli

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


@pytest.mark.slow
def test_live_resumes_after_kill_9_without_resending_answered_lines(
    azresp: RunCli, emulator_factory: Any, tmp_path: Path, dirs: Any
) -> None:
    emulator = emulator_factory(EmulatorConfig(rate_limit_rpm=300, rate_window=1.0))
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
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    journals = data_dir / "batches"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = list(journals.glob("*/journal.jsonl"))
        if found and len(found[0].read_text().splitlines()) >= 10:
            break
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    (journal,) = journals.glob("*/journal.jsonl")
    answered = {
        prompts[int(json.loads(line)["custom_id"].split("-")[1]) - 1]
        for line in journal.read_text().splitlines()
        if line.endswith("}")
    }
    assert 10 <= len(answered) < 40
    before = len(emulator.requests)

    out = tmp_path / "resumed.jsonl"
    resumed = azresp(
        "batch", "run", str(source), "--live", "-j", "4", "-o", str(out), env=_env(emulator)
    )

    assert resumed.exit_code == 0, resumed.stderr
    assert "resuming live-" in resumed.stderr
    sent_after = _accepted_prompts(emulator, before)
    assert not answered & set(sent_after)  # nothing journaled is sent again
    counts = Counter(_accepted_prompts(emulator))
    assert set(counts) == set(prompts)
    twice = {prompt for prompt, count in counts.items() if count > 1}
    # Only the requests in flight at the kill (at most -j of them) went out again.
    assert len(twice) <= 4 and not twice & answered
    rows = rows_of(out)
    assert [row["line"] for row in rows] == list(range(1, 41))
    assert all(row["status"] == "completed" for row in rows)


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
