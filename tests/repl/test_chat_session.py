"""The chat session (core, no UI) against the emulator: chaining, store switches, resume, retry."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from azresp_cli.core.errors import AzrespError, UsageError
from azresp_cli.core.events import TextDelta


def test_stored_turns_chain_by_id_and_never_resend(
    make_session: Any, answer: Any, create_bodies: Any
) -> None:
    session = make_session()
    answer(session, "my name is Ada")
    first_id = session.head
    second = answer(session, "what is my name?")

    assert "**Turn 2**" in second and 'Earlier you said: "my name is Ada"' in second
    first_body, second_body = create_bodies()
    assert "previous_response_id" not in first_body
    assert second_body["previous_response_id"] == first_id
    assert second_body["input"] == "what is my name?"  # the first prompt is not resent
    assert session.totals.input_tokens > 0 and session.totals.output_tokens > 0


def test_stateless_turns_replay_their_items_with_encrypted_reasoning(
    make_session: Any, answer: Any, create_bodies: Any
) -> None:
    session = make_session(store=False)
    session.set_effort("low")
    answer(session, "my name is Ada")
    second = answer(session, "what is my name?")

    assert 'Earlier you said: "my name is Ada"' in second
    body = create_bodies()[-1]
    assert body["store"] is False and "previous_response_id" not in body
    kinds = [item["type"] for item in body["input"]]
    assert kinds.count("message") >= 2 and "reasoning" in kinds
    reasoning = next(item for item in body["input"] if item["type"] == "reasoning")
    assert reasoning["encrypted_content"]


def test_switching_store_off_and_on_keeps_the_context(
    make_session: Any, answer: Any, create_bodies: Any
) -> None:
    session = make_session()
    answer(session, "first, stored")
    stored_id = session.head
    session.set_store(False)
    answer(session, "second, stateless")
    session.set_store(True)
    third = answer(session, "third, stored again")
    fourth = answer(session, "fourth")

    bodies = create_bodies()
    assert bodies[1]["store"] is False
    assert bodies[1]["previous_response_id"] == stored_id  # the anchor
    assert bodies[2]["store"] is True
    assert bodies[2]["previous_response_id"] == stored_id  # the anchor again ...
    replayed = [i for i in bodies[2]["input"] if i.get("role") == "user"]
    assert len(replayed) == 2  # ... plus the stateless turn's items, then the new prompt
    assert "**Turn 3**" in third
    assert bodies[3]["previous_response_id"] == session.turns[-2].response_id
    assert "**Turn 4**" in fourth


def test_an_interrupted_turn_does_not_move_the_chain(
    make_session: Any, answer: Any, create_bodies: Any
) -> None:
    session = make_session()
    answer(session, "complete turn")
    complete_id = session.head
    events = session.ask("[[slow:20]] [[long:300]]")
    for event in events:
        if isinstance(event, TextDelta):
            break
    events.close()  # what Ctrl-C does to the stream
    assert session.head == complete_id
    answer(session, "after the interruption")
    assert create_bodies()[-1]["previous_response_id"] == complete_id


def test_a_failed_turn_does_not_move_the_chain(
    make_session: Any, answer: Any, create_bodies: Any
) -> None:
    session = make_session()
    answer(session, "complete turn")
    complete_id = session.head
    with pytest.raises(AzrespError):
        answer(session, "[[fault:500]]")
    with pytest.raises(AzrespError):
        answer(session, "[[fault:failed]]")
    assert session.head == complete_id
    answer(session, "and on")
    assert create_bodies()[-1]["previous_response_id"] == complete_id


def test_retry_asks_again_from_the_same_parent(
    make_session: Any, answer: Any, create_bodies: Any
) -> None:
    session = make_session()
    answer(session, "one")
    parent = session.head
    answer(session, "two")
    prompt = session.retry()
    assert prompt == "two"
    answer(session, prompt)

    bodies = create_bodies()
    assert bodies[-1]["previous_response_id"] == bodies[-2]["previous_response_id"] == parent
    assert [t.prompt for t in session.turns] == ["one", "two"]


def test_retry_with_nothing_asked_is_a_usage_error(make_session: Any) -> None:
    with pytest.raises(UsageError):
        make_session().retry()


def test_resume_after_a_restart_continues_the_last_conversation(
    make_session: Any, answer: Any, create_bodies: Any
) -> None:
    before = make_session()
    answer(before, "my name is Ada")
    answer(before, "I like tea")
    last_id, conversation_id = before.head, before.conversation_id

    after = make_session()  # a new process, the same history database
    assert after.resume() == conversation_id
    reply = answer(after, "what do I like?")
    assert "**Turn 3**" in reply
    assert create_bodies()[-1]["previous_response_id"] == last_id
    assert [t.prompt for t in after.turns] == ["my name is Ada", "I like tea", "what do I like?"]


def test_resume_of_a_stateless_conversation_replays_its_stored_items(
    make_session: Any, answer: Any, create_bodies: Any
) -> None:
    before = make_session(store=False)
    answer(before, "my name is Ada")
    after = make_session()
    after.resume(before.conversation_id)
    assert after.store is False
    reply = answer(after, "what is my name?")
    assert 'Earlier you said: "my name is Ada"' in reply
    assert "previous_response_id" not in create_bodies()[-1]


def test_fork_from_an_earlier_turn_branches(
    make_session: Any, answer: Any, create_bodies: Any
) -> None:
    session = make_session()
    answer(session, "root")
    root_id, first_conversation = session.head, session.conversation_id
    answer(session, "a follow-up")
    session.continue_from(root_id)
    reply = answer(session, "another branch")
    assert "**Turn 2**" in reply and '"root"' in reply and "follow-up" not in reply
    assert create_bodies()[-1]["previous_response_id"] == root_id
    assert session.conversation_id != first_conversation


def test_resume_of_an_unknown_id_says_so(make_session: Any, answer: Any) -> None:
    session = make_session()
    answer(session, "something")
    with pytest.raises(AzrespError, match="no conversation or response 'conv_nope'"):
        make_session().resume("conv_nope")


def test_attachments_go_with_the_next_prompt_only(
    make_session: Any, answer: Any, create_bodies: Any, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\nbuy milk\n")
    image = tmp_path / "dot.png"
    image.write_bytes(base64.b64decode(PNG_1X1))
    session = make_session()
    session.attach(str(notes))
    session.attach(str(image))
    reply = answer(session, "what did I attach?")
    answer(session, "and now?")

    assert "1 image" in reply
    first, second = create_bodies()
    parts = first["input"][0]["content"]
    assert parts[0]["type"] == "input_text" and "buy milk" in parts[0]["text"]
    assert parts[1]["type"] == "input_image"
    assert parts[1]["image_url"].startswith("data:image/png;base64,")
    assert first["input"][-1]["content"][-1]["text"] == "what did I attach?"
    assert second["input"] == "and now?"


def test_a_stateless_conversation_keeps_replaying_its_attachments(
    make_session: Any, answer: Any, tmp_path: Path
) -> None:
    image = tmp_path / "dot.png"
    image.write_bytes(base64.b64decode(PNG_1X1))
    session = make_session(store=False)
    session.attach(str(image))
    answer(session, "look at this")
    later = answer(session, "what did you see earlier?")
    assert "1 image" in later and 'Earlier you said: "look at this"' in later

    resumed = make_session()  # after a restart, from the history's stored items
    resumed.resume(session.conversation_id)
    assert "1 image" in answer(resumed, "and now?")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.txt", None, "no such file"),
        ("blob.bin", b"\x00\x01\x02binary", "neither text nor an image"),
    ],
)
def test_attach_refuses_what_it_cannot_send(
    make_session: Any, tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    session = make_session()
    with pytest.raises(UsageError, match=message):
        session.attach(str(path))
    assert session.pending == []


def test_no_history_records_nothing(make_session: Any, answer: Any, tmp_path: Path) -> None:
    answer(make_session(history=False), "hello")
    assert not (tmp_path / "data").exists()


PNG_1X1 = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9aw"
    "AAAABJRU5ErkJggg=="
)
