"""Function calling (docs/protocol.md §3): parallel calls, outputs, replay, multi-round loops."""

from __future__ import annotations

import json
from typing import Any

from emulator.stream_checks import check_stream
from emulator_tools.tool_support import ToolsApi, sdk_events
from openai import OpenAI
from spec_validation import assert_valid

LOOKUP = {
    "type": "function",
    "name": "lookup",
    "parameters": {"type": "object", "properties": {"q": {"type": "string"}}, "required": ["q"]},
}
CONVERT = {
    "type": "function",
    "name": "convert",
    "parameters": {"type": "object", "properties": {"n": {"type": "integer"}}},
}
TOOLS = [LOOKUP, CONVERT]


def _output(call: dict[str, Any], output: Any) -> dict[str, Any]:
    return {"type": "function_call_output", "call_id": call["call_id"], "output": output}


def _text(body: dict[str, Any]) -> str:
    [message] = [item for item in body["output"] if item["type"] == "message"]
    text: str = message["content"][0]["text"]
    return text


def test_parallel_calls_stream_one_item_each_with_argument_events(api: ToolsApi) -> None:
    reply = api.post(
        "responses",
        {
            "model": "m",
            "input": '[[call:lookup {"q":"alpha"}]] [[call:convert {"n":7}]]',
            "tools": TOOLS,
            "stream": True,
        },
    )
    events = check_stream(reply.text)
    calls = events[-1]["response"]["output"]
    assert [call["name"] for call in calls] == ["lookup", "convert"]
    assert [json.loads(call["arguments"]) for call in calls] == [{"q": "alpha"}, {"n": 7}]
    assert len({call["call_id"] for call in calls}) == 2
    assert all(call["call_id"].startswith("call_") for call in calls)
    for index, call in enumerate(calls):
        mine = [event for event in events if event.get("output_index") == index]
        kinds = [event["type"] for event in mine]
        assert kinds[0] == "response.output_item.added" and kinds[-1] == "response.output_item.done"
        assert "response.function_call_arguments.delta" in kinds
        [done] = [e for e in mine if e["type"] == "response.function_call_arguments.done"]
        assert (done["name"], done["arguments"]) == (call["name"], call["arguments"])
    assert events[-1]["response"]["status"] == "completed"


def test_outputs_as_strings_and_part_lists_are_quoted_in_the_answer(client: OpenAI) -> None:
    first = client.responses.create(
        model="m",
        input="[[call:lookup]] [[call:convert]]",
        tools=TOOLS,  # type: ignore[list-item]
    )
    lookup, convert = (item.to_dict() for item in first.output)
    parts = [{"type": "input_text", "text": "forty-two"}]
    second = client.responses.create(
        model="m",
        previous_response_id=first.id,
        input=[_output(lookup, "the answer"), _output(convert, parts)],  # type: ignore[list-item]
        tools=TOOLS,  # type: ignore[list-item]
    )
    assert "tool `lookup` returned: `the answer`" in second.output_text
    assert "tool `convert` returned: `forty-two`" in second.output_text


def test_a_missing_output_is_refused_by_call_id(api: ToolsApi) -> None:
    first = api.create(input="[[call:lookup]] [[call:convert]]", tools=TOOLS).json
    lookup, convert = first["output"]
    reply = api.post(
        "responses",
        {
            "model": "m",
            "previous_response_id": first["id"],
            "input": [_output(lookup, "x")],
            "tools": TOOLS,
        },
    )
    assert reply.status == 400
    assert reply.error["message"] == f"No tool output found for function call {convert['call_id']}."


def test_stateless_replay_of_parallel_calls_and_outputs(api: ToolsApi) -> None:
    user = {"role": "user", "content": "[[call:lookup]] [[call:convert]]"}
    first = api.create(input=[user], tools=TOOLS, store=False).json
    outputs = [_output(call, f"out {index}") for index, call in enumerate(first["output"])]
    second = api.create(input=[user, *first["output"], *outputs], tools=TOOLS, store=False).json
    assert_valid("Response", second)
    text = _text(second)
    assert "tool `lookup` returned: `out 0`" in text and "tool `convert` returned: `out 1`" in text


def test_a_call_directive_in_an_output_starts_another_round(api: ToolsApi) -> None:
    first = api.create(input="[[call:lookup]]", tools=TOOLS).json
    second = api.create(
        previous_response_id=first["id"],
        input=[_output(first["output"][0], 'found it [[call:convert {"n":3}]]')],
        tools=TOOLS,
    ).json
    [call] = second["output"]
    assert (call["type"], call["name"], call["arguments"]) == (
        "function_call",
        "convert",
        '{"n":3}',
    )
    third = api.create(
        previous_response_id=second["id"], input=[_output(call, "3 units")], tools=TOOLS
    ).json
    text = _text(third)  # the round is over: the model answers, quoting both outputs
    assert "tool `lookup` returned: `found it`" in text
    assert "tool `convert` returned: `3 units`" in text


def test_an_output_that_always_asks_again_loops_until_the_client_stops(api: ToolsApi) -> None:
    response = api.create(input="[[call:lookup]]", tools=TOOLS).json
    for _ in range(4):  # a client's round cap decides when this ends
        [call] = response["output"]
        assert call["type"] == "function_call"
        response = api.create(
            previous_response_id=response["id"],
            input=[_output(call, "again [[call:lookup]]")],
            tools=TOOLS,
        ).json
    assert response["output"][0]["type"] == "function_call"


def test_parallel_tool_calls_false_makes_one_call(api: ToolsApi) -> None:
    body = api.create(
        input="[[call:lookup]] [[call:convert]]", tools=TOOLS, parallel_tool_calls=False
    ).json
    assert [item["name"] for item in body["output"]] == ["lookup"]


def test_sdk_stream_of_parallel_calls(client: OpenAI) -> None:
    stream = client.responses.create(
        model="m",
        input="[[call:lookup]] [[call:convert]]",
        tools=TOOLS,  # type: ignore[list-item]
        stream=True,
    )
    events = sdk_events(stream)
    done = [event.item for event in events if event.type == "response.output_item.done"]
    assert [item.type for item in done] == ["function_call", "function_call"]
