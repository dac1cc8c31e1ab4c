"""Consoles built from an Environment: TTY facts, NO_COLOR and COLUMNS come from it alone."""

from __future__ import annotations

import io

import pytest
from rich.text import Text

from azresp_cli.render.console import stderr_console, stdout_console

from .support import make_env, streams


def test_a_tty_console_is_a_colour_terminal_of_the_columns_width() -> None:
    env = make_env(stdout_tty=True, COLUMNS="72")
    console = stdout_console(env)
    assert console.is_terminal and console.color_system is not None
    assert console.width == 72


def test_a_pipe_console_prints_no_escapes() -> None:
    env = make_env(stdout_tty=False)
    stdout_console(env).print(Text("bold", style="bold red"))
    assert streams(env)[0] == "bold\n"


def test_no_color_on_a_tty_turns_off_every_escape_and_live() -> None:
    env = make_env(stdout_tty=True, stderr_tty=True, NO_COLOR="1")
    for console in (stdout_console(env), stderr_console(env)):
        assert not console.is_terminal and not console.is_interactive
        console.print(Text("plain", style="bold"))
    assert streams(env) == ("plain\n", "plain\n")


def test_stderr_colour_follows_the_stderr_tty() -> None:
    env = make_env(stdout_tty=False, stderr_tty=True)
    assert stderr_console(env).is_terminal and not stdout_console(env).is_terminal


def test_an_explicit_width_wins_over_columns() -> None:
    assert stdout_console(make_env(COLUMNS="120"), width=50).width == 50


def test_model_text_is_never_console_markup() -> None:
    env = make_env()
    stdout_console(env).print("[bold]not markup[/bold] :smile:")
    assert streams(env)[0] == "[bold]not markup[/bold] :smile:\n"


class ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_pipe_raises_for_cli_main_instead_of_exiting() -> None:
    # rich's default would redirect the process's stdout and raise SystemExit(1).
    env = make_env(stdout_tty=True)
    console = stdout_console(env)
    console.file = ClosedPipe()
    with pytest.raises(BrokenPipeError):
        console.print("answer")
    console.print("later output is dropped, not raised again")
