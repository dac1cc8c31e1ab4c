"""The emulator's deterministic web_search tool: items, citations, filters, a blocked resource."""

from __future__ import annotations

from typing import Any

import openai
import pytest
from emulator.stream_checks import check_stream
from emulator_tools.tool_support import ToolsApi, sdk_events
from openai import OpenAI
from spec_validation import assert_valid

TOOL = {"type": "web_search"}
SOURCES = ["web_search_call.action.sources"]


def _call(body: dict[str, Any]) -> dict[str, Any]:
    [call] = [item for item in body["output"] if item["type"] == "web_search_call"]
    return call


def test_a_search_call_then_an_answer_citing_example_pages(api: ToolsApi) -> None:
    body = api.create(input="what is new in azure?", tools=[TOOL], include=SOURCES).json
    call = _call(body)
    assert call["id"].startswith("ws_") and call["status"] == "completed"
    assert call["action"]["type"] == "search"
    assert call["action"]["query"] == "what is new in azure?"
    assert [s["url"] for s in call["action"]["sources"]] == [
        "https://www.example.com/guide",
        "https://docs.example.com/reference",
        "https://news.example.org/today",
    ]
    [message] = [item for item in body["output"] if item["type"] == "message"]
    part = message["content"][0]
    citations = part["annotations"]
    assert [c["type"] for c in citations] == ["url_citation"] * 3
    for citation in citations:
        assert_valid("UrlCitationBody", citation)
        span = part["text"][citation["start_index"] : citation["end_index"]]
        assert span == f"([{citation['url'].split('/')[2]}]({citation['url']}))"
    assert body["output"].index(call) < body["output"].index(message)


def test_sources_only_when_included(api: ToolsApi) -> None:
    call = _call(api.create(input="q", tools=[TOOL]).json)
    assert "sources" not in call["action"]


def test_allowed_domains_are_honoured_subdomains_included(api: ToolsApi) -> None:
    tool = {**TOOL, "filters": {"allowed_domains": ["example.com"]}}
    body = api.create(input="q", tools=[tool], include=SOURCES).json
    urls = [s["url"] for s in _call(body)["action"]["sources"]]
    assert urls == ["https://www.example.com/guide", "https://docs.example.com/reference"]
    nothing = {**TOOL, "filters": {"allowed_domains": ["contoso.com"]}}
    body = api.create(input="q", tools=[nothing], include=SOURCES).json
    assert _call(body)["action"]["sources"] == []
    [message] = [item for item in body["output"] if item["type"] == "message"]
    assert "found nothing on the allowed domains" in message["content"][0]["text"]


def test_the_stream_plays_the_search_events_in_order(api: ToolsApi) -> None:
    reply = api.post(
        "responses", {"model": "m", "input": "[[web:azure news]]", "tools": [TOOL], "stream": True}
    )
    events = check_stream(reply.text)
    search = [e["type"] for e in events if e.get("output_index") == 0]
    assert search == [
        "response.output_item.added",
        "response.web_search_call.in_progress",
        "response.web_search_call.searching",
        "response.web_search_call.completed",
        "response.output_item.done",
    ]
    done = next(e for e in events if e["type"] == "response.output_item.done")
    assert done["item"]["action"]["query"] == "azure news"


def test_the_sdk_reads_it_and_every_event_is_valid(client: OpenAI) -> None:
    stream = client.responses.create(
        model="m", input="search this", tools=[{"type": "web_search"}], stream=True
    )
    events = sdk_events(stream)
    final = events[-1].response
    assert final.output[0].type == "web_search_call"
    assert final.output[1].content[0].annotations[0].type == "url_citation"


def test_a_blocked_resource_answers_400_naming_the_tool(client: OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.responses.create(
            model="m", input="[[web:blocked]] hi", tools=[{"type": "web_search"}]
        )
    error = caught.value.body
    assert isinstance(error, dict)
    assert error["code"] == "tool_not_allowed" and error["param"] == "tools[0]"
    assert "disabled by an administrator" in error["message"]


def test_tool_choice_none_does_not_search(api: ToolsApi) -> None:
    body = api.create(input="q", tools=[TOOL], tool_choice="none").json
    assert [item["type"] for item in body["output"]] == ["message"]


def test_bad_filters_are_400(api: ToolsApi) -> None:
    reply = api.post(
        "responses",
        {"model": "m", "input": "q", "tools": [{**TOOL, "filters": {"allowed_domains": "x"}}]},
    )
    assert reply.status == 400
    assert reply.json["error"]["param"] == "tools[0].filters.allowed_domains"
