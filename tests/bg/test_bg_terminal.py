"""`bg poll --wait` on a real pseudo-terminal: the spinner, and Ctrl-C detaching (or cancelling)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pexpect
import pytest
from azresp_fixtures import wait_for_status
from cli_support import RunCli, spawn_azresp

pytestmark = pytest.mark.pty

SLOW = "[[slow:50]] [[long:400]]"  # several seconds of work: still running when Ctrl-C comes


def spawn_wait(
    emulator_env: dict[str, str], dirs: tuple[Path, Path], response_id: str, *extra: str
) -> pexpect.spawn:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AZURE_", "AZRESP_"))},
        **emulator_env,
        "AZRESP_CONFIG_DIR": str(dirs[0]),
        "AZRESP_DATA_DIR": str(dirs[1]),
        "TERM": "xterm-256color",
    }
    args = ["bg", "poll", "--wait", "--interval", "0.1", *extra, response_id]
    return spawn_azresp(*args, env=env, dimensions=(30, 120), timeout=30)


def start_slow(azresp: RunCli, emulator_env: dict[str, str]) -> str:
    result = azresp("bg", "start", SLOW, env=emulator_env)
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip()


def test_ctrl_c_during_wait_detaches_and_the_job_goes_on(
    azresp: RunCli, emulator_env: dict[str, str], dirs: tuple[Path, Path], emulator: Any
) -> None:
    response_id = start_slow(azresp, emulator_env)
    child = spawn_wait(emulator_env, dirs, response_id)
    spinner = "in_progress · " + r"\d+ s · " + re.escape(response_id)
    child.expect(re.compile(spinner.encode()))
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    seen = child.before.decode(errors="replace")
    assert child.exitstatus == 130
    assert f"detached; {response_id} goes on running" in seen
    assert f"azresp bg poll --wait {response_id}" in seen
    assert "Traceback" not in seen
    # Not cancelled: still running (or, on a very slow machine, done).
    assert wait_for_status(emulator, response_id, ()) in ("in_progress", "completed")


def test_ctrl_c_with_cancel_on_interrupt_cancels_the_job(
    azresp: RunCli, emulator_env: dict[str, str], dirs: tuple[Path, Path], emulator: Any
) -> None:
    response_id = start_slow(azresp, emulator_env)
    child = spawn_wait(emulator_env, dirs, response_id, "--cancel-on-interrupt")
    child.expect(re.escape(response_id))
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert f"cancelled {response_id}" in child.before.decode(errors="replace")
    assert wait_for_status(emulator, response_id, ("cancelled",)) == "cancelled"


def test_ctrl_c_in_a_background_chat_under_the_emulator_hints_with_emulator(
    dirs: tuple[Path, Path],
) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AZURE_", "AZRESP_"))},
        "AZRESP_CONFIG_DIR": str(dirs[0]),
        "AZRESP_DATA_DIR": str(dirs[1]),
        "TERM": "xterm-256color",
    }
    args = ["chat", "--emulator", "--background", SLOW]
    child = spawn_azresp(*args, env=env, dimensions=(30, 120), timeout=30)
    child.expect("Lorem|lorem|[A-Za-z]{4,} [A-Za-z]{4,}")  # the answer has begun streaming
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    seen = child.before.decode(errors="replace")
    assert child.exitstatus == 130
    match = re.search(r"azresp bg stream --emulator (resp_\w+)", seen)
    assert match, seen
    assert "Traceback" not in seen
