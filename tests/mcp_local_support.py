"""Helpers for the local MCP tests: the tests' stdio server and a leftover-process check."""

from __future__ import annotations

import json
import os
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import python_command

SERVER = Path(__file__).parent / "mcp_local" / "fs_server.py"


def server_command(root: Path) -> list[str]:
    """The tests' filesystem server over ``root``, as a process started through the fork server
    (tests/forkserver.py: it does not import the MCP SDK each time). Its stand-in has SERVER
    among its arguments and lives exactly as long as the server, so `server_pids` sees it."""
    return [*python_command(SERVER), str(root)]


def server_flag(root: Path, name: str = "fs") -> str:
    """``--mcp-local`` value that runs the tests' filesystem server over ``root``."""
    return f"{name}={shlex.join(server_command(root))}"


def server_toml(root: Path) -> str:
    """The server's ``command = [...]`` for a [mcp_local.NAME] table."""
    return f"command = {json.dumps(server_command(root))}"


def server_pids(under: Path | None = None) -> set[int]:
    """Live processes running the tests' server (zombies count: they were not reaped); with
    ``under``, only those serving a folder in it (the suite runs tests side by side)."""
    pids = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        # The server's own argv has the script as one argument (azresp's has it inside one).
        arguments = cmdline.split(b"\0")
        if str(SERVER).encode() not in arguments:
            continue
        if under is None or any(a.startswith(str(under).encode()) for a in arguments):
            pids.add(int(entry.name))
    return pids - {os.getpid()}


@pytest.fixture
def no_leftover_servers(tmp_path: Path) -> Iterator[None]:
    """Fails the test when a server process it started is still there afterwards."""
    before = server_pids(tmp_path)
    yield
    left = server_pids(tmp_path) - before
    assert not left, f"local MCP server processes left behind: {sorted(left)}"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "todo.txt").write_text("buy milk\n", encoding="utf-8")
    return folder
