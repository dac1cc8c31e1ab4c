"""POST /responses/compact and POST /responses/input_tokens (docs/protocol.md §10)."""

from __future__ import annotations

from typing import Any

from emulator.support import Api
from spec_validation import assert_valid


def _chain(api: Api, *prompts: str) -> str:
    previous: str | None = None
    for prompt in prompts:
        extra = {"previous_response_id": previous} if previous else {}
        previous = api.create(input=prompt, **extra).json["id"]
    assert previous is not None
    return previous


def _compact(api: Api, **body: Any) -> dict[str, Any]:
    reply = api.post("responses/compact", {"model": "gpt-test", **body})
    assert reply.status == 200, reply.text
    assert_valid("CompactResource", reply.json)
    result: dict[str, Any] = reply.json
    return result


def test_compact_keeps_user_messages_and_adds_one_compaction_item(api: Api) -> None:
    last = _chain(api, "first", "second", "third")
    compacted = _compact(api, previous_response_id=last)
    assert compacted["object"] == "response.compaction" and compacted["id"].startswith("resp_")
    *kept, compaction = compacted["output"]
    assert [item["content"][0]["text"] for item in kept] == ["first", "second", "third"]
    assert compaction["type"] == "compaction" and compaction["id"].startswith("cmp_")
    assert compacted["usage"]["input_tokens"] > 0 and compacted["usage"]["output_tokens"] > 0


def test_the_compacted_context_is_remembered(api: Api) -> None:
    compacted = _compact(
        api, previous_response_id=_chain(api, "my name is Ada", "I like tea", "ok")
    )
    for replay in (
        compacted["output"],
        compacted["output"][-1:],
    ):  # with or without the kept messages
        body = api.create(input=[*replay, {"role": "user", "content": "what is my name?"}]).json
        text = body["output"][0]["content"][0]["text"]
        assert text.startswith("**Turn 4**")
        assert 'Your first message was: "my name is Ada".' in text
        assert "remembered from a compacted context: 6 messages" in text


def test_compacting_from_input_items(api: Api) -> None:
    compacted = _compact(
        api, input=[{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]
    )
    assert [item["type"] for item in compacted["output"]] == ["message", "compaction"]


def test_tampered_compaction_is_refused(api: Api) -> None:
    compaction = _compact(api, input="hello")["output"][-1]
    forged = {**compaction, "encrypted_content": compaction["encrypted_content"][:-3] + "xyz"}
    reply = api.post(
        "responses", {"model": "m", "input": [forged, {"role": "user", "content": "x"}]}
    )
    assert reply.status == 400 and reply.error["code"] == "invalid_encrypted_content"


def test_compact_checks_its_input(api: Api) -> None:
    missing = api.post("responses/compact", {"model": "m", "previous_response_id": "resp_nope"})
    assert missing.status == 400 and missing.error["code"] == "previous_response_not_found"
    unknown = api.post("responses/compact", {"model": "m", "input": "x", "stream": True})
    assert unknown.status == 400 and unknown.error["code"] == "unknown_parameter"
    assert api.post("responses/compact", {"input": "x"}).error["param"] == "model"


def test_input_tokens_match_what_create_bills(api: Api) -> None:
    tools = [
        {
            "type": "function",
            "name": "lookup",
            "description": "find things",
            "parameters": {"type": "object"},
        }
    ]
    first = api.create(input="my name is Ada").json
    body = {
        "input": "and now?",
        "instructions": "be brief",
        "tools": tools,
        "previous_response_id": first["id"],
    }
    counted = api.post("responses/input_tokens", {"model": "gpt-test", **body})
    assert counted.status == 200
    assert_valid("TokenCountsResource", counted.json)
    assert counted.json["object"] == "response.input_tokens"
    created = api.create(**body).json
    assert counted.json["input_tokens"] == created["usage"]["input_tokens"]


def test_input_tokens_grow_with_the_input(api: Api) -> None:
    short = api.post("responses/input_tokens", {"input": "one"}).json["input_tokens"]
    longer = api.post("responses/input_tokens", {"input": "one two three four"}).json[
        "input_tokens"
    ]
    assert longer == short + 3
