"""POST /responses with stream=true: SSE framing and the event order of docs/protocol.md §0-§1."""

from __future__ import annotations

import pytest
from emulator.stream_checks import check_stream
from emulator.support import Api
from spec_validation import assert_valid


def test_frames_are_event_and_data_lines_without_done(api: Api) -> None:
    reply = api.post("responses", {"model": "m", "input": "hi", "stream": True})
    assert reply.status == 200
    assert reply.headers["content-type"].startswith("text/event-stream")
    frames = [frame for frame in reply.text.split("\n\n") if frame]
    for frame in frames:
        event_line, data_line = frame.split("\n")
        assert event_line.startswith("event: ") and data_line.startswith("data: {")
    assert reply.text.endswith("\n\n")


def test_plain_stream_follows_the_recorded_order(api: Api) -> None:
    reply = api.post("responses", {"model": "m", "input": "tell me", "stream": True})
    events = check_stream(reply.text)
    types = [event["type"] for event in events]
    assert types[:4] == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.content_part.added",
    ]
    assert types[-4:] == [
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed",
    ]
    assert types.count("response.output_text.delta") >= 5  # several word-ish deltas
    final = events[-1]["response"]
    assert final["status"] == "completed" and final["usage"]["output_tokens"] > 0
    assert_valid("Response", final)


def test_stream_and_non_stream_answer_alike(api: Api) -> None:
    plain = api.create(input="same question").json
    streamed = api.post(
        "responses", {"model": "gpt-test", "input": "same question", "stream": True}
    )
    final = streamed.events[-1]["response"]
    assert final["output"][0]["content"] == plain["output"][0]["content"]
    assert final["usage"] == plain["usage"]


def test_reasoning_with_summary_streams_before_the_message(api: Api) -> None:
    body = {
        "model": "m",
        "input": "think",
        "stream": True,
        "reasoning": {"effort": "high", "summary": "detailed"},
    }
    events = check_stream(api.post("responses", body).text)
    types = [event["type"] for event in events]
    first_added = types.index("response.output_item.added")
    assert events[first_added]["item"] == {
        "id": events[first_added]["item"]["id"],
        "type": "reasoning",
        "summary": [],
    }
    reasoning_types = types[first_added : types.index("response.output_item.done") + 1]
    assert reasoning_types[:3] == [
        "response.output_item.added",
        "response.reasoning_summary_part.added",
        "response.reasoning_summary_text.delta",
    ]
    summary_indexes = {
        e["summary_index"] for e in events if e["type"] == "response.reasoning_summary_part.done"
    }
    assert summary_indexes == {0, 1}  # "detailed" gives two parts
    final = events[-1]["response"]
    assert [item["type"] for item in final["output"]] == ["reasoning", "message"]
    assert final["usage"]["output_tokens_details"]["reasoning_tokens"] == 192
    assert final["output"][0]["summary"][0]["text"].startswith("**Reading turn 1**")


def test_reasoning_without_summary_has_no_events_inside_the_item(api: Api) -> None:
    events = check_stream(
        api.post(
            "responses",
            {"model": "m", "input": "x", "stream": True, "reasoning": {"effort": "low"}},
        ).text
    )
    types = [event["type"] for event in events]
    assert types[2:4] == ["response.output_item.added", "response.output_item.done"]
    assert events[3]["item"]["summary"] == []


def test_effort_none_means_no_reasoning_item(api: Api) -> None:
    body = api.create(input="x", reasoning={"effort": "none"}).json
    assert [item["type"] for item in body["output"]] == ["message"]
    assert body["usage"]["output_tokens_details"]["reasoning_tokens"] == 0


def test_max_output_tokens_ends_incomplete_and_counts_reasoning(api: Api) -> None:
    reply = api.post(
        "responses",
        {
            "model": "m",
            "input": "[[long:300]]",
            "stream": True,
            "max_output_tokens": 100,
            "reasoning": {"effort": "low"},
        },
    )
    events = check_stream(reply.text)
    final = events[-1]
    assert final["type"] == "response.incomplete"
    assert final["response"]["incomplete_details"] == {"reason": "max_output_tokens"}
    assert final["response"]["usage"]["output_tokens"] <= 100
    assert final["response"]["output"][-1]["status"] == "incomplete"


def test_reasoning_alone_can_exhaust_max_output_tokens(api: Api) -> None:
    body = api.create(input="x", max_output_tokens=16, reasoning={"effort": "medium"}).json
    assert_valid("Response", body)
    assert body["status"] == "incomplete"
    assert [item["type"] for item in body["output"]] == ["reasoning"]


@pytest.mark.slow  # seconds by design
def test_long_answer_streams_many_deltas_quickly(api: Api) -> None:
    reply = api.post("responses", {"model": "m", "input": "[[long:32000]]", "stream": True})
    events = reply.events
    assert events[-1]["type"] == "response.completed"
    assert 32000 <= events[-1]["response"]["usage"]["output_tokens"] < 33000
    assert sum(event["type"] == "response.output_text.delta" for event in events) > 1000
