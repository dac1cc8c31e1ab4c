"""Every input form of the spec, the stored input items, and the 400s for bad input."""

from __future__ import annotations

from typing import Any

import pytest
from emulator.support import Api
from spec_validation import assert_valid

PNG = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAE"
    "hQGAhKmMIQAAAABJRU5ErkJggg=="
)
PDF = "data:application/pdf;base64,JVBERi0="


def _items(api: Api, response_id: str, **query: str) -> dict[str, Any]:
    reply = api.get(f"responses/{response_id}/input_items", query=query or None)
    assert reply.status == 200, reply.text
    assert_valid("ResponseItemList", reply.json)
    body: dict[str, Any] = reply.json
    return body


def test_a_plain_string_is_stored_as_a_user_message_with_an_id(api: Api) -> None:
    created = api.create(input="just text").json
    listed = _items(api, created["id"])
    [item] = listed["data"]
    assert item["id"].startswith("msg_")
    assert item == {
        "id": item["id"],
        "type": "message",
        "role": "user",
        "status": "completed",
        "content": [{"type": "input_text", "text": "just text"}],
    }
    assert (listed["first_id"], listed["last_id"], listed["has_more"]) == (
        item["id"],
        item["id"],
        False,
    )


@pytest.mark.parametrize(
    "item",
    [
        {"role": "user", "content": "easy, no type"},
        {"type": "message", "role": "user", "content": "typed, string content"},
        {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "parts"}]},
        {"role": "developer", "content": "a developer note"},
        {"role": "system", "content": [{"type": "input_text", "text": "system"}]},
        {"role": "user", "content": [{"type": "input_image", "image_url": PNG}]},
        {
            "role": "user",
            "content": [
                {"type": "input_image", "image_url": "https://example.com/a.png", "detail": "high"}
            ],
        },
        # Azure refuses uploaded images as input_image (tests/emulator_tools/test_files.py).
        {"role": "user", "content": [{"type": "input_file", "file_id": "UPLOADED"}]},
        {
            "role": "user",
            "content": [{"type": "input_file", "filename": "a.pdf", "file_data": PDF}],
        },
        {
            "role": "user",
            "content": [{"type": "input_file", "file_url": "https://example.com/a.pdf"}],
        },
        {"role": "assistant", "content": "an earlier answer as a string"},
        {
            "type": "message",
            "role": "assistant",
            "id": "msg_client_made",
            "status": "completed",
            "content": [{"type": "output_text", "text": "replayed", "annotations": []}],
        },
        {"type": "reasoning", "id": "rs_client", "summary": [], "encrypted_content": None},
        {"type": "mcp_list_tools", "id": "mcpl_1", "server_label": "docs", "tools": []},
        {
            "type": "mcp_approval_request",
            "id": "mcpr_1",
            "server_label": "docs",
            "name": "search",
            "arguments": "{}",
        },
        {"type": "mcp_approval_response", "approval_request_id": "mcpr_1", "approve": True},
    ],
)
def test_each_input_item_form_is_accepted_and_listed(api: Api, item: dict[str, Any]) -> None:
    extra: dict[str, Any] = {}
    if item.get("type") == "reasoning":  # a stored-style reasoning item must exist: make one
        stored = api.create(input="think", reasoning={"effort": "low"}).json["output"][0]
        item = {"type": "reasoning", "id": stored["id"], "summary": []}
    if item.get("content") == [{"type": "input_file", "file_id": "UPLOADED"}]:  # must exist
        upload = api.request(
            "POST",
            "files",
            raw_body=b'--b\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nassistants'
            b'\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n'
            b"hello\r\n--b--\r\n",
            headers={"content-type": "multipart/form-data; boundary=b"},
        )
        item = {"role": "user", "content": [{"type": "input_file", "file_id": upload.json["id"]}]}
    if item.get("type") == "mcp_approval_response":  # it answers a request in the context
        request = {"type": "mcp_approval_request", "id": "mcpr_1", "server_label": "docs"}
        first = api.create(input=[{**request, "name": "search", "arguments": "{}"}]).json
        unreachable = {"type": "mcp", "server_label": "docs", "server_url": "http://127.0.0.1:1/"}
        extra = {"previous_response_id": first["id"], "tools": [unreachable]}
    tail = [] if item.get("role") == "user" else [{"role": "user", "content": "and now?"}]
    created = api.create(input=[item, *tail], **extra).json
    assert_valid("Response", created)
    listed = _items(api, created["id"], order="asc")["data"]
    assert len(listed) == 1 + len(tail) and all(entry["id"] for entry in listed)
    if item.get("id"):
        assert listed[0]["id"] == item["id"]  # the client's own id is kept


def test_images_default_detail_and_attachments_reach_the_model(api: Api) -> None:
    created = api.create(
        input=[
            {
                "role": "user",
                "content": [
                    {"type": "input_text", "text": "look"},
                    {"type": "input_image", "image_url": PNG},
                    {
                        "type": "input_file",
                        "filename": "report.pdf",
                        "file_data": PDF,
                    },
                ],
            }
        ]
    ).json
    assert "attachments: 1 image, report.pdf" in created["output"][0]["content"][0]["text"]
    stored = _items(api, created["id"])["data"][0]["content"]
    assert stored[1]["detail"] == "auto"  # the spec requires it; clients leave it out


