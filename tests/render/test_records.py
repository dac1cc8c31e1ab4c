"""get / items / delete output: data on stdout, notes on stderr, tabs when piped."""

from __future__ import annotations

import json
import re
from typing import Any

from azresp_cli.core.events import ResponseRecord
from azresp_cli.render.records import ItemSummary, print_deleted, print_items, print_response

from .support import Snapshot, make_env, streams

RAW = {"id": "resp_1", "object": "response", "status": "completed", "output": []}


def response(**changes: Any) -> ResponseRecord:
    fields: dict[str, Any] = {
        "id": "resp_1",
        "status": "completed",
        "model": "gpt-4.1-mini",
        "output_text": "The **answer**.\n\n\n",
        "raw": RAW,
    }
    fields.update(changes)
    return ResponseRecord(**fields)


ITEMS: list[dict[str, Any]] = [
    {
        "id": "msg_1",
        "type": "message",
        "role": "user",
        "content": [
            {"type": "input_text", "text": "Describe\tthis image\nin detail"},
            {"type": "input_image", "image_url": "data:image/png;base64,iVBORw0KGgo"},
        ],
    },
    {"id": "msg_2", "type": "message", "role": "developer", "content": "Be brief."},
    {"id": "fc_1", "type": "function_call", "name": "lookup", "arguments": '{"q": "x"}'},
    {"id": "fco_1", "type": "function_call_output", "output": "42"},
    {
        "id": "msg_3",
        "type": "message",
        "role": "user",
        "content": [
            {"type": "input_file", "filename": "report.pdf"},
            {"type": "input_text", "text": "x" * 200},
        ],
    },
]


def test_get_prints_the_text_with_one_final_newline_when_piped() -> None:
    env = make_env()
    print_response(env, response())
    assert streams(env) == ("The **answer**.\n", "")


def test_get_renders_markdown_on_a_colour_tty() -> None:
    env = make_env(stdout_tty=True)
    print_response(env, response())
    stdout = streams(env)[0]
    assert "\x1b[1manswer\x1b[0m" in stdout and "**" not in stdout


def test_get_json_prints_the_raw_object() -> None:
    env = make_env(stdout_tty=True)
    print_response(env, response(), json_output=True)
    assert streams(env) == (json.dumps(RAW, indent=2) + "\n", "")


def test_get_notes_a_response_that_is_not_complete() -> None:
    env = make_env()
    print_response(env, response(status="incomplete", incomplete_reason="max_output_tokens"))
    assert streams(env)[1] == "warning: response incomplete (max_output_tokens)\n"
    env = make_env()
    print_response(env, response(status="in_progress", output_text=""))
    assert streams(env) == ("", "warning: response is in_progress; it has no final answer yet\n")


def test_items_piped_are_tab_separated_lines() -> None:
    env = make_env()
    print_items(env, ITEMS)
    stdout, stderr = streams(env)
    assert stderr == ""
    assert stdout.splitlines()[:4] == [
        "msg_1\tuser\tmessage\tDescribe this image in detail [image data:image/png;base64]",
        "msg_2\tdeveloper\tmessage\tBe brief.",
        'fc_1\t-\tfunction_call\tlookup({"q": "x"})',
        "fco_1\t-\tfunction_call_output\t42",
    ]
    last = stdout.splitlines()[4].split("\t")
    assert last[:3] == ["msg_3", "user", "message"]
    assert last[3].startswith("[file report.pdf] xxx") and len(last[3]) == 100
    assert last[3].endswith("…")
    assert "\x1b" not in stdout


def test_items_on_a_tty_are_a_table(snapshot: Snapshot) -> None:
    env = make_env(stdout_tty=True)
    print_items(env, ITEMS)
    snapshot("items_table", streams(env)[0])
    # The table, read without the snapshot: a header, then one row per item, oldest first,
    # long content cut with an ellipsis to fit the 80 columns.
    rows = [
        line.split()
        for line in re.sub(r"\x1b\[[0-9;]*m", "", streams(env)[0]).splitlines()
        if line.strip() and not line.strip().startswith("─")
    ]
    assert rows[0] == ["id", "role", "type", "content"]
    assert [row[:3] for row in rows[1:]] == [
        ["msg_1", "user", "message"],
        ["msg_2", "developer", "message"],
        ["fc_1", "-", "function_call"],
        ["fco_1", "-", "function_call_output"],
        ["msg_3", "user", "message"],
    ]
    assert rows[1][-1].endswith("…") and rows[5][-1].endswith("…")
    assert all(len(line) <= 80 for line in streams(env)[0].splitlines() if "\x1b" not in line)


def test_items_json_prints_the_list_object_as_given() -> None:
    env = make_env()
    page = {
        "object": "list",
        "data": ITEMS,
        "first_id": "msg_1",
        "last_id": "msg_3",
        "has_more": False,
    }
    print_items(env, ITEMS, raw=page, json_output=True)
    assert json.loads(streams(env)[0]) == page


def test_no_items_is_said_on_stderr() -> None:
    env = make_env()
    print_items(env, [])
    assert streams(env) == ("", "no input items\n")


def test_item_summary_of_a_reasoning_item() -> None:
    item = {
        "id": "rs_1",
        "type": "reasoning",
        "summary": [{"type": "summary_text", "text": "Plan"}],
    }
    assert ItemSummary.of(item) == ItemSummary("rs_1", "-", "reasoning", "Plan")


def test_deleted_ids_go_to_stderr() -> None:
    env = make_env()
    print_deleted(env, ["resp_1", "resp_2"])
    assert streams(env) == ("", "deleted resp_1\ndeleted resp_2\n")
