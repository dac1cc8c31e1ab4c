"""core/raw_api.py: streams read as the service's JSON events, over the wire to the
emulator: the same request the SDK's typed `responses.create` sends, the same events it
parses, and a turn engine that answers in full from them."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from cli_support import TEST_KEY

from azresp_cli.core.client import make_client
from azresp_cli.core.config import AuthMethod, Settings
from azresp_cli.core.events import Completed, ResponseStarted, TextDelta
from azresp_cli.core.raw_api import create_stream, json_object, replay_stream
from azresp_cli.core.request import TurnRequest
from azresp_cli.core.turn import run_turn


@pytest.fixture
def settings(emulator: Any) -> Settings:
    return Settings(
        endpoint=emulator.base_url, deployment="emulator", auth=AuthMethod.KEY, api_key=TEST_KEY
    )


@pytest.fixture
def client(settings: Settings) -> Iterator[Any]:
    made = make_client(settings)
    yield made
    made.close()


def _without_ids(event: dict[str, Any]) -> dict[str, Any]:
    """An event with the per-request parts (ids, timestamps) blanked, to compare two runs."""
    out: dict[str, Any] = {}
    for key, value in event.items():
        if key in ("id", "item_id", "response_id", "created_at", "completed_at"):
            out[key] = "*"
        elif isinstance(value, dict):
            out[key] = _without_ids(value)
        elif isinstance(value, list):
            out[key] = [_without_ids(v) if isinstance(v, dict) else v for v in value]
        else:
            out[key] = value
    return out


def test_events_are_the_json_the_typed_sdk_stream_parses(emulator: Any, client: Any) -> None:
    body = {"model": "emulator", "input": "[[long:30]]", "store": True, "stream": True}
    raw = list(create_stream(client, body, headers={"x-test": "1"}, query={"api-version": "v"}))
    typed = [event.to_dict() for event in client.responses.create(**body)]
    assert all(isinstance(event, dict) for event in raw)
    assert [_without_ids(e) for e in raw] == [_without_ids(e) for e in typed]
    assert raw[-1]["type"] == "response.completed"
    first, second = emulator.requests[-2:]
    # One request over the wire, as `responses.create` sends it, plus what the caller added.
    assert first.method == second.method == "POST" and first.path == second.path
    assert first.json == second.json == body
    assert first.headers["authorization"] == second.headers["authorization"] == "***"
    assert first.headers["x-test"] == "1" and first.query == {"api-version": "v"}


def test_a_replay_resumes_after_the_sequence_number_asked(emulator: Any, client: Any) -> None:
    body = {"model": "emulator", "input": "[[long:30]]", "store": True, "background": True}
    events = list(create_stream(client, body))
    response_id = events[0]["response"]["id"]
    replayed = list(replay_stream(client, response_id, after=3))
    assert [e["sequence_number"] for e in replayed] == [
        e["sequence_number"] for e in events if e["sequence_number"] > 3
    ]
    request = emulator.requests[-1]
    assert request.method == "GET" and request.path.endswith(f"/responses/{response_id}")
    assert request.query == {"stream": "true", "starting_after": "3"}
    assert [e["type"] for e in replay_stream(client, response_id)] == [e["type"] for e in events]


def test_only_a_json_object_is_read_as_an_event() -> None:
    # Every stream is read with cast_to=object: an event is the JSON value the service sent,
    # which an odd service may make something other than an object.
    assert json_object({"type": "x"}) == {"type": "x"}
    for odd in ("response.completed", 5, None, [{"type": "x"}], object()):
        assert json_object(odd) == {}


def test_odd_fields_in_events_become_empty_text_not_a_crash(emulator: Any) -> None:
    from azresp_cli.core.turn import consume_stream

    class Stream:
        response = None

        def __iter__(self) -> Iterator[object]:
            yield {"type": "response.created", "sequence_number": 0, "response": ["odd"]}
            yield {"type": "response.output_text.delta", "delta": 5, "sequence_number": "x"}
            yield {"type": "response.output_text.delta", "delta": "ok"}
            yield {"type": "response.completed", "response": {"id": "resp_1", "status": {}}}

        def close(self) -> None:
            pass

    events = list(consume_stream(Stream()))
    assert events[0] == ResponseStarted("", "in_progress", 0)
    assert [e.text for e in events if isinstance(e, TextDelta)] == ["", "ok"]
    assert isinstance(events[-1], Completed) and events[-1].response.status == "completed"


def test_a_streamed_turn_answers_in_full_twice_on_one_client(
    client: Any, settings: Settings
) -> None:
    events = list(run_turn(client, settings, TurnRequest("[[long:40]]")))
    again = list(run_turn(client, settings, TurnRequest("[[long:40]]")))
    for turn in (events, again):
        text = "".join(e.text for e in turn if isinstance(e, TextDelta))
        done = [e for e in turn if isinstance(e, Completed)]
        assert done and text == done[-1].response.output_text and text


LEAN_PROBE = """
import sys
from azresp_cli.core.client import make_client
from azresp_cli.core.config import AuthMethod, Settings
from azresp_cli.core.request import TurnRequest
from azresp_cli.core.turn import run_turn
settings = Settings(endpoint=sys.argv[1], deployment="emulator", auth=AuthMethod.KEY, api_key="k")
text = "".join(getattr(e, "text", "") for e in run_turn(make_client(settings), settings,
               TurnRequest("[[long:20]]")))