def test_replayed_output_is_understood_as_history(api: Api) -> None:
    first = api.create(input="remember blue", store=False).json
    second = api.create(
        input=[
            {"role": "user", "content": "remember blue"},
            *first["output"],
            {"role": "user", "content": "colour?"},
        ],
        store=False,
    ).json
    assert 'Earlier you said: "remember blue".' in second["output"][0]["content"][0]["text"]


def test_item_reference_resolves_stored_items(api: Api) -> None:
    first = api.create(input="referenced words").json
    message_id = _items(api, first["id"])["data"][0]["id"]
    for reference in ({"type": "item_reference", "id": message_id}, {"id": message_id}):
        second = api.create(input=[reference, {"role": "user", "content": "what did I say?"}]).json
        assert 'Earlier you said: "referenced words".' in second["output"][0]["content"][0]["text"]
    missing = api.post(
        "responses", {"model": "m", "input": [{"type": "item_reference", "id": "msg_nope"}]}
    )
    assert missing.status == 400 and missing.error["param"] == "input"
    assert missing.error["message"] == "Item with id 'msg_nope' not found."


def test_input_items_paginate_newest_first_by_default(api: Api) -> None:
    created = api.create(
        input=[{"role": "user", "content": f"message {n}"} for n in range(25)]
    ).json
    page = _items(api, created["id"])
    assert len(page["data"]) == 20 and page["has_more"] is True
    assert page["data"][0]["content"][0]["text"] == "message 24"
    rest = _items(api, created["id"], after=page["last_id"])
    assert [item["content"][0]["text"] for item in rest["data"]] == [
        f"message {n}" for n in range(4, -1, -1)
    ]
    assert rest["has_more"] is False and rest["first_id"] == rest["data"][0]["id"]
    ascending = _items(api, created["id"], order="asc", limit="3")
    assert [item["content"][0]["text"] for item in ascending["data"]] == [
        "message 0",
        "message 1",
        "message 2",
    ]


def test_empty_input_items_page_has_null_ids(api: Api) -> None:
    created = api.create(input="only one").json
    only = _items(api, created["id"])["last_id"]
    reply = api.get(f"responses/{created['id']}/input_items", query={"after": only})
    # docs/protocol.md §10: the spec types first_id/last_id as strings; the emulator sends
    # null here.
    assert reply.json == {
        "object": "list",
        "data": [],
        "first_id": None,
        "last_id": None,
        "has_more": False,
    }


def test_input_items_query_is_checked(api: Api) -> None:
    created = api.create(input="x").json
    bad_queries = [
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"order": "up"}, "order"),
        ({"after": "msg_nope"}, "after"),
    ]
    for query, param in bad_queries:
        reply = api.get(f"responses/{created['id']}/input_items", query=query)
        assert reply.status == 400 and reply.error["param"] == param, query


@pytest.mark.parametrize(
    ("input_value", "param", "code"),
    [
        (42, "input", "invalid_type"),
        ([42], "input[0]", "invalid_type"),
        ([{"role": "robot", "content": "x"}], "input[0].role", "invalid_value"),
        ([{"role": "user"}], "input[0].content", "invalid_type"),
        (
            [{"role": "user", "content": [{"type": "input_video"}]}],
            "input[0].content[0].type",
            "invalid_value",
        ),
        (
            [{"role": "assistant", "content": [{"type": "input_text", "text": "x"}]}],
            "input[0].content[0].type",
            "invalid_value",
        ),
        (
            [{"role": "user", "content": [{"type": "output_text", "text": "x"}]}],
            "input[0].content[0].type",
            "invalid_value",
        ),
        (
            [{"role": "user", "content": [{"type": "input_text"}]}],
            "input[0].content[0].text",
            "missing_required_parameter",
        ),
        (
            [{"role": "user", "content": [{"type": "input_image"}]}],
            "input[0].content[0].image_url",
            "missing_required_parameter",
        ),
        (
            [{"role": "user", "content": [{"type": "input_file"}]}],
            "input[0].content[0].file_id",
            "missing_required_parameter",
        ),
        ([{"type": "telepathy"}], "input[0].type", "invalid_value"),
        (
            [{"type": "function_call", "call_id": "c", "name": "f"}],
            "input[0].arguments",
            "missing_required_parameter",
        ),
        (
            [{"type": "function_call_output", "output": "x"}],
            "input[0].call_id",
            "missing_required_parameter",
        ),
        ([{"type": "reasoning", "id": "rs_1"}], "input[0].summary", "missing_required_parameter"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(
    api: Api, input_value: Any, param: str, code: str
) -> None:
    reply = api.post("responses", {"model": "m", "input": input_value})
    assert reply.status == 400, reply.text
    assert (reply.error["param"], reply.error["code"], reply.error["type"]) == (
        param,
        code,
        "invalid_request_error",
    )
    assert_valid("Error", reply.error)


def test_duplicate_ids_inside_one_input_are_refused(api: Api) -> None:
    item = {"type": "message", "id": "msg_same", "role": "user", "content": "x"}
    reply = api.post("responses", {"model": "m", "input": [item, item]})
    assert reply.status == 400 and "Duplicate item found with id msg_same" in reply.error["message"]


def test_client_made_ids_are_fine_under_store_false(api: Api) -> None:
    item = {"type": "message", "id": "msg_mine", "role": "user", "content": "hello"}
    body = api.create(input=[item], store=False).json
    assert body["status"] == "completed"
