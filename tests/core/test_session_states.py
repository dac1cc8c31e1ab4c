"""The chat session's chain as a state machine, read off the wire: stored and stateless turns,
the switches between them, fork, retry and compaction (docs/protocol.md §9, §10).

Each test drives a ChatSession against the emulator and asserts the create bodies it sent."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_support import TEST_KEY

from azresp_cli.core.client import make_client
from azresp_cli.core.config import AuthMethod, Settings
from azresp_cli.core.events import Completed
from azresp_cli.core.history import HistoryStore, history_path
from azresp_cli.core.safe_history import SafeHistory
from azresp_cli.core.session import ChatSession
from azresp_cli.emulator.runner import RunningEmulator

Ask = Callable[[str], str]


@pytest.fixture
def session(emulator: RunningEmulator, tmp_path: Path) -> Iterator[ChatSession]:
    settings = Settings(
        endpoint=emulator.base_url,
        deployment="gpt-test",
        auth=AuthMethod.KEY,
        api_key=TEST_KEY,
        max_retries=0,
    )
    client = make_client(settings)
    path = history_path(tmp_path / "data")
    history = SafeHistory(lambda: HistoryStore.open(path), lambda text: None)
    yield ChatSession(settings, lambda: client, history=history)
    history.close()
    client.close()


@pytest.fixture
def ask(session: ChatSession) -> Ask:
    """Run a turn to its end; returns the id of the response."""

    def run(prompt: str) -> str:
        done = [e for e in session.ask(prompt) if isinstance(e, Completed)]
        assert len(done) == 1
        return done[0].response.id

    return run


@pytest.fixture
def sent(emulator: RunningEmulator) -> Callable[[], list[dict[str, Any]]]:
    """The body of each create, oldest first."""

    def bodies() -> list[dict[str, Any]]:
        return [
            r.json
            for r in emulator.requests
            if r.method == "POST" and r.path.endswith("/openai/v1/responses")
        ]

    return bodies


def texts(body: dict[str, Any]) -> list[str]:
    """The input items' kinds, user text shown as ``user:TEXT``."""
    items = body["input"] if isinstance(body["input"], list) else [body["input"]]
    shown = []
    for item in items:
        if isinstance(item, str):
            shown.append(f"user:{item}")
        elif item.get("type", "message") == "message" and item.get("role") == "user":
            content = item["content"]
            text = content if isinstance(content, str) else content[0]["text"]
            shown.append(f"user:{text}")
        else:
            shown.append(item.get("role", item.get("type")))
    return shown


def test_a_stored_chain_sends_only_the_new_prompt_with_the_last_id(ask: Ask, sent: Any) -> None:
    first = ask("one")
    ask("two")
    one, two = sent()
    assert one.get("previous_response_id") is None and one["store"] is True
    assert two["previous_response_id"] == first and two["store"] is True
    assert texts(two) == ["user:two"]


def test_a_stateless_chain_replays_its_items_with_encrypted_reasoning(
    session: ChatSession, ask: Ask, sent: Any
) -> None:
    session.set_store(False)
    ask("one")
    ask("two")
    one, two = sent()
    for body in (one, two):
        assert body["store"] is False and body.get("previous_response_id") is None
        assert "reasoning.encrypted_content" in body["include"]
    assert texts(one) == ["user:one"]
    assert texts(two)[0] == "user:one" and texts(two)[-1] == "user:two"
    assert "assistant" in texts(two)  # the answer to "one", replayed


def test_going_stateless_mid_chain_anchors_on_the_last_stored_answer(
    session: ChatSession, ask: Ask, sent: Any
) -> None:
    stored = ask("one")
    session.set_store(False)
    ask("two")
    ask("three")
    _, two, three = sent()
    assert two["store"] is False and two["previous_response_id"] == stored
    assert texts(two) == ["user:two"]  # what the anchor holds is not resent
    assert three["previous_response_id"] == stored
    assert texts(three)[0] == "user:two" and texts(three)[-1] == "user:three"


def test_going_stored_again_replays_the_stateless_part_once_then_chains_by_id(
    session: ChatSession, ask: Ask, sent: Any
) -> None:
    session.set_store(False)
    ask("one")
    session.set_store(True)
    back = ask("two")
    ask("three")
    _, two, three = sent()
    assert two["store"] is True and two.get("previous_response_id") is None
    assert texts(two)[0] == "user:one" and texts(two)[-1] == "user:two"
    assert three["previous_response_id"] == back and texts(three) == ["user:three"]


def test_fork_continues_from_any_earlier_answer(session: ChatSession, ask: Ask, sent: Any) -> None:
    first = ask("one")
    ask("two")
    session.continue_from(first)
    ask("other two")
    assert sent()[-1]["previous_response_id"] == first
    assert texts(sent()[-1]) == ["user:other two"]


def test_retry_asks_the_last_prompt_again_from_the_same_parent(
    session: ChatSession, ask: Ask, sent: Any
) -> None:
    first = ask("one")
    ask("two")
    prompt = session.retry()
    assert prompt == "two"
    again = ask(prompt)
    two, retried = sent()[1:]
    assert retried["previous_response_id"] == two["previous_response_id"] == first
    assert texts(retried) == ["user:two"]
    ask("three")
    assert sent()[-1]["previous_response_id"] == again  # the retried answer is the new head


def test_nothing_to_retry_or_compact_before_the_first_turn(session: ChatSession) -> None:
    from azresp_cli.core.errors import UsageError

    with pytest.raises(UsageError):
        session.retry()
    with pytest.raises(UsageError):
        session.compact()


@pytest.mark.parametrize("store", [True, False])
def test_after_compaction_the_next_turn_sends_the_compacted_items_and_no_id(
    session: ChatSession, ask: Ask, sent: Any, store: bool
) -> None:
    session.set_store(store)
    ask("one")
    ask("two")
    compaction = session.compact()
    ask("three")
    ask("four")
    three, four = sent()[-2:]
    assert three.get("previous_response_id") is None
    kinds = texts(three)
    assert "compaction" in kinds and kinds[-1] == "user:three"
    assert [item for item in three["input"] if item.get("type") == "compaction"] == [
        item for item in compaction.items if item.get("type") == "compaction"
    ]
    if store:  # stored again: the compacted turn is the new head
        assert texts(four) == ["user:four"] and four["previous_response_id"]
    else:  # stateless: the compacted items stay in every replay
        assert "compaction" in texts(four) and four.get("previous_response_id") is None
