"""Reasoning items, and stateless chaining with encrypted reasoning (docs/protocol.md §2)."""

from __future__ import annotations

import base64
from typing import Any

from emulator.stream_checks import check_stream
from emulator.support import Api
from spec_validation import assert_valid

STATELESS = {
    "store": False,
    "include": ["reasoning.encrypted_content"],
    "reasoning": {"effort": "low", "summary": "auto"},
}


def _stateless_turn(api: Api, items: list[Any]) -> dict[str, Any]:
    body: dict[str, Any] = api.create(input=items, **STATELESS).json
    assert_valid("Response", body)
    return body


def test_encrypted_reasoning_comes_only_in_the_done_item(api: Api) -> None:
    reply = api.post("responses", {"model": "m", "input": "hi", "stream": True, **STATELESS})
    events = check_stream(reply.text)
    added = next(e for e in events if e["type"] == "response.output_item.added")
    done = next(e for e in events if e["type"] == "response.output_item.done")
    assert "encrypted_content" not in added["item"]
    assert isinstance(done["item"]["encrypted_content"], str) and done["item"]["encrypted_content"]
    assert (
        events[-1]["response"]["output"][0]["encrypted_content"]
        == done["item"]["encrypted_content"]
    )


def test_without_include_there_is_no_encrypted_content(api: Api) -> None:
    body = api.create(input="hi", reasoning={"effort": "low"}).json
    assert "encrypted_content" not in body["output"][0]


def test_stateless_turns_replay_the_whole_output(api: Api) -> None:
    history: list[Any] = [{"role": "user", "content": "my name is Ada"}]
    first = _stateless_turn(api, history)
    history += [*first["output"], {"role": "user", "content": "what is my name?"}]
    second = _stateless_turn(api, history)
    text = second["output"][-1]["content"][0]["text"]
    assert text.startswith("**Turn 2**") and 'Earlier you said: "my name is Ada".' in text
    assert api.get(f"responses/{second['id']}").status == 404


def test_tampered_encrypted_content_is_refused(api: Api) -> None:
    first = _stateless_turn(api, [{"role": "user", "content": "hi"}])
    reasoning = dict(first["output"][0])
    payload, mac = reasoning["encrypted_content"].split(".")
    forged = base64.urlsafe_b64encode(
        base64.urlsafe_b64decode(payload + "==").replace(b"Reading", b"Writing")
    )
    for token in (
        forged.decode().rstrip("=") + "." + mac,
        "garbage",
        reasoning["encrypted_content"][:-4] + "AAAA",
    ):
        reasoning["encrypted_content"] = token
        reply = api.post(
            "responses",
            {"model": "m", "input": [reasoning, {"role": "user", "content": "x"}], **STATELESS},
        )
        assert reply.status == 400, token
        assert (
            reply.error["param"] == "input" and reply.error["code"] == "invalid_encrypted_content"
        )
        assert_valid("Error", reply.error)


def test_encrypted_content_is_bound_to_its_item(api: Api) -> None:
    first = _stateless_turn(api, [{"role": "user", "content": "hi"}])
    moved = {**first["output"][0], "id": "rs_someone_else"}
    reply = api.post("responses", {"model": "m", "input": [moved], **STATELESS})
    assert reply.status == 400 and reply.error["code"] == "invalid_encrypted_content"


def test_stored_style_reasoning_under_store_false_is_not_found(api: Api) -> None:
    first = _stateless_turn(api, [{"role": "user", "content": "hi"}])
    bare = {"type": "reasoning", "id": first["output"][0]["id"], "summary": []}
    reply = api.post(
        "responses",
        {"model": "m", "store": False, "input": [bare, {"role": "user", "content": "x"}]},
    )
    assert reply.status == 400 and reply.error["param"] == "input"
    assert reply.error["message"].startswith(f"Item with id '{bare['id']}' not found.")
    assert "Items are not persisted when `store` is set to false." in reply.error["message"]


def test_summary_without_effort_uses_medium(api: Api) -> None:
    body = api.create(input="x", reasoning={"summary": "concise"}).json
    assert body["reasoning"] == {"effort": "medium", "summary": "concise"}
    assert body["usage"]["output_tokens_details"]["reasoning_tokens"] > 0
    assert len(body["output"][0]["summary"]) == 1
