"""Helpers for tests/usage: chat sessions on the emulator with a price table, run a turn."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_support import TEST_KEY

from azresp_cli.core.client import make_client
from azresp_cli.core.config import AuthMethod, Settings
from azresp_cli.core.events import Completed, TurnEvent
from azresp_cli.core.history import HistoryStore, history_path
from azresp_cli.core.meter import Meter
from azresp_cli.core.pricing import Price, PriceTable
from azresp_cli.core.safe_history import SafeHistory
from azresp_cli.core.session import ChatSession

# A made-up price for the emulator's deployments, so every figure is easy to check by hand.
TEST_PRICE = Price(input=2.0, output=8.0, cached_input=0.5)
MakeSession = Callable[..., ChatSession]


@pytest.fixture
def make_session(emulator: Any, dirs: tuple[Path, Path]) -> Iterator[MakeSession]:
    """``make_session(max_cost=None, deployment="gpt-test", prices=...)``: a chat session on
    the emulator, recording into the test's history, priced with ``TEST_PRICE``."""
    opened: list[Any] = []

    def make(
        *,
        max_cost: float | None = None,
        deployment: str = "gpt-test",
        prices: PriceTable | None = None,
        max_retries: int = 0,
    ) -> ChatSession:
        table = prices or PriceTable(overrides={deployment: TEST_PRICE})
        settings = Settings(
            endpoint=emulator.base_url,
            deployment=deployment,
            auth=AuthMethod.KEY,
            api_key=TEST_KEY,
            max_retries=max_retries,
            prices=table,
        )
        client = make_client(settings)
        path = history_path(dirs[1])
        history = SafeHistory(lambda: HistoryStore.open(path), lambda text: None)
        opened.extend((client, history))
        return ChatSession(
            settings, lambda: client, history=history, meter=Meter(table, max_cost=max_cost)
        )

    yield make
    for thing in opened:
        thing.close()


def run_turn(session: ChatSession, prompt: str) -> tuple[list[TurnEvent], Completed]:
    events = list(session.ask(prompt))
    done = [e for e in events if isinstance(e, Completed)]
    assert done, events
    return events, done[-1]
