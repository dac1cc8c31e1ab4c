"""previous_response_id, store=false, delete: what the server remembers (docs/protocol.md §9)."""

from __future__ import annotations

from emulator.support import Api
from spec_validation import assert_valid


def _text(body: dict) -> str:  # type: ignore[type-arg]
    return str(body["output"][-1]["content"][0]["text"])


def test_turn_two_proves_the_server_saw_turn_one(api: Api) -> None:
    first = api.create(input="my name is Ada").json
    second = api.create(input="what is my name?", previous_response_id=first["id"]).json
    assert_valid("Response", second)
    assert second["previous_response_id"] == first["id"]
    text = _text(second)
    assert text.startswith("**Turn 2** of this conversation.")
    assert 'You said: "what is my name?"' in text
    assert 'Earlier you said: "my name is Ada".' in text
    assert "2 user messages and 1 earlier answer" in text


def test_the_whole_chain_is_carried(api: Api) -> None:
    previous = None
    for prompt in ("alpha", "beta", "gamma", "delta"):
        body = api.create(
            input=prompt, **({"previous_response_id": previous} if previous else {})
        ).json
        previous = body["id"]
    text = _text(body)
    assert text.startswith("**Turn 4**")
    assert 'Earlier you said: "gamma".' in text and 'Your first message was: "alpha".' in text


def test_chained_tokens_are_billed_and_cached(api: Api) -> None:
    first = api.create(input="[[long:1500]]").json
    second = api.create(input="next", previous_response_id=first["id"]).json
    assert second["usage"]["input_tokens"] > first["usage"]["output_tokens"]
    cached = second["usage"]["input_tokens_details"]["cached_tokens"]
    assert cached > 1024 and cached % 128 == 0


def test_instructions_are_not_carried(api: Api) -> None:
    first = api.create(input="hi", instructions="Speak like a pirate").json
    assert 'Following your instructions: "Speak like a pirate"' in _text(first)
    second = api.create(input="again", previous_response_id=first["id"]).json
    assert second["instructions"] is None
    assert "Following your instructions" not in _text(second)


def test_store_false_is_neither_retrievable_nor_chainable(api: Api) -> None:
    body = api.create(input="secret", store=False).json
    assert body["store"] is False
    assert api.get(f"responses/{body['id']}").status == 404
    reply = api.post("responses", {"model": "m", "input": "x", "previous_response_id": body["id"]})
    assert reply.status == 400
    assert reply.error == {
        "message": f"Previous response with id '{body['id']}' not found.",
        "type": "invalid_request_error",
        "param": "previous_response_id",
        "code": "previous_response_not_found",
    }
    assert_valid("Error", reply.error)


def test_stored_response_can_be_retrieved_and_deleted(api: Api) -> None:
    created = api.create(input="keep me").json
    fetched = api.get(f"responses/{created['id']}")
    assert fetched.status == 200 and fetched.json == created
    assert_valid("Response", fetched.json)
    deleted = api.delete(f"responses/{created['id']}")
    assert deleted.status == 200
    assert deleted.json == {"id": created["id"], "object": "response", "deleted": True}
    assert api.get(f"responses/{created['id']}").status == 404
    assert api.delete(f"responses/{created['id']}").status == 404
    chained = api.post(
        "responses", {"model": "m", "input": "x", "previous_response_id": created["id"]}
    )
    assert chained.error["code"] == "previous_response_not_found"


def test_unknown_response_is_404_in_the_service_shape(api: Api) -> None:
    for reply in (
        api.get("responses/resp_unknown"),
        api.delete("responses/resp_unknown"),
        api.post("responses/resp_unknown/cancel"),
        api.get("responses/resp_unknown/input_items"),
    ):
        assert reply.status == 404
        assert reply.error["message"] == "Response with id 'resp_unknown' not found."
        assert_valid("Error", reply.error)


def test_replaying_chained_items_with_previous_response_id_is_a_duplicate(api: Api) -> None:
    first = api.create(input="hi").json
    reply = api.post(
        "responses",
        {
            "model": "m",
            "previous_response_id": first["id"],
            "input": [*first["output"], {"role": "user", "content": "again"}],
        },
    )
    assert reply.status == 400 and reply.error["param"] == "input"
    assert reply.error["message"].startswith(
        f"Duplicate item found with id {first['output'][0]['id']}."
    )


def test_previous_response_id_with_no_new_input_is_allowed(api: Api) -> None:
    first = api.create(input="hi").json
    second = api.create(previous_response_id=first["id"], input=[]).json
    assert second["status"] == "completed"


def test_conversation_and_previous_response_id_conflict(api: Api) -> None:
    first = api.create(input="hi").json
    reply = api.post(
        "responses",
        {"model": "m", "input": "x", "previous_response_id": first["id"], "conversation": "conv_1"},
    )
    assert reply.status == 400 and reply.error["code"] == "mutually_exclusive_parameters"
