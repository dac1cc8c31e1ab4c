"""Remote MCP (docs/protocol.md §4) against a real MCP server on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from typing import TYPE_CHECKING, Any

import pytest
from emulator.stream_checks import check_stream
from emulator_tools.tool_support import TEST_KEY, ToolsApi, sdk_events
from openai import OpenAI

from azresp_cli.emulator.runner import RunningEmulator

if TYPE_CHECKING:  # the MCP SDK takes two seconds to import: only the tests that run load it
    from azresp_cli.emulator.demo_mcp import RunningDemoMcp

SECRET = "mcp-secret-value-7731"
UNREACHABLE = "http://127.0.0.1:1/mcp"  # nothing listens on port 1


def _tool(url: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "mcp",
        "server_label": "demo",
        "server_url": url,
        "headers": {"X-Demo-Key": SECRET},
        **extra,
    }


def _types(body: dict[str, Any]) -> list[str]:
    return [item["type"] for item in body["output"]]


def _text(body: dict[str, Any]) -> str:
    text: str = body["output"][-1]["content"][0]["text"]
    return text


def test_list_then_call_then_answer_in_one_stream(
    api: ToolsApi, mcp_server: RunningDemoMcp
) -> None:
    reply = api.post(
        "responses",
        {
            "model": "m",
            "input": '[[mcp:demo.add {"a":2,"b":3}]]',
            "tools": [_tool(mcp_server.url, require_approval="never")],
            "stream": True,
        },
    )
    events = check_stream(reply.text)
    types = [event["type"] for event in events]
    assert types[2:12] == [
        "response.output_item.added",
        "response.mcp_list_tools.in_progress",
        "response.mcp_list_tools.completed",
        "response.output_item.done",
        "response.output_item.added",
        "response.mcp_call.in_progress",
        "response.mcp_call_arguments.delta",
        "response.mcp_call_arguments.done",
        "response.mcp_call.completed",
        "response.output_item.done",
    ]
    listed, call, message = events[-1]["response"]["output"]
    assert listed["id"].startswith("mcpl_") and listed["server_label"] == "demo"
    assert [tool["name"] for tool in listed["tools"]] == ["add", "echo", "echo_headers", "fail"]
    assert listed["tools"][0]["input_schema"]["required"] == ["a", "b"]
    assert call["id"].startswith("mcp_")
    assert (call["name"], call["arguments"], call["output"], call["error"]) == (
        "add",
        '{"a":2,"b":3}',
        "5",
        None,
    )
    assert "it returned: `5`" in message["content"][0]["text"]
    assert events[-1]["response"]["status"] == "completed"


def test_headers_reach_the_server_and_are_masked_everywhere_else(
    api: ToolsApi, emulator: RunningEmulator, mcp_server: RunningDemoMcp
) -> None:
    body = api.create(
        input="[[mcp:demo.echo_headers]]",
        tools=[_tool(mcp_server.url, require_approval="never")],
    ).json
    assert mcp_server.received and all(
        headers.get("x-demo-key") == SECRET for headers in mcp_server.received
    )
    call = body["output"][1]
    assert json.loads(call["output"])["x-demo-key"] == SECRET  # what the server saw
    [recorded] = emulator.requests
    assert recorded.json["tools"][0]["headers"] == {"X-Demo-Key": "***"}
    assert SECRET not in json.dumps(body["tools"])  # the echoed tools leave headers out
    stored = api.get(f"responses/{body['id']}").json
    assert SECRET not in json.dumps(stored["tools"])
    root = emulator.base_url.removesuffix("openai/v1/")
    listing = urllib.request.Request(  # noqa: S310  # our loopback URL
        root + "_emulator/requests", headers={"api-key": "k"}
    )
    with urllib.request.urlopen(listing) as log:  # noqa: S310
        assert SECRET not in log.read().decode()


def test_approval_is_required_by_default_then_approved(
    client: OpenAI, mcp_server: RunningDemoMcp
) -> None:
    tools: Any = [_tool(mcp_server.url)]
    first = client.responses.create(model="m", input="please add these", tools=tools)
    assert [item.type for item in first.output] == ["mcp_list_tools", "mcp_approval_request"]
    request = first.output[-1]
    assert request.type == "mcp_approval_request"
    assert (request.name, json.loads(request.arguments)) == ("add", {"a": 1, "b": 1})
    assert first.status == "completed"
    assert not [h for h in mcp_server.received if h.get("mcp-method") == "tools/call"]
    approval: Any = {
        "type": "mcp_approval_response",
        "approve": True,
        "approval_request_id": request.id,
    }
    second = client.responses.create(
        model="m", previous_response_id=first.id, input=[approval], tools=tools
    )
    assert [item.type for item in second.output] == ["mcp_call", "message"]  # no new list
    call = second.output[0]
    assert call.type == "mcp_call"
    assert (call.approval_request_id, call.output) == (request.id, "2")
    assert "it returned: `2`" in second.output_text


def test_denied_approval_calls_nothing(api: ToolsApi, mcp_server: RunningDemoMcp) -> None:
    tools = [_tool(mcp_server.url, require_approval="always")]
    first = api.create(input="[[mcp:demo.echo]]", tools=tools).json
    request = first["output"][-1]
    mcp_server.demo.received.clear()
    answer = {
        "type": "mcp_approval_response",
        "approve": False,
        "approval_request_id": request["id"],
        "reason": "not now",
    }
    second = api.create(previous_response_id=first["id"], input=[answer], tools=tools).json
    assert _types(second) == ["message"]
    assert "You declined the call of `echo` on the MCP server `demo` (not now)" in _text(second)
    assert mcp_server.received == []


def test_stateless_approval_replays_the_list_and_the_request(
    api: ToolsApi, mcp_server: RunningDemoMcp
) -> None:
    tools = [_tool(mcp_server.url)]
    user = {"role": "user", "content": '[[mcp:demo.echo {"text":"hi"}]]'}
    first = api.create(input=[user], tools=tools, store=False).json
    request = first["output"][-1]
    answer = {
        "type": "mcp_approval_response",
        "approve": True,
        "approval_request_id": request["id"],
    }
    second = api.create(input=[user, *first["output"], answer], tools=tools, store=False).json
    assert _types(second) == ["mcp_call", "message"]
    assert second["output"][0]["output"] == "hi"
    mcp_server.demo.received.clear()
    history = [user, *first["output"], answer, *second["output"]]
    third = api.create(input=[*history, {"role": "user", "content": "thanks"}], tools=tools)
    assert _types(third.json) == ["message"]  # the replayed approval is not acted on again
    assert mcp_server.received == []


def test_never_filter_skips_approval_for_named_tools_only(
    api: ToolsApi, mcp_server: RunningDemoMcp
) -> None:
    tools = [_tool(mcp_server.url, require_approval={"never": {"tool_names": ["add"]}})]
    added = api.create(input="[[mcp:demo.add]]", tools=tools).json
    assert _types(added) == ["mcp_list_tools", "mcp_call", "message"]
    echoed = api.create(input="[[mcp:demo.echo]]", tools=tools).json
    assert _types(echoed) == ["mcp_list_tools", "mcp_approval_request"]


def test_list_is_reused_while_in_context(api: ToolsApi, mcp_server: RunningDemoMcp) -> None:
    tools = [_tool(mcp_server.url, require_approval="never")]
    first = api.create(input="hello", tools=tools).json
    assert _types(first) == ["mcp_list_tools", "message"]
    second = api.create(previous_response_id=first["id"], input="again", tools=tools).json
    assert _types(second) == ["message"]
    other = [*tools, {**tools[0], "server_label": "second"}]  # a new label is listed
    third = api.create(previous_response_id=second["id"], input="more", tools=other).json
    assert _types(third) == ["mcp_list_tools", "message"]
    assert third["output"][0]["server_label"] == "second"


def test_allowed_tools_limit_the_list(api: ToolsApi, mcp_server: RunningDemoMcp) -> None:
    by_name = api.create(input="hi", tools=[_tool(mcp_server.url, allowed_tools=["echo"])]).json
    assert [tool["name"] for tool in by_name["output"][0]["tools"]] == ["echo"]
    read_only = api.create(
        input="hi", tools=[_tool(mcp_server.url, allowed_tools={"read_only": True})]
    ).json
    assert [tool["name"] for tool in read_only["output"][0]["tools"]] == ["add"]
    assert read_only["output"][0]["tools"][0]["annotations"] == {"readOnlyHint": True}


def test_a_failing_tool_gives_a_failed_call(api: ToolsApi, mcp_server: RunningDemoMcp) -> None:
    reply = api.post(
        "responses",
        {
            "model": "m",
            "input": "[[mcp:demo.fail]]",
            "tools": [_tool(mcp_server.url, require_approval="never")],
            "stream": True,
        },
    )
    events = check_stream(reply.text)
    assert "response.mcp_call.failed" in [event["type"] for event in events]
    call = events[-1]["response"]["output"][1]
    assert call["output"] is None
    assert call["error"] == {
        "type": "mcp_tool_execution_error",
        "content": [{"type": "text", "text": "the demo tool failed on purpose"}],
    }
    assert "but it failed: the demo tool failed on purpose" in _text(events[-1]["response"])


def test_an_unreachable_server_fails_the_list_and_the_turn_still_answers(api: ToolsApi) -> None:
    reply = api.post(
        "responses",
        {
            "model": "m",
            "input": "[[mcp:demo.add]] hi",
            "tools": [_tool(UNREACHABLE)],
            "stream": True,
        },
    )
    events = check_stream(reply.text)
    types = [event["type"] for event in events]
    assert types[2:6] == [
        "response.output_item.added",
        "response.mcp_list_tools.in_progress",
        "response.mcp_list_tools.failed",
        "response.output_item.done",
    ]
    listed, message = events[-1]["response"]["output"]
    assert (
        listed["tools"] == []
        and "Error retrieving tool list from MCP server: 'demo'" in (listed["error"])
    )
    assert SECRET not in listed["error"]
    text = message["content"][0]["text"]
    assert text.startswith("I could not reach the MCP server `demo`")
    assert 'You said: "hi"' in text


def test_a_failed_list_is_tried_again_next_turn(api: ToolsApi) -> None:
    first = api.create(input="hi", tools=[_tool(UNREACHABLE)]).json
    second = api.create(previous_response_id=first["id"], input="hi", tools=[_tool(UNREACHABLE)])
    assert _types(second.json) == ["mcp_list_tools", "message"]


def test_naming_a_listed_tool_in_the_prompt_calls_it(
    api: ToolsApi, mcp_server: RunningDemoMcp
) -> None:
    body = api.create(
        input="use echo please", tools=[_tool(mcp_server.url, require_approval="never")]
    ).json
    call = body["output"][1]
    assert (call["name"], call["arguments"], call["output"]) == (
        "echo",
        '{"text":"example"}',
        "example",
    )


def test_tool_choice_none_lists_but_never_calls(api: ToolsApi, mcp_server: RunningDemoMcp) -> None:
    body = api.create(
        input="[[mcp:demo.add]]",
        tools=[_tool(mcp_server.url, require_approval="never")],
        tool_choice="none",
    ).json
    assert _types(body) == ["mcp_list_tools", "message"]


@pytest.mark.parametrize(
    ("body", "param"),
    [
        (
            {
                "input": [
                    {
                        "type": "mcp_approval_response",
                        "approve": True,
                        "approval_request_id": "mcpr_x",
                    }
                ]
            },
            "input",
        ),
        ({"input": "x", "tools": [{"type": "mcp", "server_label": "demo"}]}, "tools[0].server_url"),
        (
            {
                "input": "x",
                "tools": [{"type": "mcp", "server_label": "d", "server_url": "ftp://x"}],
            },
            "tools[0].server_url",
        ),
    ],
)
def test_bad_mcp_requests_are_refused(api: ToolsApi, body: dict[str, Any], param: str) -> None:
    reply = api.post("responses", {"model": "m", **body})
    assert reply.status == 400 and reply.error["param"] == param


def test_an_approval_needs_the_tools_again(api: ToolsApi, mcp_server: RunningDemoMcp) -> None:
    first = api.create(input="[[mcp:demo.add]]", tools=[_tool(mcp_server.url)]).json
    answer = {
        "type": "mcp_approval_response",
        "approve": True,
        "approval_request_id": first["output"][-1]["id"],
    }
    reply = api.post(
        "responses", {"model": "m", "previous_response_id": first["id"], "input": [answer]}
    )
    assert reply.status == 400 and reply.error["param"] == "tools"
    assert "Send the same tools again" in reply.error["message"]


def test_sdk_stream_with_mcp(client: OpenAI, mcp_server: RunningDemoMcp) -> None:
    tools: Any = [_tool(mcp_server.url, require_approval="never")]
    with client.responses.stream(
        model="m", input='[[mcp:demo.add {"a":1.5,"b":2}]]', tools=tools
    ) as stream:
        events = sdk_events(stream)
        final = stream.get_final_response()
    assert events[-1].type == "response.completed"
    call = final.output[1]
    assert call.type == "mcp_call" and call.output == "3.5"


def test_api_key_of_the_emulator_is_not_sent_to_the_mcp_server(
    api: ToolsApi, mcp_server: RunningDemoMcp
) -> None:
    api.create(input="hi", tools=[_tool(mcp_server.url)])
    assert mcp_server.received
    assert all(TEST_KEY not in json.dumps(headers) for headers in mcp_server.received)


def test_an_approval_request_streams_added_and_done_only(
    api: ToolsApi, mcp_server: RunningDemoMcp
) -> None:
    reply = api.post(
        "responses",
        {
            "model": "m",
            "input": "[[mcp:demo.add]]",
            "tools": [_tool(mcp_server.url)],
            "stream": True,
        },
    )
    events = check_stream(reply.text)
    request_events = [event for event in events if event.get("output_index") == 1]
    assert [event["type"] for event in request_events] == [
        "response.output_item.added",
        "response.output_item.done",
    ]
    request = request_events[-1]["item"]
    assert request["id"].startswith("mcpr_") and request["arguments"] == '{"a":1,"b":1}'
    assert events[-1]["response"]["status"] == "completed"
    assert events[-1]["response"]["output"][-1] == request  # the request ends the turn


def test_authorization_becomes_a_bearer_header_and_is_masked(
    api: ToolsApi, emulator: RunningEmulator, mcp_server: RunningDemoMcp
) -> None:
    tool = {**_tool(mcp_server.url), "authorization": "oauth-token-5521"}
    api.create(input="hi", tools=[tool])
    assert all(h.get("authorization") == "Bearer oauth-token-5521" for h in mcp_server.received)
    assert emulator.requests[-1].json["tools"][0]["authorization"] == "***"


def test_background_responses_run_mcp_too(api: ToolsApi, mcp_server: RunningDemoMcp) -> None:
    job = api.create(
        input='[[mcp:demo.echo {"text":"later"}]]',
        tools=[_tool(mcp_server.url, require_approval="never")],
        background=True,
    ).json
    for _ in range(200):
        body = api.get(f"responses/{job['id']}").json
        if body["status"] == "completed":
            break
        time.sleep(0.02)
    assert _types(body) == ["mcp_list_tools", "mcp_call", "message"]
    assert body["output"][1]["output"] == "later"


@pytest.mark.slow
def test_starting_the_emulator_does_not_import_mcp() -> None:
    script = (
        "import sys, azresp_cli.emulator.runner, azresp_cli.emulator.app\n"
        "print(sorted(name for name in ('mcp', 'httpx2') if name in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"  # `mcp` costs about a second: only MCP tools load it


def test_a_server_refusing_the_key_fails_the_list_with_its_status(api: ToolsApi) -> None:
    from azresp_cli.emulator import demo_mcp

    with demo_mcp.start_in_thread(required_header=("X-Demo-Key", "right")) as guarded:
        refused = api.create(input="hi", tools=[_tool(guarded.url)]).json
        assert refused["output"][0]["error"] == (
            "Error retrieving tool list from MCP server: 'demo'. Http status code: 401"
            " (Unauthorized)."
        )
        right = _tool(guarded.url, headers={"X-Demo-Key": "right"}, require_approval="never")
        listed = api.create(input="[[mcp:demo.add]]", tools=[right]).json
    assert _types(listed) == ["mcp_list_tools", "mcp_call", "message"]
