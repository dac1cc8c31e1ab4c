"""The chat session end to end: the real binary in a pseudo-terminal, talking to the emulator."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pexpect
import pytest
from cli_support import TEST_KEY, spawn_azresp, terminal_env

pytestmark = pytest.mark.pty

# prompt_toolkit turns bracketed paste on when a prompt starts and off when the line is
# accepted: between the two markers is what the line printed, and the first means "ready".
READY = "\x1b[?2004h"
ACCEPTED = "\x1b[?2004l"
RESPONSE_ID = re.compile(rb"resp_[0-9a-f]{8,}")


class Chat:
    """One `azresp chat` in a pty: type lines, wait for what the user would see."""

    def __init__(self, child: pexpect.spawn) -> None:
        self.child = child
        self.expect(READY)

    def expect(self, pattern: str | re.Pattern[bytes]) -> str:
        self.child.expect(re.escape(pattern) if isinstance(pattern, str) else pattern)
        return str(self.child.after.decode(errors="replace"))

    def ask(self, line: str) -> str:
        """Type ``line``, Enter, and return everything printed up to the next prompt."""
        self.child.send(line + "\r")
        self.child.expect(re.escape(ACCEPTED))
        self.child.expect(re.escape(READY))
        return plain(self.child.before)

    def command(self, line: str) -> str:
        return self.ask(line)

    def leave(self) -> int:
        self.child.sendcontrol("d")
        self.child.expect(pexpect.EOF)
        self.child.close()
        return int(self.child.exitstatus)


def plain(raw: bytes) -> str:
    """The text without ANSI escapes, with wrapped lines joined."""
    text = re.sub(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][A-Z0-9]|\x1b[=>]", b"", raw)
    return text.decode(errors="replace").replace("\r", "")


StartChat = Callable[..., Chat]


@pytest.fixture
def start_chat(emulator: Any, tmp_path: Path) -> Iterator[StartChat]:
    children: list[pexpect.spawn] = []

    def start(*args: str, env: dict[str, str] | None = None) -> Chat:
        variables = {**terminal_env(tmp_path, emulator.base_url), **(env or {})}
        child = spawn_azresp("chat", *args, env=variables, dimensions=(40, 160), timeout=30)
        children.append(child)
        return Chat(child)

    yield start
    for child in children:
        if child.isalive():
            child.terminate(force=True)


def current_id(chat: Chat) -> str:
    found = RESPONSE_ID.search(chat.command("/id").encode())
    assert found is not None
    return found.group().decode()


def create_bodies(emulator: Any) -> list[dict[str, Any]]:
    return [
        r.json for r in emulator.requests if r.method == "POST" and r.path.endswith("/responses")
    ]


def test_two_turns_chain_on_the_server(start_chat: StartChat, emulator: Any) -> None:
    chat = start_chat()
    first = chat.ask("my name is Ada")
    assert "Turn 1" in first
    second = chat.ask("what is my name?")
    assert "Turn 2" in second and 'Earlier you said: "my name is Ada"' in second
    assert chat.leave() == 0

    first_body, second_body = create_bodies(emulator)
    first_id = RESPONSE_ID.search(first.encode())
    assert first_id is not None
    assert second_body["previous_response_id"] == first_id.group().decode()
    assert second_body["input"] == "what is my name?"  # the first prompt is not resent
    assert "previous_response_id" not in first_body


def test_sixteen_turns_share_one_connection(start_chat: StartChat, emulator: Any) -> None:
    # The README promises a kept-alive connection: every turn's stream is read to its end, so
    # the SDK's pool reuses the connection (against Azure: no TLS handshake per turn).
    chat = start_chat()
    for turn in range(1, 17):
        assert f"Turn {turn}" in chat.ask(f"question {turn}")
    assert chat.leave() == 0
    assert len(create_bodies(emulator)) == 16
    assert emulator.connections_accepted == 1


def test_new_and_fork(start_chat: StartChat, emulator: Any) -> None:
    chat = start_chat()
    chat.ask("alpha")
    alpha_id = current_id(chat)
    chat.ask("beta")
    chat.command("/new")
    assert "Turn 1" in chat.ask("gamma")
    chat.command(f"/fork {alpha_id}")
    forked = chat.ask("delta")
    assert "Turn 2" in forked and 'Earlier you said: "alpha"' in forked
    assert create_bodies(emulator)[-1]["previous_response_id"] == alpha_id
    assert chat.leave() == 0


def test_ctrl_c_stops_a_slow_answer_and_the_next_turn_skips_it(
    start_chat: StartChat, emulator: Any
) -> None:
    chat = start_chat()
    chat.ask("first complete")
    complete_id = current_id(chat)
    chat.child.send("[[slow:150]] [[long:600]]\r")
    chat.expect(ACCEPTED)
    chat.expect(re.compile(rb"[a-z]+ [a-z]+ [a-z]+"))  # the answer has started
    chat.child.sendintr()
    chat.expect(READY)
    assert "interrupted" in plain(chat.child.before)
    after = chat.ask("what came before?")
    assert 'Earlier you said: "first complete"' in after
    assert create_bodies(emulator)[-1]["previous_response_id"] == complete_id
    assert chat.leave() == 0


def test_resume_after_a_restart(start_chat: StartChat) -> None:
    before = start_chat()
    before.ask("my name is Ada")
    assert before.leave() == 0
    after = start_chat("--resume")
    answer = after.ask("what is my name?")
    assert 'Earlier you said: "my name is Ada"' in answer
    assert after.leave() == 0


@pytest.mark.parametrize(
    "fault",
    ["429", "503", "content_filter", "failed", "error_event", "cut:6", "malformed"],
)
def test_the_session_survives_every_fault(start_chat: StartChat, fault: str) -> None:
    chat = start_chat()
    chat.ask("remember the word teapot")
    failed = chat.ask(f"[[fault:{fault}]]")
    assert "error: " in failed and "hint: " in failed
    after = chat.ask("which word?")
    assert 'Earlier you said: "remember the word teapot"' in after
    assert chat.leave() == 0


def test_a_filtered_answer_is_kept_and_the_chain_goes_on_from_it(start_chat: StartChat) -> None:
    chat = start_chat()
    chat.ask("remember the word teapot")
    filtered = chat.ask("[[fault:output_filter]]")
    assert "error: the answer was stopped by Azure's content filter" in filtered
    after = chat.ask("which word?")
    assert "Turn 3" in after  # the partial answer is part of the conversation
    assert chat.leave() == 0


def test_two_ctrl_c_at_the_prompt_exit_130(start_chat: StartChat) -> None:
    chat = start_chat()
    chat.child.sendcontrol("c")
    chat.child.sendcontrol("c")
    chat.child.expect(pexpect.EOF)
    chat.child.close()
    assert chat.child.exitstatus == 130


def test_interactive_flag_answers_then_stays(start_chat: StartChat) -> None:
    chat = start_chat("-i", "my name is Ada")  # the first prompt comes after the answer
    second = chat.ask("what is my name?")
    assert 'Earlier you said: "my name is Ada"' in second
    assert chat.leave() == 0


def test_bare_chat_without_a_terminal_is_still_a_usage_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "azresp_cli", "chat"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env={**os.environ, "AZRESP_DATA_DIR": str(tmp_path), "AZURE_OPENAI_API_KEY": TEST_KEY},
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: no prompt")


def test_chat_t_i_fills_the_template_prompt_with_the_first_message(
    start_chat: StartChat, emulator: Any, tmp_path: Path
) -> None:
    templates = tmp_path / "config" / "templates"
    templates.mkdir(parents=True)
    (templates / "tr.toml").write_text('prompt = "Translate into $lang: $input"\n')
    chat = start_chat("-t", "tr", "--param", "lang", "Welsh", "-i")
    chat.ask("good morning")
    chat.ask("good night")
    assert chat.leave() == 0
    first, second = create_bodies(emulator)
    assert first["input"] == "Translate into Welsh: good morning"
    assert second["input"] == "good night"  # only the first message fills it
