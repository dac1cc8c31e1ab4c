"""Slash commands typed at the prompt (pipe input, DummyOutput): what users see, what they do."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from azresp_fixtures import Seen

from azresp_cli.core.errors import Interrupted
from azresp_cli.core.session import ChatSession

RunKeys = Callable[..., Seen]


def test_help_lists_every_command_and_exit_leaves(make_session: Any, type_keys: RunKeys) -> None:
    seen = type_keys(make_session(), "/help\r/help fork\r/exit\r")
    assert "/attach PATH" in seen.stdout and "/retry" in seen.stdout
    assert "/fork ID\n  branch off an earlier response" in seen.stdout


def test_unknown_commands_and_bad_arguments_keep_the_session(
    make_session: Any, type_keys: RunKeys
) -> None:
    session = make_session()
    seen = type_keys(session, "/frobnicate\r/store maybe\r/model next-deployment\r\x04")
    assert "error: unknown command /frobnicate" in seen.stderr
    assert "error: /store does not know 'maybe'" in seen.stderr
    assert "deployment: next-deployment" in seen.stdout  # the session went on
    assert session.settings.deployment == "next-deployment"


def test_id_prints_the_current_response_id_alone(
    make_session: Any, answer: Any, type_keys: RunKeys
) -> None:
    session = make_session()
    answer(session, "hello")
    seen = type_keys(session, "/id\r/exit\r")
    assert f"\n{session.head}\n" in f"\n{seen.stdout}"


def test_new_fork_and_previous_move_the_chain(
    make_session: Any, answer: Any, type_keys: RunKeys
) -> None:
    session = make_session()
    answer(session, "root")
    root = session.head
    answer(session, "child")
    type_keys(session, f"/fork {root}\r/exit\r")
    assert session.conversation.previous_response_id == root
    type_keys(session, "/new\r/exit\r")
    assert session.head is None and session.conversation.previous_response_id is None
    elsewhere = make_session()
    answer(elsewhere, "another session's question")
    seen = type_keys(session, f"/previous {elsewhere.head}\r/id\r/exit\r")
    assert f"continuing from {elsewhere.head}" in seen.stdout


def test_settings_commands_change_the_next_request(
    make_session: Any, answer: Any, type_keys: RunKeys, create_bodies: Any
) -> None:
    session = make_session()
    seen = type_keys(session, "/system Answer tersely.\r/effort high\r/store off\r/exit\r")
    assert "instructions: Answer tersely." in seen.stdout
    assert "reasoning effort: high" in seen.stdout
    assert "store off" in seen.stdout
    reply = answer(session, "hi")
    body = create_bodies()[-1]
    assert body["instructions"] == "Answer tersely."
    assert body["reasoning"] == {"effort": "high"}
    assert body["store"] is False
    assert 'Following your instructions: "Answer tersely."' in reply


def test_attach_then_history_and_save(
    make_session: Any, answer: Any, type_keys: RunKeys, tmp_path: Path, create_bodies: Any
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("the launch is on Friday")
    session = make_session()
    seen = type_keys(session, f"/attach {notes}\r/attach {tmp_path}/missing.txt\r/exit\r")
    assert "attached notes.txt (text, 23 B)" in seen.stdout
    assert "error: " in seen.stderr and "missing.txt: no such file" in seen.stderr
    answer(session, "when is the launch?")
    assert "the launch is on Friday" in str(create_bodies()[-1]["input"])

    target = tmp_path / "transcript.md"
    seen = type_keys(session, f"/history\r/save {target}\r/exit\r")
    assert session.head in seen.stdout and "when is the launch?" in seen.stdout
    assert f"saved 1 turn to {target}" in seen.stdout
    saved = target.read_text()
    assert saved.startswith(f"# Conversation {session.conversation_id}")
    assert "## 1. You\n\nwhen is the launch?" in saved
    assert f"### Answer (`{session.head}`)" in saved


def test_delete_removes_a_stored_response(
    make_session: Any, answer: Any, type_keys: RunKeys, emulator: Any
) -> None:
    session = make_session()
    answer(session, "to be deleted")
    doomed = session.head
    seen = type_keys(session, f"/delete {doomed}\r/delete {doomed}\r/exit\r")
    assert f"deleted {doomed}" in seen.stdout
    assert "error: " in seen.stderr  # the second time it is gone: a one-line error, no crash
    deletes = [r for r in emulator.requests if r.method == "DELETE"]
    assert len(deletes) == 2


def test_two_ctrl_c_at_the_prompt_leave_with_130(make_session: Any, type_keys: RunKeys) -> None:
    with pytest.raises(Interrupted) as caught:
        type_keys(make_session(), "\x03\x03")
    assert caught.value.exit_code == 130


def test_get_shows_a_stored_answer_and_retry_asks_again(
    make_session: Any, answer: Any, type_keys: RunKeys, create_bodies: Any
) -> None:
    session = make_session()
    answer(session, "[[reply:the stored answer]]")
    stored = session.head
    seen = type_keys(session, f"/get {stored}\r/retry\r/exit\r")
    assert "the stored answer" in seen.stdout.split("asking again")[0]
    assert seen.stdout.count("the stored answer") == 2  # /get, then the retried turn
    first, retried = create_bodies()
    assert first["input"] == retried["input"] == "[[reply:the stored answer]]"
    assert "previous_response_id" not in retried  # the same parent: none
    assert [t.prompt for t in session.turns] == ["[[reply:the stored answer]]"]


def test_a_prompt_line_streams_an_answer_with_its_footer(
    make_session: Any, type_keys: RunKeys
) -> None:
    session = make_session()
    seen = type_keys(session, "//reply is not a command [[echo]]\r\x04")
    assert seen.stdout.startswith("/reply is not a command")
    assert session.head is not None and session.head in seen.stderr  # the footer line
    assert " in · " in seen.stderr and " out · " in seen.stderr


def test_a_network_failure_is_one_error_and_the_session_goes_on(type_keys: RunKeys) -> None:
    from azresp_cli.core.client import make_client
    from azresp_cli.core.config import AuthMethod, Settings

    # Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    settings = Settings(
        "http://127.0.0.1:9/openai/v1/", "gpt-test", AuthMethod.KEY, api_key="k", max_retries=0
    )
    client = make_client(settings)
    session = ChatSession(settings, lambda: client)
    seen = type_keys(session, "hello\r/model other\r\x04")
    client.close()
    assert "error: could not reach the service" in seen.stderr
    assert "hint: " in seen.stderr
    assert "deployment: other" in seen.stdout  # the next line was still read and run
    assert session.head is None


def test_web_on_adds_the_search_tool_with_the_notice_once_and_off_removes_it(
    make_session: Any, type_keys: RunKeys, create_bodies: Any, tmp_path: Path
) -> None:
    session = make_session()
    session.tools.data_dir = tmp_path / "data"
    seen = type_keys(session, "/web on\rfirst\r/web off\rsecond\r/web on\r/web\r/exit\r")
    assert seen.stdout.count("outside the Azure compliance boundary") == 1  # status lines
    assert "web search on" in seen.stdout and "web search off" in seen.stdout
    first, second = create_bodies()
    assert first["tools"] == [{"type": "web_search"}]
    assert "web_search_call.action.sources" in first["include"]
    assert not second.get("tools")
    assert 'searched: "first"' in seen.stderr
