"""POST /responses without streaming: the Response object, its echo, usage and headers."""

from __future__ import annotations

import uuid

from emulator.support import Api
from spec_validation import assert_valid


def test_plain_answer_is_a_valid_completed_response(api: Api) -> None:
    reply = api.create(input="hello there")
    body = reply.json
    assert_valid("Response", body)
    assert body["object"] == "response" and body["status"] == "completed"
    assert body["id"].startswith("resp_")
    assert "output_text" not in body  # an SDK convenience, never on the wire
    assert body["content_filters"] == []
    [message] = body["output"]
    assert message["id"].startswith("msg_") and message["role"] == "assistant"
    [part] = message["content"]
    assert part["annotations"] == [] and part["logprobs"] == []
    assert part["text"].startswith("**Turn 1** of this conversation.")
    assert 'You said: "hello there"' in part["text"]
    assert "\n- 1 user message and 0 earlier answers" in part["text"]  # a Markdown list


def test_request_parameters_are_echoed(api: Api) -> None:
    body = api.create(
        input="hi",
        instructions="Answer tersely",
        metadata={"topic": "tests"},
        temperature=0.2,
        top_p=0.5,
        max_output_tokens=500,
        text={"verbosity": "low"},
        reasoning={"effort": "low"},
        tools=[{"type": "function", "name": "lookup", "parameters": {"type": "object"}}],
        store=True,
        user="someone",
    ).json
    assert_valid("Response", body)
    assert body["instructions"] == "Answer tersely"
    assert body["metadata"] == {"topic": "tests"}
    assert (body["temperature"], body["top_p"], body["max_output_tokens"]) == (0.2, 0.5, 500)
    assert body["text"] == {"format": {"type": "text"}, "verbosity": "low"}
    assert body["reasoning"] == {"effort": "low", "summary": None}
    assert body["tools"][0]["name"] == "lookup" and body["tools"][0]["strict"] is True
    assert (body["store"], body["background"], body["previous_response_id"]) == (True, False, None)
    assert body["model"] == "gpt-test" and body["user"] == "someone"
    assert body["service_tier"] == "default"  # "auto" resolves once the response is done


def test_defaults_are_echoed(api: Api) -> None:
    body = api.create(input="hi").json
    assert body["metadata"] == {} and body["tools"] == [] and body["tool_choice"] == "auto"
    assert (body["temperature"], body["top_p"], body["parallel_tool_calls"]) == (1.0, 1.0, True)
    assert body["reasoning"] == {"effort": None, "summary": None}
    assert body["truncation"] == "disabled" and body["instructions"] is None


def test_usage_counts_tokens_deterministically(api: Api) -> None:
    first = api.create(input="one two three").json["usage"]
    second = api.create(input="one two three").json["usage"]
    assert first == second
    assert first["total_tokens"] == first["input_tokens"] + first["output_tokens"]
    assert first["input_tokens_details"] == {"cached_tokens": 0, "cache_write_tokens": 0}
    assert first["output_tokens_details"] == {"reasoning_tokens": 0}


def test_every_reply_has_request_ids(api: Api) -> None:
    for reply in (api.create(input="hi"), api.get("responses/resp_missing")):
        uuid.UUID(reply.headers["apim-request-id"])
        assert reply.headers["x-request-id"].startswith("req_")
    assert (
        api.create(input="a").headers["apim-request-id"]
        != api.create(input="b").headers["apim-request-id"]
    )


def test_api_version_query_is_accepted_and_ignored(api: Api) -> None:
    for version in ("v1", "preview"):
        reply = api.post("responses", {"model": "m", "input": "hi"}, query={"api-version": version})
        assert reply.status == 200
        assert_valid("Response", reply.json)


def test_unknown_but_valid_fields_are_accepted(api: Api) -> None:
    reply = api.create(
        input="hi",
        prompt_cache_key="k",
        safety_identifier="s",
        service_tier="flex",
        truncation="auto",
        top_logprobs=2,
        max_tool_calls=3,
        parallel_tool_calls=False,
        stream_options={"include_obfuscation": False},
        prompt_cache_retention="24h",
        conversation=None,
        context_management=[{"type": "compaction", "compact_threshold": 1000}],
        include=["message.output_text.logprobs"],
    )
    assert_valid("Response", reply.json)
    assert reply.json["service_tier"] == "flex"


def test_long_answers_use_the_whole_markdown_repertoire(api: Api) -> None:
    text = api.create(input="[[long:400]]").json["output"][0]["content"][0]["text"]
    assert "## " in text and "\n- " in text and "| --- |" in text and "```python" in text
    assert text.count("```") % 2 == 0  # every fence closed
