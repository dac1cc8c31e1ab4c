"""Fixtures for tests/bg, tests/faults, tests/compact and tests/persistence: the emulator's
request log and a chat session on pipe input. Import them into a conftest.py
(``from azresp_fixtures import creates, ...``); the CLI runner itself (``azresp``, ``dirs``,
``emulator_env``) is tests/conftest.py's.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cli_support import TEST_KEY, Result

from azresp_cli.core.environment import Environment

Bodies = Callable[..., list[Any]]


@pytest.fixture
def recorded(emulator: Any) -> Callable[..., list[Any]]:
    """``recorded(method, path_suffix)``: the emulator's recorded requests that match."""

    def matching(method: str | None = None, suffix: str = "") -> list[Any]:
        return [
            r
            for r in emulator.requests
            if (method is None or r.method == method) and r.path.endswith(suffix)
        ]

    return matching


@pytest.fixture
def creates(recorded: Callable[..., list[Any]]) -> Bodies:
    """The bodies of every POST /responses (creates only), oldest first."""

    def bodies() -> list[Any]:
        return [r.json for r in recorded("POST", "/openai/v1/responses")]

    return bodies


def assert_one_error(result: Result, code: int) -> str:
    """Exit ``code``, one ``error:`` line with a request id, a ``hint:``, no traceback."""
    assert result.exit_code == code, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    assert any(line.startswith("hint: ") for line in lines), result.stderr
    assert "Traceback" not in result.output
    assert TEST_KEY not in result.output
    return errors[0]


def output_text(emulator: Any, response_id: str) -> str:
    """A stored response's whole answer, straight from the emulator (no azresp in between)."""
    from emulator.support import Api

    body = Api(emulator.base_url).get(f"responses/{response_id}").json
    return "".join(
        part["text"]
        for item in body["output"]
        if item["type"] == "message"
        for part in item["content"]
        if part["type"] == "output_text"
    )


def wait_for_status(emulator: Any, response_id: str, statuses: tuple[str, ...]) -> str:
    import time

    from emulator.support import Api

    api = Api(emulator.base_url)  # no statuses: the current one
    deadline = time.monotonic() + 20 if statuses else 0.0
    while True:
        status = str(api.get(f"responses/{response_id}").json["status"])
        if status in statuses or time.monotonic() > deadline:
            return status
        time.sleep(0.02)


# ------------------------------ the chat session (REPL) ------------------------------


@dataclass
class Seen:
    stdout: str
    stderr: str


def type_into(session: Any, keys: str, base: Path) -> Seen:
    """Type ``keys`` into a chat session on ``session`` (pipe input, no terminal, its data and
    config dirs under ``base``); returns what it printed once it has left."""
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from azresp_cli.repl.shell import Repl, ReplOptions

    stdout, stderr = io.StringIO(), io.StringIO()
    env = Environment(
        stdin=io.StringIO(),
        stdout=stdout,
        stderr=stderr,
        stdin_isatty=True,
        stdout_isatty=False,
        stderr_isatty=False,
        data_dir=base / "data",
        config_dir=base / "config",
    )
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        Repl(env, session, ReplOptions(), input=pipe, output=DummyOutput()).run()
    return Seen(stdout.getvalue(), stderr.getvalue())


@pytest.fixture
def type_keys(tmp_path: Path) -> Callable[[Any, str], Seen]:
    """``type_keys(session, keys)``: type into a chat session on ``session``."""
    return lambda session, keys: type_into(session, keys, tmp_path)


@pytest.fixture
def repl(tmp_path: Path) -> Iterator[Callable[..., Seen]]:
    """``repl(base_url, keys, store=True)``: type ``keys`` into a chat session on that emulator
    (pipe input, no terminal); returns what it printed once it has left."""

    from azresp_cli.core.client import make_client
    from azresp_cli.core.config import AuthMethod, Settings
    from azresp_cli.core.history import HistoryStore, history_path
    from azresp_cli.core.safe_history import SafeHistory
    from azresp_cli.core.session import ChatSession

    opened: list[Any] = []

    def run(base_url: str, keys: str, *, store: bool = True) -> Seen:
        settings = Settings(
            endpoint=base_url,
            deployment="gpt-test",
            auth=AuthMethod.KEY,
            api_key=TEST_KEY,
            max_retries=0,
        )
        client = make_client(settings)
        path = history_path(tmp_path / "data")
        history = SafeHistory(lambda: HistoryStore.open(path), lambda text: None)
        opened.extend((client, history))
        session = ChatSession(settings, lambda: client, history=history)
        session.conversation.store = store
        return type_into(session, keys, tmp_path)

    yield run
    for thing in opened:
        thing.close()
