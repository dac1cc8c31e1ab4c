"""The code interpreter (docs/protocol.md §5): events, outputs, containers and cited files."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from emulator.stream_checks import check_stream
from emulator_tools.tool_support import ToolsApi, check_png, multipart, sdk_events
from openai import OpenAI

SALES = b"region,units,price\nnorth,3,2.5\nsouth,4,1.25\neast,,0.25\n"


def _tool(file_ids: list[str] | None = None) -> dict[str, Any]:
    return {"type": "code_interpreter", "container": {"type": "auto", "file_ids": file_ids or []}}


def test_csv_analysis_streams_the_call_then_a_message_citing_the_summary(
    api: ToolsApi,
) -> None:
    uploaded = api.upload("sales.csv", SALES)
    reply = api.post(
        "responses",
        {
            "model": "m",
            "input": "sum the columns of the csv",
            "tools": [_tool([uploaded["id"]])],
            "include": ["code_interpreter_call.outputs"],
            "stream": True,
        },
        query={"api-version": "preview"},  # the Azure REST sample sends it
    )
    events = check_stream(reply.text)
    call_events = [event["type"] for event in events if event.get("output_index") == 0]
    deltas = call_events.count("response.code_interpreter_call_code.delta")
    assert deltas >= 2
    assert call_events == [
        "response.output_item.added",
        "response.code_interpreter_call.in_progress",
        *["response.code_interpreter_call_code.delta"] * deltas,
        "response.code_interpreter_call_code.done",
        "response.code_interpreter_call.interpreting",
        "response.code_interpreter_call.completed",
        "response.output_item.done",
    ]
    added = events[2]["item"]
    assert (added["status"], added["code"], added["outputs"]) == ("in_progress", "", None)
    code_deltas = [e["delta"] for e in events if e["type"].endswith("call_code.delta")]
    [code_done] = [e for e in events if e["type"] == "response.code_interpreter_call_code.done"]
    assert "".join(code_deltas) == code_done["code"]
    call, message = events[-1]["response"]["output"]
    assert call["id"].startswith("ci_") and call["container_id"].startswith("cntr_")
    assert call["status"] == "completed" and call["code"] == code_done["code"]
    assert "csv.DictReader" in call["code"] and "'sales.csv'" in call["code"]
    assert call["outputs"] == [
        {
            "type": "logs",
            "logs": "sales.csv: 3 rows, 3 columns (region, units, price)\n"
            "  units: sum 7, mean 3.5\n  price: sum 4, mean 1.333333\n"
            "wrote /mnt/data/summary.csv\n",
        }
    ]
    text = message["content"][0]["text"]
    assert "`units` sums to 7 (mean 3.5)" in text
    [annotation] = message["content"][0]["annotations"]
    assert annotation["type"] == "container_file_citation"
    assert annotation["container_id"] == call["container_id"]
    assert annotation["filename"] == "summary.csv"
    cited = text[annotation["start_index"] : annotation["end_index"]]
    assert cited == "[summary.csv](sandbox:/mnt/data/summary.csv)"
    [added_note] = [e for e in events if e["type"] == "response.output_text.annotation.added"]
    assert (added_note["annotation_index"], added_note["annotation"]) == (0, annotation)
    types = [event["type"] for event in events]
    note_at = types.index("response.output_text.annotation.added")
    assert types.index("response.output_text.delta") < note_at
    assert note_at < types.index("response.content_part.done")
    assert reply.status == 200


def test_outputs_are_null_without_include(api: ToolsApi) -> None:
    uploaded = api.upload("sales.csv", SALES)
    body = api.create(input="[[code]]", tools=[_tool([uploaded["id"]])]).json
    assert body["output"][0]["outputs"] is None


def test_sdk_uploads_a_csv_and_downloads_the_summary(client: OpenAI) -> None:
    uploaded = client.files.create(file=("sales.csv", SALES), purpose="assistants")
    assert uploaded.id.startswith("assistant-") and uploaded.bytes == len(SALES)
    response = client.responses.create(
        model="m",
        input="compute totals for this csv",
        tools=[_tool([uploaded.id])],  # type: ignore[list-item]
        extra_query={"api-version": "preview"},
    )
    call = response.output[0]
    assert call.type == "code_interpreter_call"
    annotation = response.output[1].content[0].annotations[0]  # type: ignore[union-attr]
    assert annotation.type == "container_file_citation"
    content = client.containers.files.content.retrieve(
        annotation.file_id, container_id=annotation.container_id
    ).read()
    rows = list(csv.reader(io.StringIO(content.decode())))
    assert rows == [
        ["file", "rows", "column", "count", "sum", "mean", "min", "max"],
        ["sales.csv", "3", "units", "2", "7", "3.5", "3", "4"],
        ["sales.csv", "3", "price", "3", "4", "1.333333", "0.25", "2.5"],
    ]
    listed = client.containers.files.list(call.container_id)
    paths = sorted((entry.path, entry.source) for entry in listed)
    assert paths == [("/mnt/data/sales.csv", "user"), ("/mnt/data/summary.csv", "assistant")]
    copy = next(entry for entry in listed if entry.path.endswith("sales.csv"))
    assert (
        client.containers.files.content.retrieve(copy.id, container_id=call.container_id).read()
        == SALES
    )
    container = client.containers.retrieve(call.container_id)
    assert container.id == call.container_id and container.status == "running"


def test_a_plot_request_writes_a_png_too(api: ToolsApi) -> None:
    uploaded = api.upload("sales.csv", SALES)
    body = api.create(input="plot the csv", tools=[_tool([uploaded["id"]])]).json
    annotations = body["output"][1]["content"][0]["annotations"]
    assert [note["filename"] for note in annotations] == ["summary.csv", "plot.png"]
    status, data = api.download(
        f"containers/{annotations[1]['container_id']}/files/{annotations[1]['file_id']}/content"
    )
    assert status == 200 and check_png(data) == (400, 240)


def test_message_attachments_are_copied_into_the_container(api: ToolsApi) -> None:
    data_url = "data:text/csv;base64,YSxiCjEsMgozLDQK"  # "a,b\n1,2\n3,4\n"
    body = api.create(
        input=[
            {
                "role": "user",
                "content": [
                    {"type": "input_text", "text": "analyze this csv"},
                    {"type": "input_file", "filename": "small.csv", "file_data": data_url},
                ],
            }
        ],
        tools=[_tool()],
    ).json
    assert (
        "`small.csv` has 2 rows and 2 columns; `a` sums to 4"
        in body["output"][1]["content"][0]["text"]
    )


def test_the_container_is_reused_and_can_be_named(api: ToolsApi) -> None:
    uploaded = api.upload("sales.csv", SALES)
    first = api.create(input="[[code]]", tools=[_tool([uploaded["id"]])]).json
    container_id = first["output"][0]["container_id"]
    second = api.create(previous_response_id=first["id"], input="[[code]] again", tools=[_tool()])
    assert second.json["output"][0]["container_id"] == container_id
    named = api.create(
        input="[[code]]", tools=[{"type": "code_interpreter", "container": container_id}]
    ).json
    assert named["output"][0]["container_id"] == container_id
    listed = api.get(f"containers/{container_id}/files").json
    assert sorted(entry["path"] for entry in listed["data"]) == [
        "/mnt/data/sales.csv",
        "/mnt/data/summary.csv",  # rewritten in place, not piled up
    ]


def test_without_a_csv_the_code_lists_the_files(api: ToolsApi) -> None:
    uploaded = api.upload("notes.txt", b"hello\n")
    body = api.create(
        input="[[code]]", tools=[_tool([uploaded["id"]])], include=["code_interpreter_call.outputs"]
    ).json
    call = body["output"][0]
    assert call["outputs"][0]["logs"] == "notes.txt: 6 bytes\nwrote /mnt/data/files.csv\n"
    assert body["output"][1]["content"][0]["annotations"][0]["filename"] == "files.csv"


def test_no_files_and_no_directive_means_no_code(api: ToolsApi) -> None:
    body = api.create(input="compute something", tools=[_tool()]).json
    assert [item["type"] for item in body["output"]] == ["message"]


def test_containers_api(api: ToolsApi) -> None:
    uploaded = api.upload("sales.csv", SALES)
    created = api.post("containers", {"name": "mine", "file_ids": [uploaded["id"]]}).json
    container_id = created["id"]
    assert created["expires_after"] == {"anchor": "last_active_at", "minutes": 20}
    assert container_id in [entry["id"] for entry in api.get("containers").json["data"]]
    [copy] = api.get(f"containers/{container_id}/files").json["data"]
    assert api.get(f"containers/{container_id}/files/{copy['id']}").json == copy
    added = api.post(f"containers/{container_id}/files", {"file_id": uploaded["id"]}).json
    assert added["path"] == "/mnt/data/sales.csv"
    assert api.delete(f"containers/{container_id}/files/{added['id']}").json["deleted"] is True
    body, content_type = multipart({}, {"file": ("extra.csv", b"x\n1\n")})
    sent = api.post(
        f"containers/{container_id}/files", raw_body=body, headers={"content-type": content_type}
    ).json
    assert (sent["path"], sent["bytes"], sent["source"]) == ("/mnt/data/extra.csv", 4, "user")
    assert api.download(f"containers/{container_id}/files/{sent['id']}/content") == (200, b"x\n1\n")
    assert api.delete(f"containers/{container_id}").json["deleted"] is True
    missing = api.get(f"containers/{container_id}")
    assert missing.status == 404


@pytest.mark.parametrize(
    ("container", "param"),
    [
        (None, "tools[0].container"),
        ("cntr_missing", "tools[0].container"),
        ({"type": "auto", "file_ids": ["assistant-missing"]}, "tools[0].container.file_ids[0]"),
        ({"type": "auto", "memory_limit": "2g"}, "tools[0].container.memory_limit"),
    ],
)
def test_bad_containers_are_refused(api: ToolsApi, container: Any, param: str) -> None:
    tool = {"type": "code_interpreter", **({} if container is None else {"container": container})}
    reply = api.post("responses", {"model": "m", "input": "[[code]]", "tools": [tool]})
    assert reply.status == 400 and reply.error["param"] == param


def test_sdk_stream_events_of_a_code_call(client: OpenAI) -> None:
    uploaded = client.files.create(file=("sales.csv", SALES), purpose="assistants")
    stream = client.responses.create(
        model="m",
        input="[[code]]",
        tools=[_tool([uploaded.id])],  # type: ignore[list-item]
        stream=True,
    )
    events = sdk_events(stream)
    assert "response.code_interpreter_call.interpreting" in [event.type for event in events]
    assert "response.output_text.annotation.added" in [event.type for event in events]
