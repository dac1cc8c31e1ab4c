"""The history database on a tmp file: recording, listing, search, migrations, permissions."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from azresp_cli.core import history_schema
from azresp_cli.core.events import Usage
from azresp_cli.core.history import (
    HistoryError,
    HistoryStore,
    NewTurn,
    history_path,
    iter_segment_items,
)
from azresp_cli.core.redact import register_secret
from azresp_cli.core.safe_history import SafeHistory

ENDPOINT = "http://127.0.0.1:8000/openai/v1/"


def turn(
    response_id: str,
    prompt: str,
    *,
    conversation: str = "conv_a",
    parent: str | None = None,
    answer: str = "an answer",
    stored: bool = True,
    items: tuple[dict[str, object], ...] = (),
    at: float = 1000.0,
) -> NewTurn:
    return NewTurn(
        conversation_id=conversation,
        response_id=response_id,
        parent_id=parent,
        previous_response_id=parent if stored else None,
        prompt=prompt,
        answer=answer,
        instructions=None,
        deployment="gpt-test",
        endpoint=ENDPOINT,
        status="completed",
        stored=stored,
        usage=Usage(input_tokens=10, output_tokens=20),
        started_at=at,
        finished_at=at + 1,
        items=items,
    )


@pytest.fixture
def store(tmp_path: Path) -> HistoryStore:
    opened = HistoryStore.open(history_path(tmp_path / "data"))
    yield opened
    opened.close()


def test_records_and_lists_conversations_newest_first(store: HistoryStore) -> None:
    store.record(turn("resp_1", "my name is Ada", at=1000))
    store.record(turn("resp_2", "what is my name?", parent="resp_1", at=1010))
    store.record(turn("resp_3", "another topic", conversation="conv_b", at=1020))

    listed = store.conversations()
    assert [c.id for c in listed] == ["conv_b", "conv_a"]
    first = listed[1]
    assert (first.turns, first.first_prompt, first.last_response_id) == (
        2,
        "my name is Ada",
        "resp_2",
    )
    assert store.last_conversation() == listed[0]


def test_show_a_conversation_and_a_response(store: HistoryStore) -> None:
    store.record(turn("resp_1", "hello", answer="Hi **there**"))
    store.record(turn("resp_2", "again", parent="resp_1"))

    turns = store.turns("conv_a")
    assert [(t.response_id, t.parent_id) for t in turns] == [("resp_1", None), ("resp_2", "resp_1")]
    one = store.turn("resp_1")
    assert one is not None
    assert (one.answer, one.endpoint_host, one.deployment) == (
        "Hi **there**",
        "127.0.0.1:8000",
        "gpt-test",
    )
    assert one.usage == Usage(input_tokens=10, output_tokens=20)
    assert store.turn("resp_unknown") is None


def test_full_text_search_finds_every_word_in_prompt_or_answer(store: HistoryStore) -> None:
    store.record(turn("resp_1", "how do I tune postgres?", answer="Raise shared_buffers."))
    store.record(turn("resp_2", "a poem about autumn", answer="Leaves fall"))
    store.record(turn("resp_3", "postgres again", answer="vacuum it"))

    assert [t.response_id for t in store.search("postgres")] == ["resp_3", "resp_1"]
    assert [t.response_id for t in store.search("postgres shared_buffers")] == ["resp_1"]
    assert [t.response_id for t in store.search('leaves "fall')] == ["resp_2"]  # no FTS syntax
    assert store.search("nothing-like-this") == []


def test_search_falls_back_to_like_without_fts5(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history_schema, "fts5_available", lambda db: False)
    store = HistoryStore.open(tmp_path / "h.db")
    store.record(turn("resp_1", "100% sure about under_score?", answer="yes"))
    store.record(turn("resp_2", "1000 things", answer="no"))

    assert [t.response_id for t in store.search("100%")] == ["resp_1"]
    assert [t.response_id for t in store.search("under_score yes")] == ["resp_1"]
    assert store.search("1_00") == []  # _ and % are literal, not LIKE wildcards
    store.close()


def test_migrations_apply_once(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    HistoryStore.open(path).close()
    db = sqlite3.connect(path, isolation_level=None)
    assert history_schema.migrate(db) == []  # nothing left to apply
    names = [row[0] for row in db.execute("SELECT name FROM _migrations ORDER BY name")]
    assert names == [name for name, _ in history_schema.MIGRATIONS]
    db.close()
    again = HistoryStore.open(path)  # and opening again changes nothing
    again.record(turn("resp_1", "still works"))
    assert again.turn("resp_1") is not None
    again.close()


def test_database_and_directory_are_user_only(tmp_path: Path) -> None:
    path = history_path(tmp_path / "fresh" / "data")
    HistoryStore.open(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_a_too_open_database_file_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    path.touch(mode=0o644)
    path.chmod(0o644)
    HistoryStore.open(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_corrupt_file_is_a_history_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    path.write_bytes(b"this is not a database, just some text" * 100)
    with pytest.raises(HistoryError) as caught:
        HistoryStore.open(path)
    assert str(path) in caught.value.message and "damaged" in caught.value.message
    assert "move the file away" in caught.value.hint


def test_safe_history_warns_once_and_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    path.write_bytes(b"garbage" * 1000)
    warnings: list[str] = []
    history = SafeHistory(lambda: HistoryStore.open(path), warnings.append)
    history.record(turn("resp_1", "hello"))
    history.record(turn("resp_2", "again"))
    assert history.read(lambda s: s.conversations()) is None
    assert len(warnings) == 1
    assert warnings[0].startswith("history is off for this session:")
    assert "damaged" in warnings[0]


def test_a_locked_database_warns_and_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    HistoryStore.open(path).close()
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    warnings: list[str] = []
    history = SafeHistory(lambda: HistoryStore.open(path, timeout=0.05), warnings.append)
    history.record(turn("resp_1", "hello"))
    locker.execute("ROLLBACK")
    locker.close()
    assert len(warnings) == 1 and "locked" in warnings[0]


def test_secrets_are_masked_but_encrypted_reasoning_is_kept(tmp_path: Path) -> None:
    secret = "sk-test-HISTORY-5678"
    register_secret(secret)
    store = HistoryStore.open(tmp_path / "h.db")
    opaque = "gAAAA/key=abc+token=def=="
    store.record(
        turn(
            "resp_1",
            f"my key is {secret}",
            answer=f"do not share {secret}",
            stored=False,
            items=(
                {
                    "type": "message",
                    "role": "user",
                    "content": [{"type": "input_text", "text": f"key {secret}"}],
                },
                {"type": "reasoning", "id": "rs_1", "encrypted_content": opaque},
            ),
        )
    )
    store.close()
    raw = (tmp_path / "h.db").read_bytes()
    assert secret.encode() not in raw
    reopened = HistoryStore.open(tmp_path / "h.db")
    stored = reopened.turn("resp_1")
    assert stored is not None
    assert stored.items[1]["encrypted_content"] == opaque
    reopened.close()


def test_chain_follows_parents_and_segment_items_are_the_stateless_tail(
    store: HistoryStore,
) -> None:
    user = {"type": "message", "role": "user", "content": "x"}
    store.record(turn("resp_1", "stored turn"))
    store.record(turn("resp_2", "stateless a", parent="resp_1", stored=False, items=(user,)))
    store.record(turn("resp_3", "stateless b", parent="resp_2", stored=False, items=(user, user)))

    chain = store.chain("resp_3")
    assert [t.response_id for t in chain] == ["resp_1", "resp_2", "resp_3"]
    assert len(list(iter_segment_items(chain))) == 3
    assert store.chain("resp_unknown") == []


def test_conversation_of_a_parent_is_its_own_only_at_its_head(store: HistoryStore) -> None:
    store.record(turn("resp_1", "one"))
    store.record(turn("resp_2", "two", parent="resp_1"))
    assert store.conversation_of("resp_2") == "conv_a"  # continuing the head: same conversation
    assert store.conversation_of("resp_1") is None  # an earlier turn: a branch
    assert store.conversation_of(None) is None
