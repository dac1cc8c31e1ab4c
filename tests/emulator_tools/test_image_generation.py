"""The image generation tool as Azure runs it (docs/protocol.md §6)."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from emulator.stream_checks import check_stream
from emulator_tools.tool_support import ToolsApi, check_png, sdk_events
from openai import OpenAI

from azresp_cli.emulator.config import EmulatorConfig
from azresp_cli.emulator.runner import RunningEmulator

HEADER = {"x-ms-oai-image-generation-deployment": "gpt-image-1"}
TOOL = {"type": "image_generation"}


def _image(body: dict[str, Any]) -> dict[str, Any]:
    [call] = [item for item in body["output"] if item["type"] == "image_generation_call"]
    return call


def test_the_stream_has_no_partial_images_and_the_result_is_a_valid_png(api: ToolsApi) -> None:
    reply = api.post(
        "responses",
        {
            "model": "m",
            "input": "draw a lighthouse at dusk",
            "tools": [{**TOOL, "partial_images": 2, "size": "1536x1024"}],
            "stream": True,
        },
        headers=HEADER,
    )
    events = check_stream(reply.text)
    image_events = [event["type"] for event in events if event.get("output_index") == 0]
    assert image_events == [
        "response.output_item.added",
        "response.image_generation_call.in_progress",
        "response.image_generation_call.generating",
        "response.image_generation_call.completed",
        "response.output_item.done",
    ]
    assert events[2]["item"]["result"] is None and events[2]["item"]["status"] == "in_progress"
    call = _image(events[-1]["response"])
    assert call["id"].startswith("ig_") and call["status"] == "completed"
    assert not call["result"].startswith("data:")
    assert check_png(base64.b64decode(call["result"])) == (1536, 1024)
    assert (call["size"], call["output_format"]) == ("1536x1024", "png")
    assert "a lighthouse at dusk" in call["revised_prompt"]
    message = events[-1]["response"]["output"][-1]
    assert (
        'I generated a 1536×1024 PNG image for "draw a lighthouse at dusk".'
        in (message["content"][0]["text"])
    )


def test_the_same_prompt_gives_the_same_picture(api: ToolsApi) -> None:
    first = _image(api.create(input="[[image:a red fox]]", tools=[TOOL], headers=HEADER).json)
    again = _image(api.create(input="[[image:a red fox]]", tools=[TOOL], headers=HEADER).json)
    other = _image(api.create(input="[[image:a blue fox]]", tools=[TOOL], headers=HEADER).json)
    assert first["result"] == again["result"] != other["result"]
    assert check_png(base64.b64decode(first["result"])) == (1024, 1024)


def test_the_deployment_header_is_required(api: ToolsApi) -> None:
    reply = api.post("responses", {"model": "m", "input": "draw a cat", "tools": [TOOL]})
    assert reply.status == 400 and reply.error["param"] == "tools[0]"
    assert "x-ms-oai-image-generation-deployment" in reply.error["message"]


def test_an_unknown_image_deployment_is_not_found(emulator_factory: Any) -> None:
    running: RunningEmulator = emulator_factory(EmulatorConfig(deployments=frozenset({"m"})))
    api = ToolsApi(running.base_url)
    reply = api.post(
        "responses",
        {"model": "m", "input": "draw", "tools": [TOOL]},
        headers={"x-ms-oai-image-generation-deployment": "nope"},
    )
    assert reply.status == 404


def test_no_image_unless_asked(api: ToolsApi) -> None:
    body = api.create(input="tell me a joke", tools=[TOOL], headers=HEADER).json
    assert [item["type"] for item in body["output"]] == ["message"]


@pytest.mark.parametrize(
    ("setting", "param"),
    [({"size": "999x1"}, "tools[0].size"), ({"quality": "ultra"}, "tools[0].quality")],
)
def test_bad_settings_are_refused(api: ToolsApi, setting: dict[str, Any], param: str) -> None:
    reply = api.post(
        "responses",
        {"model": "m", "input": "draw", "tools": [{**TOOL, **setting}]},
        headers=HEADER,
    )
    assert reply.status == 400 and reply.error["param"] == param


def test_sdk_reads_the_image(client: OpenAI) -> None:
    stream = client.responses.create(
        model="m",
        input="[[image]] a tiny robot",
        tools=[{"type": "image_generation", "quality": "low"}],
        stream=True,
        extra_headers=HEADER,
    )
    events = sdk_events(stream)
    assert not [event for event in events if event.type.endswith("partial_image")]
    final = events[-1].response
    call = final.output[0]
    assert call.type == "image_generation_call" and call.result is not None
    assert check_png(base64.b64decode(call.result)) == (1024, 1024)
