"""``azresp mcp list-tools`` and the doctor's check of configured local servers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mcp_local_support import server_flag, server_toml
from tool_support import Azresp

# Every test here starts an MCP server process.
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("no_leftover_servers")]


def test_list_tools_shows_the_functions_the_model_would_get(azresp: Azresp, root: Path) -> None:
    result = azresp("mcp", "list-tools", server_flag(root))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "fs__read_file\tRead a text file under the server's root."
    assert len(lines) == 6
    assert "6 tools on fs" in result.stderr
    as_json = json.loads(azresp("mcp", "list-tools", "--json", server_flag(root)).stdout)
    assert as_json[0]["parameters"]["required"] == ["path"]


def test_list_tools_of_a_server_that_cannot_start_exits_13(azresp: Azresp) -> None:
    result = azresp("mcp", "list-tools", "x=/nonexistent/server")
    assert result.exit_code == 13
    assert result.stderr.startswith("error: local MCP server 'x' failed to start: command not")
    assert "hint: " in result.stderr and "Traceback" not in result.stderr


def _configure(tmp_path: Path, root: Path) -> None:
    (tmp_path / "config").mkdir(exist_ok=True)
    (tmp_path / "config" / "config.toml").write_text(
        f"[mcp_local.notes]\n{server_toml(root)}\n\n"
        '[mcp_local.broken]\ncommand = "/nonexistent/server --stdio"\n',
        encoding="utf-8",
    )


def test_doctor_checks_that_configured_servers_start(
    azresp: Azresp, root: Path, tmp_path: Path
) -> None:
    _configure(tmp_path, root)
    result = azresp("doctor", "--json")
    checks = {check["name"]: check for check in json.loads(result.stdout)["checks"]}
    assert checks["mcp local notes"]["status"] == "ok"
    assert "6 tools (read_file" in checks["mcp local notes"]["summary"]
    assert checks["mcp local broken"]["status"] == "fail"
    assert "command not found" in checks["mcp local broken"]["summary"]
    assert result.exit_code == 13


def test_a_configured_server_with_auto_is_offered_without_the_flag(
    azresp: Azresp, root: Path, tmp_path: Path, bodies: object
) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text(
        f"[mcp_local.notes]\n{server_toml(root)}\nauto = true\n",
        encoding="utf-8",
    )
    result = azresp("chat", "hello")
    assert result.exit_code == 0, result.stderr
    assert "mcp notes (local): 6 tools" in result.stderr
