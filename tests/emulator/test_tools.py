"""Function calling (docs/protocol.md §3) and structured output through the scripted model."""

from __future__ import annotations

import json
from typing import Any

import pytest
from emulator.stream_checks import check_stream
from emulator.support import Api
from openai import OpenAI
from pydantic import BaseModel
from spec_validation import assert_valid

WEATHER = {
    "type": "function",
    "name": "get_weather",
    "description": "Weather for a city",
    "parameters": {
        "type": "object",
        "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["c", "f"]}},
        "required": ["city", "unit"],
        "additionalProperties": False,
    },
}


def _call(api: Api, text: str, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = api.create(input=text, tools=[WEATHER], **extra).json
    assert_valid("Response", body)
    return body


def test_call_directive_streams_a_function_call_and_completes(api: Api) -> None:
    reply = api.post(
        "responses",
        {"model": "m", "input": "[[call:get_weather]]", "tools": [WEATHER], "stream": True},
    )
    events = check_stream(reply.text)
    types = [event["type"] for event in events]
    assert types[2:7] == [
        "response.output_item.added",
        "response.function_call_arguments.delta",
        "response.function_call_arguments.delta",
        "response.function_call_arguments.done",
        "response.output_item.done",
    ]
    assert "response.content_part.added" not in types
    final = events[-1]["response"]
    assert final["status"] == "completed"  # no waiting state: the client acts on the call
    [call] = final["output"]
    assert call["id"].startswith("fc_") and call["call_id"].startswith("call_")
    assert json.loads(call["arguments"]) == {"city": "example", "unit": "c"}


def test_explicit_arguments_and_parallel_calls(api: Api) -> None:
    body = _call(
        api,
        '[[call:get_weather {"city":"Paris","unit":"f"}]]'
        ' [[call:get_weather {"city":"Oslo","unit":"c"}]]',
    )
    assert [json.loads(item["arguments"])["city"] for item in body["output"]] == ["Paris", "Oslo"]
    assert len({item["call_id"] for item in body["output"]}) == 2


def test_tool_output_follow_up_answers_with_the_result(api: Api) -> None:
    call = _call(api, "[[call:get_weather]]")
    call_id = call["output"][0]["call_id"]
    follow_up = api.create(
        previous_response_id=call["id"],
        input=[{"type": "function_call_output", "call_id": call_id, "output": '{"t": 20}'}],
        tools=[WEATHER],
    ).json
    text = follow_up["output"][0]["content"][0]["text"]
    assert 'tool `get_weather` returned: `{"t": 20}`' in text


def test_calls_left_without_output_are_refused(api: Api) -> None:
    call = _call(api, "[[call:get_weather]]")
    reply = api.post(
        "responses", {"model": "m", "previous_response_id": call["id"], "input": "never mind"}
    )
    assert reply.status == 400 and reply.error["param"] == "input"
    assert (
        reply.error["message"]
        == f"No tool output found for function call {call['output'][0]['call_id']}."
    )
    stray = api.post(
        "responses",
        {
            "model": "m",
            "input": [{"type": "function_call_output", "call_id": "call_x", "output": "1"}],
        },
    )
    assert stray.status == 400 and "No tool call found" in stray.error["message"]


def test_stateless_tool_turn_replays_the_call(api: Api) -> None:
    call = _call(api, "[[call:get_weather]]", store=False)
    output = {
        "type": "function_call_output",
        "call_id": call["output"][0]["call_id"],
        "output": "sunny",
    }
    items = [{"role": "user", "content": "weather?"}, *call["output"], output]
    body = api.create(input=items, tools=[WEATHER], store=False).json
    assert "returned: `sunny`" in body["output"][0]["content"][0]["text"]
    listed = api.create(input=items, tools=[WEATHER]).json
    stored = api.get(f"responses/{listed['id']}/input_items").json
    assert_valid("ResponseItemList", stored)
    assert [item["type"] for item in stored["data"]] == [
        "function_call_output",
        "function_call",
        "message",
    ]


@pytest.mark.parametrize(
    ("text", "tool_choice", "calls"),
    [
        ("what is the weather?", "required", 1),
        ("what is the weather?", {"type": "function", "name": "get_weather"}, 1),
        ("please use get_weather", "auto", 1),
        ("please use get_weather", "none", 0),
        ("what is the weather?", "auto", 0),
    ],
)
def test_when_the_model_decides_to_call(api: Api, text: str, tool_choice: Any, calls: int) -> None:
    body = _call(api, text, tool_choice=tool_choice)
    assert sum(item["type"] == "function_call" for item in body["output"]) == calls


def test_structured_output_parses_with_the_sdk(client: OpenAI) -> None:
    class Answer(BaseModel):
        city: str
        degrees: int
        tags: list[str]

    parsed = client.responses.parse(
        model="gpt-test", input="weather?", text_format=Answer
    ).output_parsed
    assert parsed == Answer(city="example", degrees=1, tags=["example"])


def test_json_object_format(api: Api) -> None:
    body = api.create(input="hi there", text={"format": {"type": "json_object"}}).json
    assert json.loads(body["output"][0]["content"][0]["text"]) == {
        "turn": 1,
        "you_said": "hi there",
    }
