"""A ChatSession against the test emulator, with its history in tmp_path."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from azresp_fixtures import type_keys
from cli_support import TEST_KEY

from azresp_cli.core.client import make_client
from azresp_cli.core.config import AuthMethod, Settings
from azresp_cli.core.events import TextDelta
from azresp_cli.core.history import HistoryStore, history_path
from azresp_cli.core.safe_history import SafeHistory
from azresp_cli.core.session import ChatSession

__all__ = ["type_keys"]  # the shared fixture (azresp_fixtures.py)

MakeSession = Callable[..., ChatSession]


@pytest.fixture
def settings(emulator: Any) -> Settings:
    return Settings(
        endpoint=emulator.base_url,
        deployment="gpt-test",
        auth=AuthMethod.KEY,
        api_key=TEST_KEY,
        max_retries=0,
    )


@pytest.fixture
def warnings() -> list[str]:
    return []


@pytest.fixture
def make_session(settings: Settings, tmp_path: Path, warnings: list[str]) -> Iterator[MakeSession]:
    client = make_client(settings)
    histories: list[SafeHistory] = []

    def make(*, store: bool = True, history: bool = True) -> ChatSession:
        safe = None
        if history:
            path = history_path(tmp_path / "data")
            safe = SafeHistory(lambda: HistoryStore.open(path), warnings.append)
            histories.append(safe)
        session = ChatSession(settings, lambda: client, history=safe)
        session.conversation.store = store
        return session

    yield make
    for safe in histories:
        safe.close()
    client.close()


Answer = Callable[[ChatSession, str], str]


@pytest.fixture
def answer() -> Answer:
    """Run a turn to the end and return the answer text."""

    def run(session: ChatSession, prompt: str) -> str:
        text = []
        for event in session.ask(prompt):
            if isinstance(event, TextDelta):
                text.append(event.text)
        return "".join(text)

    return run


@pytest.fixture
def create_bodies(emulator: Any) -> Callable[[], list[dict[str, Any]]]:
    """The JSON bodies of every POST /responses the emulator received, oldest first."""

    def bodies() -> list[dict[str, Any]]:
        return [
            r.json
            for r in emulator.requests
            if r.method == "POST" and r.path.endswith("/responses")
        ]

    return bodies
