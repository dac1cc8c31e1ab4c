"""The prompt's keys through prompt_toolkit's pipe input, as its own tests do (Enter is "\\r")."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.input.base import PipeInput
from prompt_toolkit.output import DummyOutput

from azresp_cli.core.config import AuthMethod, Settings
from azresp_cli.core.environment import Environment
from azresp_cli.core.session import ChatSession
from azresp_cli.repl.keys import InterruptWindow, LeaveInterrupted, has_open_fence
from azresp_cli.repl.shell import Repl, ReplOptions

ESC_ENTER = "\x1b\r"
UP = "\x1b[A"
CTRL_C, CTRL_D, CTRL_R = "\x03", "\x04", "\x12"


def paste(text: str) -> str:
    return f"\x1b[200~{text}\x1b[201~"


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def pipe() -> Iterator[PipeInput]:
    with create_pipe_input() as pipe_input:
        yield pipe_input


def offline_session() -> ChatSession:
    settings = Settings(
        endpoint="http://127.0.0.1:9/openai/v1/", deployment="gpt-test", auth=AuthMethod.KEY
    )

    def no_client() -> Any:
        raise AssertionError("these tests never reach the service")

    return ChatSession(settings, no_client)


def make_repl(
    pipe: PipeInput,
    *,
    history: Path | None = None,
    vi_mode: bool = False,
    clock: FakeClock | None = None,
) -> Repl:
    env = Environment(
        stdin=io.StringIO(),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
        stdin_isatty=True,
        stdout_isatty=False,
        stderr_isatty=False,
    )
    return Repl(
        env,
        offline_session(),
        ReplOptions(vi_mode=vi_mode, prompt_history=history),
        input=pipe,
        output=DummyOutput(),
        interrupts=InterruptWindow(clock=clock or FakeClock()),
    )


def read_line(pipe: PipeInput, keys: str, **options: Any) -> str:
    pipe.send_text(keys)
    return make_repl(pipe, **options).prompt_session.prompt()


def test_enter_sends(pipe: PipeInput) -> None:
    assert read_line(pipe, "hello\r") == "hello"


def test_esc_enter_adds_a_line(pipe: PipeInput) -> None:
    assert read_line(pipe, f"first{ESC_ENTER}second\r") == "first\nsecond"


def test_an_open_fence_keeps_enter_adding_lines(pipe: PipeInput) -> None:
    keys = f"look:{ESC_ENTER}```python\rprint(1)\r```\r"
    assert read_line(pipe, keys) == "look:\n```python\nprint(1)\n```"


def test_a_pasted_block_stays_one_message(pipe: PipeInput) -> None:
    assert read_line(pipe, paste("line one\r\nline two\nline three") + "\r") == (
        "line one\nline two\nline three"
    )


def test_ctrl_c_clears_the_line(pipe: PipeInput) -> None:
    assert read_line(pipe, f"half a thought{CTRL_C}a whole one\r") == "a whole one"


def test_a_second_ctrl_c_within_the_window_leaves(pipe: PipeInput) -> None:
    pipe.send_text(f"x{CTRL_C}{CTRL_C}")
    with pytest.raises(LeaveInterrupted):
        make_repl(pipe).prompt_session.prompt()


def test_a_late_second_ctrl_c_only_clears_again() -> None:
    clock = FakeClock()
    window = InterruptWindow(clock=clock)
    assert window.press() is False
    clock.now += 5
    assert window.press() is False
    clock.now += 1
    assert window.press() is True


def test_ctrl_d_on_an_empty_line_leaves(pipe: PipeInput) -> None:
    pipe.send_text(CTRL_D)
    with pytest.raises(EOFError):
        make_repl(pipe).prompt_session.prompt()


def test_up_arrow_recalls_prompts_of_an_earlier_session(pipe: PipeInput, tmp_path: Path) -> None:
    history = tmp_path / "data" / "prompt-history"
    assert read_line(pipe, "an earlier prompt\r", history=history) == "an earlier prompt"
    with create_pipe_input() as second:
        assert read_line(second, f"{UP}\r", history=history) == "an earlier prompt"
    assert oct(history.stat().st_mode & 0o777) == "0o600"


def test_ctrl_r_searches_the_history(pipe: PipeInput, tmp_path: Path) -> None:
    history = tmp_path / "prompt-history"
    for line in ("about postgres", "about python", "unrelated"):
        with create_pipe_input() as earlier:
            read_line(earlier, line + "\r", history=history)
    assert read_line(pipe, f"{CTRL_R}postg\r\r", history=history) == "about postgres"


def test_vi_mode_edits_like_vi(pipe: PipeInput) -> None:
    # Insert "hello", Esc to normal mode, 0 to the start, x deletes a character, Enter sends.
    assert read_line(pipe, "hello\x1b0x\r", vi_mode=True) == "ello"


@pytest.mark.parametrize(
    ("text", "is_open"),
    [
        ("plain", False),
        ("```", True),
        ("```python\ncode", True),
        ("```\ncode\n```", False),
        ("text\n  ~~~\nx", True),
        ("a ``` inline is not a fence", False),
    ],
)
def test_open_fence(text: str, is_open: bool) -> None:
    assert has_open_fence(text) is is_open
