"""The global flags work before and after the command word; connection flags before it too;
help groups the options by panel."""

from __future__ import annotations

import contextlib
import io
import re
from typing import Any

import pytest
from cli_support import RunCli

PLACEMENTS = ["before", "after"]


def argv(flag: str, placement: str, *command: str) -> list[str]:
    """``flag`` before the command word or after it (``azresp --debug history list`` or
    ``azresp history list --debug``); a command's trailing prompt stays last."""
    if placement == "before":
        return [flag, *command]
    *words, last = command
    return [*words, flag, last] if command[0] == "chat" else [*command, flag]


@pytest.mark.parametrize("placement", PLACEMENTS)
def test_debug_shows_internals_of_a_local_command(azresp: RunCli, placement: str) -> None:
    plain = azresp("history", "show", "conv_nope")
    debug = azresp(*argv("--debug", placement, "history", "show", "conv_nope"))
    assert plain.exit_code == debug.exit_code == 4, debug.output
    assert "Traceback" not in plain.stderr
    assert "error: no conversation or response 'conv_nope'" in debug.stderr
    assert "Traceback" in debug.stderr  # --debug: the internals


@pytest.mark.parametrize("placement", PLACEMENTS)
def test_debug_logs_the_requests_of_a_service_command(
    azresp_process: Any, emulator_env: dict[str, str], placement: str
) -> None:
    # A process of its own: the debug log is the process's logging set-up.
    result = azresp_process(*argv("--debug", placement, "chat", "hi"), env=emulator_env)
    assert result.returncode == 0, result.stderr
    assert "debug: openai" in result.stderr


@pytest.mark.parametrize("placement", PLACEMENTS)
def test_quiet_drops_the_footer(
    azresp: RunCli, emulator_env: dict[str, str], placement: str
) -> None:
    loud = azresp("chat", "hi", env=emulator_env)
    quiet = azresp(*argv("--quiet", placement, "chat", "hi"), env=emulator_env)
    assert loud.exit_code == quiet.exit_code == 0, quiet.stderr
    assert " in · " in loud.stderr and quiet.stderr == ""  # the footer, then none
    assert "You said" in quiet.stdout


@pytest.mark.parametrize("placement", PLACEMENTS)
def test_no_color_on_a_terminal(
    azresp: RunCli, emulator_env: dict[str, str], placement: str
) -> None:
    coloured = azresp("chat", "[[reply:**bold** text]]", env=emulator_env, tty=True)
    assert "\x1b[" in coloured.stdout  # a terminal gets colour by default
    plain = azresp(*argv("--no-color", placement, "chat", "[[reply:**bold** text]]"),
                   env=emulator_env, tty=True)  # fmt: skip
    assert plain.exit_code == 0, plain.stderr
    assert "\x1b[" not in plain.stdout + plain.stderr and "bold" in plain.stdout


@pytest.mark.parametrize("placement", PLACEMENTS)
def test_global_flags_on_every_kind_of_command(azresp: RunCli, placement: str) -> None:
    for command in (["history", "list"], ["config", "path"], ["bg", "list"]):
        result = azresp(*argv("-q", placement, *command))
        assert result.exit_code == 0, (command, result.output)


def test_connection_flags_before_the_command_word(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any
) -> None:
    env = {k: v for k, v in emulator_env.items() if k != "AZURE_OPENAI_ENDPOINT"}
    before = azresp("--endpoint", emulator.base_url, "-m", "dep-a", "chat", "hi", env=env)
    assert before.exit_code == 0, before.stderr
    assert emulator.requests[-1].json["model"] == "dep-a"
    # After the command word wins over before it.
    both = azresp("--endpoint", emulator.base_url, "-m", "dep-a", "chat", "-m", "dep-b", "hi",
                  env=env)  # fmt: skip
    assert both.exit_code == 0, both.stderr
    assert emulator.requests[-1].json["model"] == "dep-b"


def test_connection_flags_are_refused_by_a_command_that_does_not_use_them(
    azresp: RunCli,
) -> None:
    result = azresp("--emulator", "history", "list")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "error: --emulator is for commands that talk to the service, not `azresp history list`"
    )


def help_sections(azresp: RunCli, *command: str) -> dict[str, list[str]]:
    """Each section of the help ("Chat", "Global options" ...) and the long flags it lists."""
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured):
        assert azresp(*command, "--help").exit_code == 0
    sections: dict[str, list[str]] = {}
    for line in captured.getvalue().splitlines():
        if re.fullmatch(r"[A-Z][\w ]*:", line):
            sections[line[:-1]] = []
        elif sections and (option := re.match(r"  (?:-\w, )?(--[\w-]+)", line)):
            sections[list(sections)[-1]].append(option.group(1))
    return sections


def test_chat_help_groups_its_options_by_panel(azresp: RunCli) -> None:
    sections = help_sections(azresp, "chat")
    assert list(sections) == [
        "Arguments", "Chat", "Output", "Chat session", "Tools and inputs",
        "Templates and fragments", "Connection",
        "Global options",
    ]  # fmt: skip
    assert {"--effort", "--tier", "--continue"} <= set(sections["Chat"])
    assert sections["Output"] == ["--no-stream", "--json", "--jsonl"]
    assert {"--attach", "--mcp", "--code"} <= set(sections["Tools and inputs"])
    assert {"--endpoint", "--emulator", "--timeout"} <= set(sections["Connection"])
    assert sections["Global options"] == ["--debug", "--no-color", "--quiet", "--help"]


@pytest.mark.parametrize("command", [(), ("history", "list"), ("config",), ("bg", "start")])
def test_every_help_lists_the_global_options(azresp: RunCli, command: tuple[str, ...]) -> None:
    sections = help_sections(azresp, *command)
    assert sections["Global options"] == ["--debug", "--no-color", "--quiet", "--help"]


def test_a_profile_before_the_command_word_is_the_profile_config_works_on(
    azresp: RunCli, dirs: tuple[Any, Any]
) -> None:
    config_dir, _ = dirs
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "config.toml").write_text(
        '[profiles.work]\neffort = "low"\n\n[profiles.lab]\neffort = "high"\n'
    )
    assert azresp("--profile", "lab", "config", "get", "effort").stdout == "high\n"
    assert azresp("config", "get", "effort", "--profile", "lab").stdout == "high\n"
    after_wins = azresp("--profile", "lab", "config", "get", "--profile", "work", "effort")
    assert after_wins.stdout == "low\n"
