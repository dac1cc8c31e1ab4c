"""A local MCP server in the chat session, in a real pseudo-terminal: the approval prompt is
answered by keys, the server is started once and reused, and no process outlives azresp."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pexpect
import pytest
from cli_support import spawn_azresp, terminal_env
from mcp_local_support import server_flag, server_pids
from tool_support import outputs_sent

pytestmark = [pytest.mark.pty, pytest.mark.usefixtures("no_leftover_servers")]

READY = "\x1b[?2004h"  # prompt_toolkit's prompt is up
ACCEPTED = "\x1b[?2004l"
READ = '[[call:fs__read_file {"path":"todo.txt"}]]'


def plain(raw: bytes) -> str:
    text = re.sub(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][A-Z0-9]|\x1b[=>]", b"", raw)
    return text.decode(errors="replace").replace("\r", "")


Spawn = Callable[..., pexpect.spawn]


@pytest.fixture
def spawn(emulator: Any, tmp_path: Path) -> Iterator[Spawn]:
    children: list[pexpect.spawn] = []

    def start(*args: str) -> pexpect.spawn:
        variables = terminal_env(tmp_path, emulator.base_url)
        child = spawn_azresp("chat", *args, env=variables, dimensions=(40, 160), timeout=60)
        children.append(child)
        child.expect(re.escape(READY))
        return child

    yield start
    for child in children:
        if child.isalive():
            child.terminate(force=True)


def bodies(emulator: Any) -> list[dict[str, Any]]:
    return [
        r.json for r in emulator.requests if r.method == "POST" and r.path.endswith("/responses")
    ]


def test_approval_by_key_then_always_then_the_server_is_reused_and_stopped(
    spawn: Spawn, emulator: Any, root: Path
) -> None:
    lazily = server_pids(root)
    chat = spawn("--mcp-local", server_flag(root))
    assert server_pids(root) == lazily  # nothing started before the first turn
    chat.send(READ + "\r")
    chat.expect("Run fs__read_file\\?")
    started = server_pids(root) - lazily
    assert len(started) == 1  # started at the first turn
    chat.send("a")  # always for this tool: one key, no Enter
    chat.expect(re.escape(READY))
    first = plain(chat.before)
    assert "fs__read_file returned" in first or "buy milk" in first
    assert outputs_sent(bodies(emulator)[1])[0]["output"] == "buy milk\n"
    chat.send(READ + "\r")  # remembered: no question this time
    chat.expect(re.escape(ACCEPTED))
    chat.expect(re.escape(READY))
    assert "Run fs__read_file?" not in plain(chat.before)
    assert server_pids(root) - lazily == started  # the same server, reused
    assert outputs_sent(bodies(emulator)[-1])[0]["output"] == "buy milk\n"
    chat.sendcontrol("d")
    chat.expect(pexpect.EOF)
    chat.close()
    assert chat.exitstatus == 0
    assert not (server_pids(root) - lazily)  # stopped on exit


def test_no_by_key_and_ctrl_c_exit_leave_no_process(
    spawn: Spawn, emulator: Any, root: Path
) -> None:
    chat = spawn("--mcp-local", server_flag(root))
    chat.send(READ + "\r")
    chat.expect("Run fs__read_file\\?")
    chat.send("n")
    chat.expect(re.escape(READY))
    refusal = outputs_sent(bodies(emulator)[1])[0]
    assert refusal["output"] == "The user declined this tool call."
    chat.sendcontrol("c")
    chat.sendcontrol("c")
    chat.expect(pexpect.EOF)
    chat.close()
    assert chat.exitstatus == 130


def test_ctrl_c_at_the_approval_prompt_stops_the_turn_and_the_server_goes_with_azresp(
    spawn: Spawn, root: Path
) -> None:
    chat = spawn("--mcp-local", server_flag(root))
    chat.send(READ + "\r")
    chat.expect("Run fs__read_file\\?")
    chat.sendintr()
    chat.expect(re.escape(READY))
    chat.sendcontrol("d")
    chat.expect(pexpect.EOF)
    chat.close()
    assert chat.exitstatus == 0


def _gone(pids: set[int]) -> bool:
    """Waits (up to 30 s, polling) for ``pids`` to be gone: a killed azresp cannot stop its
    server, which must exit on its own when its stdin closes."""
    import time

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if not pids & server_pids():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGHUP"])
def test_a_killed_azresp_leaves_no_server_behind(
    spawn: Spawn, root: Path, signal_name: str
) -> None:
    import signal

    before = server_pids(root)
    chat = spawn("--mcp-local", server_flag(root))
    chat.send(READ + "\r")
    chat.expect("Run fs__read_file\\?")
    started = server_pids(root) - before
    assert len(started) == 1
    chat.kill(getattr(signal, signal_name))
    chat.expect(pexpect.EOF)
    chat.close()
    assert _gone(started)