print(bool(text), "openai.resources.responses.responses" in sys.modules)
"""


@pytest.mark.slow
def test_a_streamed_turn_does_not_load_the_typed_responses_resource(emulator: Any) -> None:
    # Its module builds pydantic schemas for the SDK's streaming helpers on import (~80 ms on
    # the way to the first token); a streamed turn has no use for them.
    out = subprocess.run(
        [sys.executable, "-c", LEAN_PROBE, emulator.base_url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.split() == ["True", "False"]


ODD_RESPONSES = [
    {"id": "r", "status": "completed", "output": 5, "usage": "x"},
    {"id": "r", "status": [1], "usage": {"input_tokens": "x", "output_tokens_details": "y"}},
    {"id": "r", "status": "completed", "error": "x", "incomplete_details": 5, "created_at": "x"},
    {"id": "r", "output": [{"type": "message", "content": [{"type": "output_text", "text": 5}]}]},
    {"id": "r", "status": "incomplete", "incomplete_details": {"reason": 5}},
]
ODD_ITEMS = [
    {"type": 5, "id": [1]},
    {"type": "function_call", "arguments": {"x": 1}, "name": None, "call_id": 3},
    {"type": "mcp_list_tools", "tools": "nope", "server_label": 5},
    {"type": "mcp_call", "name": None, "output": {"a": 1}, "error": 5, "arguments": 3},
    {"type": "image_generation_call", "result": "!!not base64"},
    {"type": "web_search_call", "action": {"query": 5, "sources": "x"}},
    {"type": "message", "content": [{"type": "output_text", "text": "t", "annotations": [5]}]},
    {"type": "code_interpreter_call", "outputs": [5, {"type": "logs", "logs": 5}], "code": 5},
]


def _events_of(*events: object) -> list[Any]:
    from azresp_cli.core.turn import consume_stream

    class Stream:
        response = None

        def __iter__(self) -> Iterator[object]:
            yield {"type": "response.created", "sequence_number": 0, "response": {"id": "r"}}
            yield from events

        def close(self) -> None:
            pass

    return list(consume_stream(Stream()))


@pytest.mark.parametrize("response", ODD_RESPONSES)
def test_a_final_response_with_odd_fields_is_read_as_far_as_it_makes_sense(
    response: dict[str, Any],
) -> None:
    done = _events_of({"type": "response.completed", "response": response})[-1]
    assert isinstance(done, Completed) and done.response.id == "r"
    usage = done.response.usage
    assert usage is None or (usage.input_tokens, usage.output_tokens) == (0, 0)
    assert done.response.output_text == ""


@pytest.mark.parametrize("item", ODD_ITEMS)
def test_an_item_with_odd_fields_is_not_a_crash(item: dict[str, Any]) -> None:
    done = {"type": "response.completed", "response": {"id": "r", "status": "completed"}}
    events = _events_of({"type": "response.output_item.done", "item": item}, done)
    assert isinstance(events[-1], Completed)


def test_calls_read_the_same_json_the_typed_sdk_returns(emulator: Any, client: Any) -> None:
    from azresp_cli.core.raw_api import (
        cancel_response,
        create_response,
        input_items_page,
        retrieve_response,
    )

    body = {"model": "emulator", "input": "[[long:10]]", "store": True}
    reply = create_response(client, body, headers={"x-test": "2"})
    response_id = reply.body["id"]
    assert reply.headers["x-request-id"] and emulator.requests[-1].json == body
    assert emulator.requests[-1].headers["x-test"] == "2"
    assert (
        retrieve_response(client, response_id) == client.responses.retrieve(response_id).to_dict()
    )
    page = input_items_page(client, response_id, {"limit": 5, "order": "asc"})
    typed = client.responses.input_items.list(response_id, limit=5, order="asc")
    assert page["data"] == [item.to_dict() for item in typed.data]
    assert page["has_more"] is typed.has_more
    job = create_response(client, {**body, "background": True}).body
    assert cancel_response(client, job["id"])["status"] == "cancelled"
