"""Remote MCP end to end: the emulator really connects to a loopback MCP server."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cli_support import TEST_KEY
from tool_support import Azresp

Bodies = Callable[[], list[dict[str, Any]]]
SECRET = "mcp-secret-token-98765"
ADD = '[[mcp:demo.add {"a": 2, "b": 3}]]'


def mcp_flags(server: Any, *extra: str) -> list[str]:
    return ["--mcp", f"demo={server.url}", *extra]


def test_the_tool_is_sent_as_the_api_describes_it(
    azresp: Azresp, bodies: Bodies, demo_mcp: Any
) -> None:
    header = f"demo:Authorization=Bearer {SECRET}"
    result = azresp("chat", *mcp_flags(demo_mcp, "--mcp-header", header), "hello")
    assert result.exit_code == 0, result.stderr
    [tool] = bodies()[0]["tools"]
    assert tool == {
        "type": "mcp",
        "server_label": "demo",
        "server_url": demo_mcp.url,
        "require_approval": "always",
        "headers": {"Authorization": "***"},  # the emulator's log masks the value ...
    }
    sent = [r.get("authorization") for r in demo_mcp.received]
    assert f"Bearer {SECRET}" in sent  # ... which reached the MCP server
    assert "mcp demo: 4 tools (add, echo, echo_headers, fail)" in result.stderr


def test_an_approval_request_is_answered_and_the_call_runs(
    azresp: Azresp, bodies: Bodies, demo_mcp: Any
) -> None:
    result = azresp("chat", *mcp_flags(demo_mcp), ADD, answers="y\n")
    assert result.exit_code == 0, result.stderr
    assert "Allow MCP call demo.add?" in result.stderr
    first, follow_up = bodies()
    [answer] = follow_up["input"]
    assert answer["type"] == "mcp_approval_response" and answer["approve"] is True
    assert answer["approval_request_id"].startswith("mcpr_")
    assert follow_up["previous_response_id"] and follow_up["tools"] == first["tools"]
    assert "mcp demo.add returned: 5" in result.stderr
    assert "5" in result.stdout


def test_a_denied_request_is_sent_back_declined(
    azresp: Azresp, bodies: Bodies, demo_mcp: Any
) -> None:
    result = azresp("chat", *mcp_flags(demo_mcp), ADD, answers="n\n")
    assert result.exit_code == 0, result.stderr
    [answer] = bodies()[-1]["input"]
    assert answer["approve"] is False and answer["reason"] == "The user declined this tool call."
    assert "mcp demo.add returned" not in result.stderr


def test_a_piped_run_refuses_and_yes_needs_no_approval_round(
    azresp: Azresp, bodies: Bodies, demo_mcp: Any
) -> None:
    refused = azresp("chat", *mcp_flags(demo_mcp), ADD)
    assert refused.exit_code == 0, refused.stderr
    assert "not run: demo.add" in refused.stderr and "--yes" in refused.stderr
    approved = azresp("chat", "--yes", *mcp_flags(demo_mcp), ADD)
    assert approved.exit_code == 0, approved.stderr
    assert bodies()[-1]["tools"][0]["require_approval"] == "never"
    assert "mcp demo.add returned: 5" in approved.stderr


def test_always_is_remembered_in_the_repl_session(
    azresp: Azresp, bodies: Bodies, demo_mcp: Any, tmp_path: Path
) -> None:
    from azresp_cli.core.approval import Decision
    from azresp_cli.core.client import make_client
    from azresp_cli.core.config import AuthMethod, Settings
    from azresp_cli.core.events import McpCallResult
    from azresp_cli.core.session import ChatSession
    from azresp_cli.core.tool_setup import ToolFlags, build_tool_kit

    settings = Settings(bodies_endpoint(bodies), "gpt-test", AuthMethod.KEY, api_key=TEST_KEY)
    asked: list[str] = []
    kit = build_tool_kit(ToolFlags(mcp=(f"demo={demo_mcp.url}",)), settings, {}, cwd=tmp_path)
    kit.approvals.approver = lambda call: asked.append(call.name) or Decision.ALWAYS
    client = make_client(settings)
    session = ChatSession(settings, lambda: client, tools=kit)
    try:
        first = list(session.ask(ADD))
        second = list(session.ask('[[mcp:demo.add {"a": 1, "b": 1}]]'))
    finally:
        client.close()
    assert asked == ["add"]  # the second call ran without asking
    assert bodies()[-1]["tools"][0]["require_approval"] == {"never": {"tool_names": ["add"]}}
    results = [e.output for e in first + second if isinstance(e, McpCallResult)]
    assert results == ["5", "2"]


def test_save_remembers_the_tool_in_the_profile(
    azresp: Azresp, bodies: Bodies, demo_mcp: Any, tmp_path: Path
) -> None:
    saved = azresp("chat", *mcp_flags(demo_mcp), ADD, answers="s\n")
    assert saved.exit_code == 0, saved.stderr
    config = (tmp_path / "config" / "config.toml").read_text()
    assert 'approved_tools = "mcp:demo:add"' in config
    later = azresp("chat", *mcp_flags(demo_mcp), ADD)  # piped: nobody to ask, yet it runs
    assert later.exit_code == 0, later.stderr
    assert bodies()[-1]["tools"][0]["require_approval"] == {"never": {"tool_names": ["add"]}}
    assert "mcp demo.add returned: 5" in later.stderr


def test_a_failing_tool_shows_its_error(azresp: Azresp, demo_mcp: Any) -> None:
    result = azresp("chat", "-y", *mcp_flags(demo_mcp), "[[mcp:demo.fail]]")
    assert result.exit_code == 0, result.stderr
    assert "mcp demo.fail failed:" in result.stderr


def test_an_unreachable_server_is_reported(azresp: Azresp, bodies: Bodies) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = azresp("chat", "-y", "--mcp", f"down=http://127.0.0.1:{port}/mcp", "hello")
    assert result.exit_code == 0, result.stderr
    assert "mcp down: cannot list its tools:" in result.stderr


def test_bad_mcp_flags_fail_before_any_request(azresp: Azresp, emulator: Any) -> None:
    for argv, message in (
        (["--mcp", "nourl"], "expected LABEL=URL"),
        (["--mcp", "x=ftp://host/mcp"], "is not an http(s) URL"),
        (["--mcp", "a b=http://h/mcp"], "is not a server label"),
        (["--mcp", "a=http://h/mcp", "--mcp-header", f"b:X-Key={SECRET}"], "names 'b'"),
        (["--mcp", "a=http://h/mcp", "--mcp-header", f"a-{SECRET}"], "LABEL:NAME=VALUE"),
    ):
        result = azresp("chat", *argv, "hi")
        assert result.exit_code == 2, result.stderr
        assert message in result.stderr
        assert SECRET not in result.output
    assert emulator.requests == []


@pytest.mark.slow
def test_header_values_never_reach_output_or_logs(
    azresp: Azresp, demo_mcp: Any, cli_env: dict[str, str], tmp_path: Path, emulator: Any
) -> None:
    header = f"demo:Authorization=Bearer {SECRET}"
    flags = [*mcp_flags(demo_mcp, "--mcp-header", header), "-y"]
    echo = "[[mcp:demo.echo_headers]]"
    for output in ([], ["--json"], ["--jsonl"]):
        result = azresp("chat", *flags, *output, echo)
        assert result.exit_code == 0, result.stderr
        assert SECRET not in result.output, output
    assert any(SECRET in str(r.get("authorization")) for r in demo_mcp.received)  # it was sent
    recorded = json.dumps([r.json for r in emulator.requests if r.json])
    assert SECRET not in recorded  # the emulator's request log masks it too
    debug = subprocess.run(
        [sys.executable, "-m", "azresp_cli", "chat", "--debug", *flags, echo],
        capture_output=True,
        text=True,
        env={**cli_env, "AZRESP_CONFIG_DIR": str(tmp_path / "c"), "AZRESP_DATA_DIR": str(tmp_path)},
        timeout=60,
        check=False,
    )
    assert debug.returncode == 0, debug.stderr
    assert "debug:" in debug.stderr
    for secret in (SECRET, TEST_KEY):
        assert secret not in debug.stdout + debug.stderr


def bodies_endpoint(bodies: Any) -> str:
    """The test emulator's base URL (from the fixture closure, without another fixture)."""
    emulator = bodies.__closure__[0].cell_contents
    return str(emulator.base_url)
