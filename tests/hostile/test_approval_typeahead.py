"""A key typed before an approval prompt cannot answer it; "always" is per tool file
(issue 12, 5). Driven in a real pseudo-terminal, against a scripted service."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import pexpect
import pytest
from cli_support import azresp_executable
from hostile.server import HostileServer, Reply, function_call, message, response, stream_of

pytestmark = pytest.mark.pty

AZRESP = azresp_executable()  # a real process, through the fork server
READY = "\x1b[?2004h"  # prompt_toolkit's prompt is up
ACCEPTED = "\x1b[?2004l"  # the line was accepted
QUESTION = "Run helper?"

TOOL = '''
def helper(word: str) -> str:
    """Says the word back."""
    open(__file__ + ".ran", "a").write(word + "\\n")
    return word
'''


def tool_file(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "tools.py"
    path.write_text(TOOL, encoding="utf-8")
    return path


def script_call(hostile: HostileServer, gate: threading.Event | None = None) -> None:
    """First answer: call helper; second: a closing message. Again for a second prompt."""
    call = response("resp_call", [function_call("helper", '{"word": "hi"}')])
    done = response("resp_done", [message("done")])
    hostile.route(
        "POST",
        "/responses",
        Reply(events=stream_of(call), gate=gate),
        Reply(events=stream_of(done)),
        Reply(events=stream_of(call)),
        Reply(events=stream_of(done)),
    )


def ran(tool: Path) -> list[str]:
    marker = Path(str(tool) + ".ran")
    return marker.read_text().split() if marker.exists() else []


def spawn(args: list[str], env: dict[str, str]) -> pexpect.spawn:
    return pexpect.spawn(AZRESP, args, env=env, timeout=30, dimensions=(30, 120))


def test_one_shot_typeahead_does_not_answer(
    hostile: HostileServer, process_env: dict[str, str], tmp_path: Path
) -> None:
    tool = tool_file(tmp_path / "a")
    script_call(hostile)
    child = spawn(["chat", "--tool", str(tool), "use helper"], process_env)
    # Typed at once, long before any question: "always", Enter.
    child.send("a\r")
    child.expect(re.escape(QUESTION))
    child.expect(re.escape(": "))
    child.send("n\r")
    child.expect("no: not run")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert ran(tool) == []  # the stray "a" approved nothing
    sent = [json.loads(s.body) for s in hostile.seen if s.method == "POST"]
    outputs = [i for i in sent[1]["input"] if i.get("type") == "function_call_output"]
    assert outputs[0]["output"] == "The user declined this tool call."


def test_repl_typeahead_does_not_answer(
    hostile: HostileServer, process_env: dict[str, str], tmp_path: Path
) -> None:
    tool = tool_file(tmp_path / "a")
    gate = threading.Event()
    script_call(hostile, gate)
    child = spawn(["chat", "--tool", str(tool)], process_env)
    child.expect(re.escape(READY))
    child.send("use helper\r")
    child.expect(re.escape(ACCEPTED))
    child.send("a")  # while the answer is on its way
    gate.set()
    child.expect(re.escape(QUESTION))
    child.expect(re.escape(": "))
    child.send("y")
    child.expect("yes: runs once")
    child.expect(re.escape(READY))
    # The same call again: "y" was not "always", so it asks again.
    child.send("again\r")
    child.expect(re.escape(QUESTION))
    child.send("n")
    child.expect("no: not run")
    child.expect(re.escape(READY))
    child.sendcontrol("d")
    child.expect(pexpect.EOF)
    child.close()
    assert ran(tool) == ["hi"]


def test_always_is_kept_per_tool_file(
    hostile: HostileServer, process_env: dict[str, str], tmp_path: Path
) -> None:
    first, second = tool_file(tmp_path / "one"), tool_file(tmp_path / "two")
    script_call(hostile)
    child = spawn(["chat", "--tool", str(first), "use helper"], process_env)
    child.expect(re.escape(QUESTION))
    child.send("s\r")  # always, saved in the profile
    child.expect("saved in the profile")
    child.expect(pexpect.EOF)
    child.close()
    assert ran(first) == ["hi"]

    script_call(hostile)
    child = spawn(["chat", "--tool", str(second), "use helper"], process_env)
    # Another file's helper: asked about, not approved by the first file's "always".
    child.expect(re.escape(QUESTION))
    child.send("n\r")
    child.expect(pexpect.EOF)
    child.close()
    assert ran(second) == []

    script_call(hostile)
    child = spawn(["chat", "--tool", str(first), "use helper"], process_env)
    child.expect(pexpect.EOF)  # the saved "always" still holds for the first file
    child.close()
    assert QUESTION.encode() not in child.before
    assert ran(first) == ["hi", "hi"]
