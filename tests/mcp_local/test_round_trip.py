"""Local MCP servers over stdio, end to end: listing, approval, the call, the model's input."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cli_support import azresp_command
from mcp_local_support import server_flag, server_toml
from spec_validation import assert_valid
from tool_support import Azresp, outputs_sent

Bodies = Callable[[], list[dict[str, Any]]]
READ = '[[call:fs__read_file {"path":"todo.txt"}]]'
# Every test here starts an MCP server process.
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("no_leftover_servers")]


def test_tools_are_offered_as_functions_and_a_yes_call_reaches_the_model(
    azresp: Azresp, bodies: Bodies, root: Path
) -> None:
    result = azresp("chat", "--yes", "--mcp-local", server_flag(root), READ)
    assert result.exit_code == 0, result.stderr
    first, follow_up = bodies()
    names = [tool["name"] for tool in first["tools"]]
    assert names[:3] == ["fs__read_file", "fs__write_file", "fs__list_dir"]
    read = first["tools"][0]
    assert read["type"] == "function"
    assert read["parameters"]["required"] == ["path"]  # the server's schema
    assert read["description"] == "Read a text file under the server's root."
    assert_valid("CreateResponse", first)
    [output] = outputs_sent(follow_up)
    assert output["output"] == "buy milk\n"  # the server's answer reached the model
    assert_valid("CreateResponse", follow_up)
    assert "tool `fs__read_file` returned: `buy milk`" in result.stdout
    assert "mcp fs (local): 6 tools" in result.stderr
    assert "fs-test server serving" not in result.stderr  # its stderr is not the terminal's


def test_its_stderr_goes_to_the_debug_log(
    cli_env: dict[str, str], root: Path, tmp_path: Path
) -> None:
    # A process of its own: --debug logging is set up once per process.
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AZURE_", "AZRESP_"))},
        **cli_env,
        "AZRESP_CONFIG_DIR": str(tmp_path / "config"),
        "AZRESP_DATA_DIR": str(tmp_path / "data"),
    }
    argv = ["--debug", "chat", "--yes", "--mcp-local", server_flag(root), READ]
    result = subprocess.run(
        [*azresp_command(), *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "debug: azresp.mcp_local: mcp-local fs stderr: fs-test server serving" in result.stderr


def test_without_a_terminal_the_call_is_refused_and_the_model_told(
    azresp: Azresp, bodies: Bodies, root: Path
) -> None:
    result = azresp("chat", "--mcp-local", server_flag(root), READ)
    assert result.exit_code == 0, result.stderr
    [refusal] = outputs_sent(bodies()[1])
    assert "nobody could be asked" in refusal["output"]


def test_approval_is_asked_and_a_no_is_sent_to_the_model(
    azresp: Azresp, bodies: Bodies, root: Path
) -> None:
    result = azresp("chat", "--mcp-local", server_flag(root), READ, answers="n\n")
    assert result.exit_code == 0, result.stderr
    assert "Run fs__read_file?" in result.stderr
    [refusal] = outputs_sent(bodies()[1])
    assert refusal["output"] == "The user declined this tool call."


def test_save_remembers_the_tool_in_the_servers_config_table(
    azresp: Azresp, bodies: Bodies, root: Path, tmp_path: Path
) -> None:
    result = azresp("chat", "--mcp-local", server_flag(root), READ, answers="s\n")
    assert result.exit_code == 0, result.stderr
    config = (tmp_path / "config" / "config.toml").read_text(encoding="utf-8")
    assert "[mcp_local.fs]" in config and 'allow = ["read_file"]' in config
    # The next session runs it without asking (no terminal: it would be refused otherwise).
    again = azresp("chat", "--mcp-local", server_flag(root), READ)
    assert again.exit_code == 0, again.stderr
    [output] = outputs_sent(bodies()[-1])
    assert output["output"] == "buy milk\n"


def test_deny_always_is_saved_and_refuses_without_asking(
    azresp: Azresp, bodies: Bodies, root: Path, tmp_path: Path
) -> None:
    write = '[[call:fs__write_file {"path":"x.txt","text":"hi"}]]'
    result = azresp("chat", "--mcp-local", server_flag(root), write, answers="d\n")
    assert result.exit_code == 0, result.stderr
    config = (tmp_path / "config" / "config.toml").read_text(encoding="utf-8")
    assert 'deny = ["write_file"]' in config
    again = azresp("chat", "--yes", "--mcp-local", server_flag(root), write)
    assert again.exit_code == 0, again.stderr
    [refusal] = outputs_sent(bodies()[-1])
    assert "[mcp_local.fs] deny" in refusal["output"]
    assert not (root / "x.txt").exists()


def test_a_configured_server_is_used_by_name(
    azresp: Azresp, bodies: Bodies, root: Path, tmp_path: Path
) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text(
        f'[mcp_local.notes]\n{server_toml(root)}\nallow = ["read_file"]\n',
        encoding="utf-8",
    )
    prompt = '[[call:notes__read_file {"path":"todo.txt"}]]'
    result = azresp("chat", "--mcp-local", "notes", prompt)
    assert result.exit_code == 0, result.stderr
    [output] = outputs_sent(bodies()[1])
    assert output["output"] == "buy milk\n"


def test_an_image_result_is_sent_as_an_input_image_part(
    azresp: Azresp, bodies: Bodies, root: Path
) -> None:
    result = azresp("chat", "-y", "--mcp-local", server_flag(root), "[[call:fs__picture]]")
    assert result.exit_code == 0, result.stderr
    [output] = outputs_sent(bodies()[1])
    text, image = output["output"]
    assert text == {"type": "input_text", "text": "[image image/png]"}
    assert image["type"] == "input_image"
    assert image["image_url"].startswith("data:image/png;base64,iVBOR")
    assert_valid("CreateResponse", bodies()[1])


def test_a_large_result_is_truncated_with_a_note(
    azresp: Azresp, bodies: Bodies, root: Path, tmp_path: Path
) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text(
        "[mcp_local.fs]\nmax_output_chars = 500\n", encoding="utf-8"
    )
    prompt = '[[call:fs__big {"n": 5000}]]'
    result = azresp("chat", "-y", "--mcp-local", server_flag(root), prompt)
    assert result.exit_code == 0, result.stderr
    [output] = outputs_sent(bodies()[1])
    note, text = output["output"].split("\n")
    assert note.startswith("[truncated by azresp: 500 of 5,000 characters follow")
    assert text == "x" * 500
    assert "truncated by azresp" in result.stderr  # visible on the screen too


def test_a_server_dying_mid_call_is_reported_to_the_model_and_the_turn_goes_on(
    azresp: Azresp, bodies: Bodies, root: Path
) -> None:
    result = azresp("chat", "-y", "--mcp-local", server_flag(root), "[[call:fs__crash]]")
    assert result.exit_code == 0, result.stderr
    [output] = outputs_sent(bodies()[1])
    assert output["output"].startswith("Error: local MCP server 'fs' failed during crash")
    assert "fs__crash failed: Error: local MCP server 'fs' failed during crash" in result.stderr
    assert "tool `fs__crash` returned" in result.stdout  # the model answered


def test_a_server_that_cannot_start_is_one_error_and_the_turn_goes_on(
    azresp: Azresp, bodies: Bodies
) -> None:
    result = azresp("chat", "-y", "--mcp-local", "gone=/nonexistent/mcp-server --x", "hello")
    assert result.exit_code == 0, result.stderr
    assert "mcp gone (local): cannot list its tools:" in result.stderr
    assert "command not found" in result.stderr
    assert "Traceback" not in result.stderr
    [body] = bodies()
    assert "tools" not in body or not body["tools"]


def test_bad_specs_are_usage_errors(azresp: Azresp) -> None:
    result = azresp("chat", "--mcp-local", "fs", "hi")
    assert result.exit_code == 2
    assert "no [mcp_local.fs] with a command in the config file" in result.stderr
    result = azresp("chat", "--mcp-local", "a__b=cmd", "hi")
    assert result.exit_code == 2 and "cannot name a local MCP server" in result.stderr
