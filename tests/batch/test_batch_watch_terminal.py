"""`batch status --watch` on a real pseudo-terminal: the bar with its counts, and Ctrl-C
detaching with the command that watches again; piped, it writes status lines and no bar."""

from __future__ import annotations

import os
from pathlib import Path

import pexpect
import pytest
from batch_support import env_of, submit
from cli_support import RunCli, spawn_azresp

pytestmark = pytest.mark.pty

# Line 2 fails (a 500 the batch keeps in its error file); lines 4 and 5 wait for a cancel.
LINES = "one [[batch:hold=3]]\ntwo [[fault:500 once]]\nthree\nfour\nfive\n"


def test_the_bar_shows_the_counts_and_ctrl_c_detaches(
    azresp: RunCli, emulator_env: dict[str, str], dirs: tuple[Path, Path]
) -> None:
    env = env_of(emulator_env)
    (batch_id,) = submit(azresp, env, "-", stdin=LINES)
    child = spawn_azresp(
        "batch",
        "status",
        "--watch",
        batch_id,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith(("AZURE_", "AZRESP_"))},
            **env,
            "AZRESP_CONFIG_DIR": str(dirs[0]),
            "AZRESP_DATA_DIR": str(dirs[1]),
            "TERM": "xterm-256color",
        },
        dimensions=(30, 160),
        timeout=30,
    )
    try:
        child.expect("3/5")
        child.expect("2 completed, 1 failed")
        child.expect("in_progress")
        child.sendintr()
        child.expect(pexpect.EOF)
    finally:
        child.close()
        azresp("batch", "cancel", batch_id, env=env)
    seen = child.before.decode(errors="replace")
    assert child.exitstatus == 130
    assert "stopped watching; the batch goes on" in seen
    assert f"azresp batch status --watch {batch_id} follows it again" in seen
    assert "Traceback" not in seen


def test_piped_watch_writes_status_lines_and_no_bar(
    azresp: RunCli, emulator_env: dict[str, str]
) -> None:
    env = env_of(emulator_env)
    (batch_id,) = submit(azresp, env, "-", stdin="alpha\nbeta [[fault:500 once]]\n")

    watched = azresp("batch", "status", "--watch", batch_id, env=env)

    assert watched.exit_code == 0, watched.stderr
    assert watched.stdout.split("\t")[:5] == [batch_id, "completed", "1", "1", "2"]
    assert "completed" in watched.stderr  # a line per status change
    assert "\x1b[" not in watched.stderr and "━" not in watched.stderr
    assert "1 completed, 1 failed" not in watched.stderr
