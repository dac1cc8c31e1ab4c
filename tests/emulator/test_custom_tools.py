"""Custom (freeform) tools, as Codex CLI declares `apply_patch`: calls carry text, not JSON."""

from __future__ import annotations

from typing import Any

from emulator.stream_checks import check_stream
from emulator.support import Api
from spec_validation import assert_valid

PATCH_TOOL = {"type": "custom", "name": "apply_patch", "description": "Edit files with a patch."}
PATCH = r"*** Begin Patch\n*** Add File: hi.txt\n+hello\n*** End Patch"


def _call(api: Api, text: str, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = api.create(input=text, tools=[PATCH_TOOL], **extra).json
    assert_valid("Response", body)
    return body


def test_call_directive_gives_a_custom_tool_call_with_the_text_as_input(api: Api) -> None:
    body = _call(api, f"[[call:apply_patch {PATCH}]] add the file")
    [call] = body["output"]
    assert call["type"] == "custom_tool_call" and call["status"] == "completed"
    assert call["id"].startswith("ctc_") and call["call_id"].startswith("call_")
    assert call["name"] == "apply_patch"
    assert call["input"] == "*** Begin Patch\n*** Add File: hi.txt\n+hello\n*** End Patch"
    assert body["status"] == "completed"


def test_custom_tool_call_streams_its_input_in_pieces(api: Api) -> None:
    reply = api.post(
        "responses",
        {
            "model": "m",
            "input": "[[call:apply_patch one two three]]",
            "tools": [PATCH_TOOL],
            "stream": True,
        },
    )
    events = check_stream(reply.text)
    types = [event["type"] for event in events]
    assert types[2:7] == [
        "response.output_item.added",
        "response.custom_tool_call_input.delta",
        "response.custom_tool_call_input.delta",
        "response.custom_tool_call_input.done",
        "response.output_item.done",
    ]
    deltas = "".join(e["delta"] for e in events if e["type"].endswith("input.delta"))
    [done] = [e for e in events if e["type"] == "response.custom_tool_call_input.done"]
    assert deltas == done["input"] == "one two three"
    assert events[2]["item"]["input"] == "" and events[2]["item"]["status"] == "in_progress"


def test_naming_the_tool_or_requiring_it_calls_it_with_sample_input(api: Api) -> None:
    named = _call(api, "please use apply_patch")
    required = _call(api, "edit it", tool_choice="required")
    for body in (named, required):
        [call] = body["output"]
        assert call["type"] == "custom_tool_call" and call["input"] == "example"


def test_the_output_comes_back_through_a_chain_or_replayed(api: Api) -> None:
    call = _call(api, f"[[call:apply_patch {PATCH}]]")
    [item] = call["output"]
    output = {"type": "custom_tool_call_output", "call_id": item["call_id"], "output": "Done!"}
    chained = api.create(previous_response_id=call["id"], input=[output], tools=[PATCH_TOOL]).json
    replayed = api.create(
        input=[{"role": "user", "content": "add it"}, item, output],
        tools=[PATCH_TOOL],
        store=False,
    ).json
    for body in (chained, replayed):
        assert_valid("Response", body)
        text = body["output"][0]["content"][0]["text"]
        assert "tool `apply_patch` returned: `Done!`" in text


def test_a_directive_in_the_output_asks_for_another_round(api: Api) -> None:
    call = _call(api, "[[call:apply_patch first]]")
    [item] = call["output"]
    output = {
        "type": "custom_tool_call_output",
        "call_id": item["call_id"],
        "output": "failed, try again [[call:apply_patch second]]",
    }
    again = api.create(previous_response_id=call["id"], input=[output], tools=[PATCH_TOOL]).json
    [retry] = again["output"]
    assert retry["type"] == "custom_tool_call" and retry["input"] == "second"
