"""Several real processes sharing one emulator state directory, killed and signalled for real.

Each test starts `azresp` processes (or a pseudo-terminal REPL) with their own data dir, and
then looks with `get`, `chat -c` and `files list` at what the others completed (issue 13, §1).
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cli_support import azresp_command, spawn_azresp
from emulator.support import Api

# Every test here starts processes (azresp, or an MCP server).
pytestmark = pytest.mark.slow

LONG = "[[slow:60]] [[long:300]]"  # several seconds of streaming
# Long enough (about 15 s) for another command to start and finish meanwhile, even on a busy CI.
LONGER = "[[slow:150]] [[long:300]]"
WAIT = 60.0  # the most any wait below lasts, so that a broken build fails instead of hanging
RUNNING = ("queued", "in_progress")
RESPONSE_ID = re.compile(rb"resp_[0-9a-f]{8,}")


class Cli:
    """`azresp` as separate processes sharing one data dir (and so one emulator state dir)."""

    def __init__(self, root: Path) -> None:
        self.data_dir = root / "data"
        self.state_dir = self.data_dir / "emulator"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("AZURE_", "AZRESP_"))},
            "AZRESP_CONFIG_DIR": str(root / "config"),
            "AZRESP_DATA_DIR": str(self.data_dir),
            "COLUMNS": "100",
            "NO_COLOR": "1",
        }
        self.started: list[subprocess.Popen[str]] = []

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*azresp_command(), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=WAIT,
            check=False,
        )

    def start(self, *args: str) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [*azresp_command(), *args],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.started.append(process)
        return process


@pytest.fixture
def cli(tmp_path: Path) -> Iterator[Cli]:
    runner = Cli(tmp_path)
    yield runner
    for process in runner.started:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=WAIT)


def statuses(state_dir: Path) -> dict[str, str]:
    """The status of each response in the state database, by its latest prompt."""
    db = sqlite3.connect(state_dir / "state.db", timeout=WAIT)
    try:
        found = db.execute("SELECT status, body FROM responses").fetchall()
    finally:
        db.close()
    return {json.loads(body)["input_items"][-1]["content"][0]["text"]: st for st, body in found}


def first_line(process: subprocess.Popen[str]) -> str:
    """The first line `process` prints, waiting for it at most WAIT seconds."""
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], WAIT)
    assert ready, "the command printed nothing"
    return process.stdout.readline()


def status(cli: Cli, response_id: str) -> str:
    shown = cli.run("get", "--emulator", "--json", response_id)
    assert shown.returncode == 0, shown.stderr
    return str(json.loads(shown.stdout)["status"])


def start_long(cli: Cli, prompt: str) -> tuple[subprocess.Popen[str], str]:
    """A one-shot streaming a long answer (as JSON lines), once it has begun; and its id."""
    process = cli.start("chat", "--emulator", "--jsonl", f"{LONGER} {prompt}")
    return process, str(json.loads(first_line(process))["response"]["id"])


def final_text(jsonl: str) -> str:
    last = json.loads(jsonl.splitlines()[-1])
    assert last["type"] == "response.completed", last
    return str(last["response"]["output"][-1]["content"][0]["text"])


# ------------------------------ overlapping processes ------------------------------


def test_two_overlapping_one_shots_both_keep_their_answers(cli: Cli) -> None:
    long, long_id = start_long(cli, "the long one")
    short = cli.run("chat", "--emulator", "my name is Ada")
    assert short.returncode == 0, short.stderr
    assert long.poll() is None  # the short one ran while the long one streamed
    out, err = long.communicate(timeout=WAIT)
    assert long.returncode == 0, err

    shown = cli.run("get", "--emulator", long_id)
    assert shown.returncode == 0 and "cancelled" not in shown.stderr, shown.stderr
    assert shown.stdout.split()[:20] == final_text(out).split()[:20]
    follow = cli.run("chat", "--emulator", "-c", "what did I say?")  # continues the long one
    assert follow.returncode == 0, follow.stderr
    assert "2 user messages and 1 earlier answer" in follow.stdout


def test_a_command_run_while_a_long_answer_streams_leaves_it_alone(cli: Cli) -> None:
    long, long_id = start_long(cli, "the long one")
    assert status(cli, long_id) == "in_progress"  # a look from another process cancels nothing
    assert long.poll() is None
    out, err = long.communicate(timeout=WAIT)
    assert long.returncode == 0, err
    after = json.loads(cli.run("get", "--emulator", "--json", long_id).stdout)
    assert after["status"] == "completed"
    assert after["output"][-1]["content"][0]["text"] == final_text(out)


# -------------------------------- killed processes ---------------------------------


class Repl:
    """`azresp chat --emulator` in a pseudo-terminal."""

    READY = "\x1b[?2004h"  # prompt_toolkit's bracketed paste on: the prompt is waiting
    ACCEPTED = "\x1b[?2004l"

    def __init__(self, cli: Cli) -> None:
        env = {**cli.env, "TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1"}
        env.pop("NO_COLOR")
        self.child = spawn_azresp(
            "chat",
            "--emulator",
            env=env,
            dimensions=(40, 160),
            timeout=WAIT,
        )
        self.child.expect_exact(self.READY)

    def ask(self, line: str) -> None:
        self.child.send(line + "\r")
        self.child.expect_exact(self.ACCEPTED)
        self.child.expect_exact(self.READY)

    def send(self, line: str) -> None:
        self.child.send(line + "\r")
        self.child.expect_exact(self.ACCEPTED)

    def current_id(self) -> str:
        self.child.send("/id\r")
        self.child.expect(RESPONSE_ID)
        found = self.child.after.decode()
        self.child.expect_exact(self.READY)
        return str(found)


@pytest.fixture
def repl(cli: Cli) -> Iterator[Callable[[], Repl]]:
    started: list[Repl] = []

    def start() -> Repl:
        started.append(Repl(cli))
        return started[-1]

    yield start
    for chat in started:
        if chat.child.isalive():
            chat.child.terminate(force=True)


@pytest.mark.pty
def test_a_repl_killed_mid_stream_keeps_its_finished_answers(
    cli: Cli, repl: Callable[[], Repl]
) -> None:
    chat = repl()
    chat.ask("my name is Ada")
    chat.ask("I live in Paris")
    second = chat.current_id()
    chat.send(f"{LONG} and now a long story")
    chat.child.expect_exact("Chaining")  # the long answer is streaming
    chat.child.kill(signal.SIGKILL)
    chat.child.wait()

    shown = cli.run("get", "--emulator", second)
    assert shown.returncode == 0 and "warning" not in shown.stderr, shown.stderr
    assert 'You said: "I live in Paris"' in shown.stdout
    asked = cli.run("chat", "--emulator", "-p", second, "what is my name?")
    assert asked.returncode == 0, asked.stderr
    assert "3 user messages and 2 earlier answers" in asked.stdout
    assert "my name is Ada" in asked.stdout
    # The answer cut short by the kill was cancelled by the next command: its owner is gone.
    assert statuses(cli.state_dir)[f"{LONG} and now a long story"] == "cancelled"


@pytest.mark.pty
def test_a_repl_closed_with_its_terminal_keeps_every_answer(
    cli: Cli, repl: Callable[[], Repl]
) -> None:
    chat = repl()
    chat.ask("my name is Ada")
    first = chat.current_id()
    chat.ask("I live in Paris")
    second = chat.current_id()
    chat.child.close(force=True)  # the terminal goes away: SIGHUP to the session
    assert not chat.child.isalive()

    for response_id in (first, second):
        shown = cli.run("get", "--emulator", response_id)
        assert shown.returncode == 0 and "warning" not in shown.stderr, shown.stderr
    follow = cli.run("chat", "--emulator", "-c", "what is my name?")
    assert follow.returncode == 0, follow.stderr
    assert "3 user messages and 2 earlier answers" in follow.stdout
    assert "my name is Ada" in follow.stdout


# -------------------------- azresp emulator --state, SIGTERM --------------------------


def start_emulator_command(cli: Cli, state: Path) -> tuple[subprocess.Popen[str], Api]:
    process = cli.start("emulator", "--port", "0", "--state", str(state))
    assert process.stdout is not None
    return process, Api(process.stdout.readline().strip())


def test_sigterm_of_the_emulator_command_loses_nothing_completed(cli: Cli, tmp_path: Path) -> None:
    state = tmp_path / "state"
    process, api = start_emulator_command(cli, state)
    done = api.create(input="my name is Ada").json
    job = api.create(input=LONG, background=True).json
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=WAIT)

    process, api = start_emulator_command(cli, state)
    assert api.get(f"responses/{done['id']}").json == done
    deadline = time.monotonic() + WAIT
    while (finished := api.get(f"responses/{job['id']}").json)["status"] in RUNNING:
        assert time.monotonic() < deadline, finished
        time.sleep(0.1)
    assert finished["status"] == "completed"  # the job was taken over and finished
    assert finished["output"][-1]["content"][0]["text"]
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=WAIT)
