"""Approval in the chat session, through prompt_toolkit's pipe input (one key answers)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_support import TEST_KEY
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.input.base import PipeInput
from prompt_toolkit.output import DummyOutput
from tool_support import outputs_sent

from azresp_cli.core.approval import Decision
from azresp_cli.core.client import make_client
from azresp_cli.core.config import AuthMethod, Settings
from azresp_cli.core.environment import Environment
from azresp_cli.core.events import ToolCall
from azresp_cli.core.session import ChatSession
from azresp_cli.core.tool_setup import ToolFlags, build_tool_kit
from azresp_cli.repl.approval import ask_approval
from azresp_cli.repl.shell import Repl, ReplOptions

CALL = ToolCall("function", "get_weather", '{"city": "Paris"}', "call_1")
CTRL_C, CTRL_D = "\x03", "\x04"


@pytest.fixture
def pipe() -> Iterator[PipeInput]:
    with create_pipe_input() as pipe_input:
        yield pipe_input


@pytest.mark.parametrize(
    ("keys", "decision"),
    [
        ("y", Decision.APPROVE),
        ("N", Decision.DENY),
        ("a", Decision.ALWAYS),
        ("s", Decision.ALWAYS_SAVED),
        ("x" + "y", Decision.APPROVE),  # other keys do nothing
        (CTRL_D, Decision.DENY),
    ],
)
def test_one_key_answers(pipe: PipeInput, keys: str, decision: Decision) -> None:
    pipe.send_text(keys)
    assert ask_approval(CALL, input=pipe, output=DummyOutput()) is decision


def test_ctrl_c_stops_the_turn(pipe: PipeInput) -> None:
    pipe.send_text(CTRL_C)
    with pytest.raises(KeyboardInterrupt):
        ask_approval(CALL, input=pipe, output=DummyOutput())


def run_repl(session: ChatSession, keys: str, *, tty: bool = False) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    env = Environment(
        stdin=io.StringIO(),
        stdout=stdout,
        stderr=stderr,
        stdin_isatty=True,
        stdout_isatty=tty,
        stderr_isatty=tty,
        variables={"COLUMNS": "100", "LINES": "40"},
    )
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        Repl(env, session, ReplOptions(), input=pipe, output=DummyOutput()).run()
    return stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def tool_session(emulator: Any, weather_tools: Path, tmp_path: Path) -> Iterator[ChatSession]:
    settings = Settings(emulator.base_url, "gpt-test", AuthMethod.KEY, api_key=TEST_KEY)
    kit = build_tool_kit(ToolFlags(tool_files=(str(weather_tools),)), settings, {}, cwd=tmp_path)
    client = make_client(settings)
    yield ChatSession(settings, lambda: client, tools=kit)
    client.close()


PROMPT = '[[call:get_weather {"city":"Paris"}]]\r'


def test_the_repl_asks_and_always_holds_for_the_session(
    tool_session: ChatSession, bodies: Any, weather_tools: Path
) -> None:
    stdout, stderr = run_repl(tool_session, f"{PROMPT}a{PROMPT}/exit\r")
    assert stdout.count("tool `get_weather` returned") == 2
    assert "function get_weather" not in stdout  # panels go to stderr
    assert "get_weather returned:" in stderr
    # "always" is kept for get_weather of this file, not any file's get_weather
    key = f"function:{weather_tools.resolve()}:get_weather"
    assert key in tool_session.tools.approvals.remembered
    assert len(bodies()) == 4  # two turns of two responses each; the second asked nobody


def test_a_no_in_the_repl_sends_the_refusal(tool_session: ChatSession, bodies: Any) -> None:
    _, stderr = run_repl(tool_session, f"{PROMPT}n/exit\r")
    assert outputs_sent(bodies()[-1])[0]["output"] == "The user declined this tool call."
    assert "not run: get_weather" in stderr


def test_ctrl_c_at_the_question_stops_the_turn_and_keeps_the_chain(
    tool_session: ChatSession, bodies: Any
) -> None:
    _, stderr = run_repl(tool_session, f"{PROMPT}{CTRL_C}/exit\r")
    assert len(bodies()) == 1  # nothing was sent for the call
    assert tool_session.head is None  # the unanswered call is not part of the chain
    assert "[interrupted" in stderr
