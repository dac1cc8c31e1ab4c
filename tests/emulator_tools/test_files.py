"""The Files API and file/image inputs (docs/protocol.md §11), as Azure takes them."""

from __future__ import annotations

import base64
from typing import Any

import openai
import pytest
from emulator_tools.tool_support import ToolsApi, make_pdf, multipart
from openai import OpenAI

from azresp_cli.emulator import png

PNG_64 = png.encode_rgb(64, 48, [bytes((10, 20, 30)) * 64] * 48)


def _data_url(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode()}"


def _ask(parts: list[dict[str, Any]], text: str = "what did I send?") -> list[dict[str, Any]]:
    return [{"role": "user", "content": [{"type": "input_text", "text": text}, *parts]}]


def _answer(body: dict[str, Any]) -> str:
    text: str = body["output"][-1]["content"][0]["text"]
    return text


def test_upload_list_retrieve_download_delete_with_the_sdk(client: OpenAI) -> None:
    created = client.files.create(file=("notes.txt", b"first line\nsecond\n"), purpose="user_data")
    assert created.id.startswith("assistant-")
    assert (created.object, created.filename, created.purpose, created.status) == (
        "file",
        "notes.txt",
        "user_data",
        "processed",
    )
    assert created.bytes == 18
    assert [entry.id for entry in client.files.list()] == [created.id]
    assert client.files.list(purpose="assistants").data == []
    assert client.files.retrieve(created.id).filename == "notes.txt"
    assert client.files.content(created.id).read() == b"first line\nsecond\n"
    deleted = client.files.delete(created.id)
    assert (deleted.id, deleted.deleted) == (created.id, True)
    with pytest.raises(openai.NotFoundError):
        client.files.retrieve(created.id)


def test_files_list_order_and_paging(api: ToolsApi) -> None:
    ids = [api.upload(f"f{n}.txt", b"x")["id"] for n in range(3)]
    page = api.get("files", query={"order": "asc", "limit": "2"}).json
    assert [entry["id"] for entry in page["data"]] == ids[:2] and page["has_more"] is True
    newest = api.get("files").json
    assert [entry["id"] for entry in newest["data"]] == ids[::-1]


def test_expires_after_sets_expires_at(api: ToolsApi) -> None:
    body, content_type = multipart(
        {
            "purpose": "assistants",
            "expires_after[anchor]": "created_at",
            "expires_after[seconds]": "3600",
        },
        {"file": ("a.txt", b"a")},
    )
    created = api.post("files", raw_body=body, headers={"content-type": content_type}).json
    assert created["expires_at"] == created["created_at"] + 3600


@pytest.mark.parametrize(
    ("fields", "files", "param"),
    [
        ({"purpose": "assistants"}, {}, "file"),
        ({}, {"file": ("a.txt", b"a")}, "purpose"),
        ({"purpose": "memes"}, {"file": ("a.txt", b"a")}, "purpose"),
    ],
)
def test_bad_uploads_are_refused(
    api: ToolsApi, fields: dict[str, str], files: dict[str, tuple[str, bytes]], param: str
) -> None:
    body, content_type = multipart(fields, files)
    reply = api.post("files", raw_body=body, headers={"content-type": content_type})
    assert reply.status == 400 and reply.error["param"] == param


def test_attachments_are_acknowledged_one_by_one(api: ToolsApi) -> None:
    pdf = api.upload("report.pdf", make_pdf(["Quarterly report", "Page two"]))
    notes = api.upload("notes.md", b"\n# Notes\nbuy milk\n", purpose="user_data")
    body = api.create(
        input=_ask(
            [
                {"type": "input_file", "file_id": pdf["id"]},
                {"type": "input_image", "image_url": _data_url("image/png", PNG_64)},
                {"type": "input_file", "file_id": notes["id"]},
                {"type": "input_image", "image_url": "https://example.com/cat.png"},
            ]
        )
    ).json
    assert (
        "I received 4 attachments: report.pdf (application/pdf, 2 pages, text: "
        '"Quarterly report Page two"), image 1 (image/png, 64×48), notes.md (text/markdown,'
        ' first line: "# Notes") and image 2 (https://example.com/cat.png, not downloaded).'
    ) in _answer(body)
    assert f"attachments: 2 images, {pdf['id']}, {notes['id']}" in _answer(body)  # the context


def test_file_data_with_a_filename(api: ToolsApi) -> None:
    pdf = _data_url("application/pdf", make_pdf(["Hello PDF"]))
    body = api.create(
        input=_ask([{"type": "input_file", "filename": "hello.pdf", "file_data": pdf}])
    ).json
    assert 'I received 1 attachment: hello.pdf (application/pdf, 1 page, text: "Hello PDF").' in (
        _answer(body)
    )


def test_sdk_sends_an_uploaded_pdf(client: OpenAI) -> None:
    uploaded = client.files.create(file=("a.pdf", make_pdf(["Alpha"])), purpose="assistants")
    response = client.responses.create(
        model="m",
        input=_ask([{"type": "input_file", "file_id": uploaded.id}]),  # type: ignore[arg-type]
    )
    assert 'a.pdf (application/pdf, 1 page, text: "Alpha")' in response.output_text


def test_only_the_latest_message_is_acknowledged(api: ToolsApi) -> None:
    first = api.create(
        input=_ask([{"type": "input_image", "image_url": _data_url("image/png", PNG_64)}])
    ).json
    second = api.create(previous_response_id=first["id"], input="and now?").json
    assert "I received" in _answer(first) and "I received" not in _answer(second)


def test_a_pdf_uploaded_as_user_data_is_refused(api: ToolsApi) -> None:
    pdf = api.upload("report.pdf", make_pdf(["x"]), purpose="user_data")
    reply = api.post(
        "responses", {"model": "m", "input": _ask([{"type": "input_file", "file_id": pdf["id"]}])}
    )
    assert reply.status == 400
    assert reply.error["param"] == "input[0].content[1].file_id"
    assert "purpose 'assistants'" in reply.error["message"]


@pytest.mark.parametrize(
    ("part", "param"),
    [
        ({"type": "input_file", "file_id": "assistant-missing"}, "input[0].content[1].file_id"),
        ({"type": "input_image", "file_id": "assistant-x"}, "input[0].content[1].file_id"),
        (
            {"type": "input_image", "image_url": "data:image/png;base64,@@@"},
            "input[0].content[1].image_url",
        ),
        (
            {"type": "input_image", "image_url": "data:text/plain;base64,aGk="},
            "input[0].content[1].image_url",
        ),
        ({"type": "input_image", "image_url": "not a url"}, "input[0].content[1].image_url"),
        (
            {"type": "input_image", "image_url": "https://x/a.png", "detail": "max"},
            "input[0].content[1].detail",
        ),
        (
            {"type": "input_file", "filename": "a.pdf", "file_data": "JVBERi0="},
            "input[0].content[1].file_data",
        ),
        (
            {"type": "input_file", "file_url": "ftp://example.com/a.pdf"},
            "input[0].content[1].file_url",
        ),
    ],
)
def test_bad_attachments_are_refused(api: ToolsApi, part: dict[str, Any], param: str) -> None:
    reply = api.post("responses", {"model": "m", "input": _ask([part])})
    assert reply.status == 400 and reply.error["param"] == param, reply.text


def test_an_image_without_detail_is_stored_with_auto(api: ToolsApi) -> None:
    created = api.create(
        input=_ask([{"type": "input_image", "image_url": _data_url("image/png", PNG_64)}])
    ).json
    items = api.get(f"responses/{created['id']}/input_items").json
    assert items["data"][0]["content"][1]["detail"] == "auto"
