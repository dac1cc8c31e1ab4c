"""Text from a hostile service reaches a terminal inert, and a pipe byte-exact (issue 12, 1)."""

from __future__ import annotations

import json
import re
import subprocess

import pexpect
import pytest
from cli_support import Result, RunCli, azresp_executable
from hostile.server import (
    ESCAPES,
    HostileServer,
    Reply,
    error_body,
    message,
    response,
    stream_of,
)

AZRESP = azresp_executable()  # a real process, through the fork server

# What the service's text would make a terminal do, were it passed through.
ATTACKS = [
    b"\x1b]0;pwned",  # window title
    b"\x1b[2J",  # clear screen
    b"\x1b]52;",  # clipboard write
    b"\x1b[6n",  # cursor position report (answered into the input)
    b"\xc2\x9b",  # C1 CSI
    b"\x07",  # BEL
]


def assert_inert(raw: bytes) -> None:
    for attack in ATTACKS:
        assert attack not in raw, (attack, raw)
    assert "␛]52;c;cHduZWQ=".encode() in raw  # shown, not obeyed


def in_terminal(args: list[str], env: dict[str, str]) -> tuple[bytes, int]:
    child = pexpect.spawn(AZRESP, args, env=env, timeout=30, dimensions=(30, 100))
    child.expect(pexpect.EOF)
    # wait(), not close(): close() hangs up on a child that has not exited 0.1 s after EOF,
    # which a loaded machine can take, and the test would see a signal instead of its status.
    child.wait()
    child.close()
    assert child.signalstatus is None, child.signalstatus
    return child.before, int(child.exitstatus)


def answer_route(hostile: HostileServer) -> dict[str, object]:
    final = response(output=[message(ESCAPES)])
    # Split mid-sequence, as a stream may: the pieces must not reassemble into an escape.
    deltas = [ESCAPES[:3], ESCAPES[3:20], ESCAPES[20:]]
    hostile.route("POST", "/responses", Reply(events=stream_of(final, deltas)))
    return final


@pytest.mark.pty
@pytest.mark.parametrize("no_color", [False, True], ids=["colour", "NO_COLOR"])
def test_streamed_answer_cannot_drive_the_terminal(
    hostile: HostileServer, process_env: dict[str, str], no_color: bool
) -> None:
    answer_route(hostile)
    env = {**process_env, **({"NO_COLOR": "1"} if no_color else {})}
    raw, code = in_terminal(["chat", "hi"], env)
    assert code == 0
    assert_inert(raw)


def test_piped_answer_is_byte_exact(hostile: HostileServer, process_env: dict[str, str]) -> None:
    answer_route(hostile)
    done = subprocess.run([AZRESP, "chat", "hi"], env=process_env, capture_output=True, check=False)
    assert done.returncode == 0
    assert done.stdout == ESCAPES.encode() + b"\n"


def tty_run(azresp: RunCli, env: dict[str, str], *args: str) -> Result:
    return azresp(*args, tty=True, env=env)


def test_error_message_code_and_request_id_are_inert(
    hostile: HostileServer, hostile_env: dict[str, str], azresp: RunCli
) -> None:
    hostile.route(
        "POST",
        "/responses",
        Reply(400, error_body(ESCAPES, code="bad\x1b[2J"), headers={"x-request-id": ESCAPES}),
    )
    for env in (hostile_env, {**hostile_env, "NO_COLOR": "1"}):
        result = tty_run(azresp, env, "chat", "--debug", "hi")
        assert result.exit_code == 1
        assert_inert(result.stderr.encode())


@pytest.mark.parametrize(
    "args",
    [["get", "resp_hostile"], ["items", "resp_hostile"], ["files", "list"]],
    ids=["get", "items", "files list"],
)
def test_stored_objects_shown_inert(
    hostile: HostileServer, hostile_env: dict[str, str], azresp: RunCli, args: list[str]
) -> None:
    hostile.route("GET", "/responses/resp_hostile", Reply(body=response(output=[message(ESCAPES)])))
    items = {
        "object": "list",
        "data": [message(ESCAPES)],
        "has_more": False,
        "first_id": "msg_hostile",
        "last_id": "msg_hostile",
    }
    hostile.route("GET", "/responses/resp_hostile/input_items", Reply(body=items))
    files = {
        "object": "list",
        "has_more": False,
        "data": [
            {
                "id": "file-1",
                "object": "file",
                "bytes": 3,
                "created_at": 1796367381,
                "filename": ESCAPES,
                "purpose": "assistants",
                "status": "processed",
            }
        ],
    }
    hostile.route("GET", "/files", Reply(body=files))
    for env in (hostile_env, {**hostile_env, "NO_COLOR": "1"}):
        result = tty_run(azresp, env, *args)
        assert result.exit_code == 0, result.stderr
        assert_inert(result.output.encode())


def test_history_replays_inert(
    hostile: HostileServer, hostile_env: dict[str, str], azresp: RunCli
) -> None:
    answer_route(hostile)
    piped = azresp("chat", "hi", env=hostile_env)
    assert piped.exit_code == 0
    assert piped.stdout == ESCAPES + "\n"  # the history keeps what the service sent
    listed = azresp("history", "list", "--json", env=hostile_env)
    conversation = __import__("json").loads(listed.stdout)[0]["id"]
    shown = tty_run(azresp, {**hostile_env, "NO_COLOR": "1"}, "history", "show", conversation)
    assert shown.exit_code == 0
    assert_inert(shown.output.encode())


@pytest.mark.pty
def test_chat_session_answer_and_toolbar_are_inert(
    hostile: HostileServer, process_env: dict[str, str]
) -> None:
    final = response(f"resp_{ESCAPES}", [message(ESCAPES)])  # the id reaches the toolbar
    hostile.route("POST", "/responses", Reply(events=stream_of(final)))
    child = pexpect.spawn(AZRESP, ["chat"], env=process_env, timeout=30, dimensions=(30, 200))
    child.expect(re.escape("\x1b[?2004h"))
    child.send("hi\r")
    child.expect(re.escape("\x1b[?2004h"))  # the next prompt, toolbar and all
    seen = child.before + child.after
    child.sendcontrol("d")
    child.expect(pexpect.EOF)
    assert_inert(seen)


@pytest.mark.pty
def test_tool_names_and_arguments_are_inert(
    hostile: HostileServer, process_env: dict[str, str]
) -> None:
    call = {
        "id": "fc_1",
        "type": "function_call",
        "status": "completed",
        "name": f"evil{ESCAPES}",
        "arguments": json.dumps({"x": ESCAPES}),
        "call_id": "call_1",
    }
    hostile.route(
        "POST",
        "/responses",
        Reply(events=stream_of(response("resp_1", [call]))),
        Reply(events=stream_of(response("resp_2", [message("done")]))),
    )
    raw, code = in_terminal(["chat", "--yes", "hi"], process_env)
    assert code == 0, raw
    assert_inert(raw)
