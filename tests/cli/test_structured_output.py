"""--schema and --schema-multi over the wire: the strict schema the emulator receives, schemas
refused before any request, JSON-only answers, and the exit codes of refused or invalid ones
(README: 11 invalid, 12 refused)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cli_support import RunCli
from template_support import creates

from azresp_cli.core.errors import ExitCode


def strict(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


STR, INT, NUM, BOOL = ({"type": t} for t in ("string", "integer", "number", "boolean"))

CONCISE = [
    ("name", strict({"name": STR})),
    ("name, age int", strict({"name": STR, "age": INT})),
    ("height float, ok bool", strict({"height": NUM, "ok": BOOL})),
    ("n integer, x number, s string, b boolean", strict({"n": INT, "x": NUM, "s": STR, "b": BOOL})),
    ("tags list[str]", strict({"tags": {"type": "array", "items": STR}})),
    (
        "scores list[int], weights array[float]",
        strict(
            {
                "scores": {"type": "array", "items": INT},
                "weights": {"type": "array", "items": NUM},
            }
        ),
    ),
    ("bio: one sentence", strict({"bio": {"type": "string", "description": "one sentence"}})),
    (
        "age int: in years, flags list[bool]: all checks",
        strict(
            {
                "age": {"type": "integer", "description": "in years"},
                "flags": {"type": "array", "items": BOOL, "description": "all checks"},
            }
        ),
    ),
    (
        "name\nsummary: what it is, briefly, in one line",
        strict(
            {
                "name": STR,
                "summary": {"type": "string", "description": "what it is, briefly, in one line"},
            }
        ),
    ),
    (
        "name, age int, height float, tags list[str], bio: one sentence",
        strict(
            {
                "name": STR,
                "age": INT,
                "height": NUM,
                "tags": {"type": "array", "items": STR},
                "bio": {"type": "string", "description": "one sentence"},
            }
        ),
    ),
]


@pytest.mark.parametrize(("concise", "expected"), CONCISE, ids=[c for c, _ in CONCISE])
def test_every_concise_form_goes_over_the_wire_as_this_strict_schema(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any, concise: str, expected: Any
) -> None:
    result = azresp("chat", "--schema", concise, "describe a person", env=emulator_env)
    assert result.exit_code == 0, result.stderr
    text_format = creates(emulator)[-1]["text"]["format"]
    assert text_format == {
        "type": "json_schema",
        "name": "answer",
        "schema": expected,
        "strict": True,
    }


def test_a_json_schema_file_and_inline_json_are_made_strict(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any, tmp_path: Path
) -> None:
    given = {
        "title": "Person record",
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "pets": {
                "type": "array",
                "items": {"type": "object", "properties": {"kind": {"enum": ["cat", "dog"]}}},
            },
        },
        "required": ["name"],
    }
    path = tmp_path / "person.json"
    path.write_text(json.dumps(given))
    for schema in (str(path), json.dumps(given)):
        result = azresp("chat", "--schema", schema, "hi", env=emulator_env)
        assert result.exit_code == 0, result.stderr
        sent = creates(emulator)[-1]["text"]["format"]
        assert sent["name"] == "Person_record" and sent["strict"] is True
        assert sent["schema"]["required"] == ["name", "pets"]
        assert sent["schema"]["additionalProperties"] is False
        pet = sent["schema"]["properties"]["pets"]["items"]
        assert pet["required"] == ["kind"] and pet["additionalProperties"] is False
        assert json.loads(result.stdout) == {"name": "example", "pets": [{"kind": "cat"}]}


def _nested(levels: int) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "string"}
    for _ in range(levels):
        node = {"type": "object", "properties": {"inner": node}}
    return node


INVALID = [
    ("", "error: --schema is empty"),
    ("{not json", "error: the inline schema is not valid JSON"),
    ('["a"]', "error: a schema must be a JSON object"),
    ('{"type": "array", "items": {"type": "string"}}', "the schema's root must be an object"),
    (
        '{"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": true}',
        "structured outputs need 'additionalProperties: false' on every object",
    ),
    (json.dumps(_nested(6)), "nests objects 6 levels deep; structured outputs allow at most 5"),
    (
        ", ".join(f"f{i}" for i in range(101)),
        "has 101 object properties; structured outputs allow at most 100",
    ),
    (
        json.dumps(strict({"c": {"enum": [f"v{i}" for i in range(501)]}})),
        "has 501 enum values; structured outputs allow at most 500",
    ),
    (
        json.dumps(strict({"c": {"enum": [f"value-{i:04d}-" + "x" * 30 for i in range(260)]}})),
        "an enum of 260 strings takes",
    ),
    ("name, age integ", "error: unknown type 'integ' for schema field 'age'"),
    ("name, name int", "error: schema field 'name' is given twice"),
    ("first name", "error: unknown type 'name' for schema field 'first'"),
    ("missing-schema.json", "schema file missing-schema.json does not exist"),
]


@pytest.mark.parametrize(("schema", "message"), INVALID, ids=[m for _, m in INVALID])
def test_invalid_schemas_are_refused_before_any_request(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any, schema: str, message: str
) -> None:
    result = azresp("chat", "--schema", schema, "hi", env=emulator_env)
    assert result.exit_code == ExitCode.USAGE, result.output
    assert message in result.stderr
    assert "hint:" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""
    assert emulator.requests == []  # nothing went over the wire


def test_a_limit_breaking_schema_file_is_refused_before_any_request(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any, tmp_path: Path
) -> None:
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(_nested(7)))
    result = azresp("bg", "start", "--schema", str(path), "hi", env=emulator_env)
    assert result.exit_code == 2
    assert "nests objects 7 levels deep" in result.stderr
    assert emulator.requests == []


def test_the_answer_is_json_only_compact_when_piped_pretty_on_a_terminal(
    azresp: RunCli, emulator_env: dict[str, str]
) -> None:
    schema = "name, age int, tags list[str], bio: one sentence"
    piped = azresp("chat", "--schema", schema, "invent a person", env=emulator_env)
    assert piped.exit_code == 0, piped.stderr
    expected = {"name": "example", "age": 1, "tags": ["example"], "bio": "one sentence"}
    assert piped.stdout == json.dumps(expected, separators=(",", ":")) + "\n"
    shown = azresp("chat", "--schema", schema, "invent a person", tty=True, env=emulator_env)
    assert shown.exit_code == 0, shown.stderr
    assert shown.stdout == json.dumps(expected, indent=2) + "\n"


def test_enums_are_honoured_by_the_emulator(azresp: RunCli, emulator_env: dict[str, str]) -> None:
    schema = json.dumps(
        strict({"colour": {"type": "string", "enum": ["teal", "red"], "description": "one"}})
    )
    result = azresp("chat", "--schema", schema, "pick", env=emulator_env)
    assert json.loads(result.stdout) == {"colour": "teal"}


def test_schema_multi_wraps_the_schema_in_items(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any
) -> None:
    result = azresp("chat", "--schema-multi", "name, age int", "three people", env=emulator_env)
    assert result.exit_code == 0, result.stderr
    sent = creates(emulator)[-1]["text"]["format"]
    assert sent["name"] == "answer_list"
    assert sent["schema"] == strict(
        {"items": {"type": "array", "items": strict({"name": STR, "age": INT})}}
    )
    assert json.loads(result.stdout) == {"items": [{"name": "example", "age": 1}]}
    both = azresp("chat", "--schema", "a", "--schema-multi", "b", "x", env=emulator_env)
    assert both.exit_code == 2 and "--schema and --schema-multi cannot be combined" in both.stderr


def test_a_truncated_answer_exits_11_and_keeps_the_raw_text_in_the_history(
    azresp: RunCli, emulator_env: dict[str, str]
) -> None:
    result = azresp("chat", "--schema", "name, bio", "describe [[truncate]]", env=emulator_env)
    assert result.exit_code == ExitCode.SCHEMA_INVALID == 11
    assert result.stdout == ""
    assert "error: the answer was cut short (max_output_tokens) and is not valid JSON" in (
        result.stderr
    )
    assert "hint: the raw answer is in the history" in result.stderr
    shown = azresp("history", "show", "--last", "--json", env=emulator_env)
    answer = json.loads(shown.stdout)["turns"][-1]["answer"]
    assert answer.startswith('{"name"') and not answer.endswith("}")
    data = azresp("history", "show", "--last", "--json-data", env=emulator_env)
    assert data.stdout == ""  # no structured answer to pull back out


def test_an_answer_that_does_not_fit_the_schema_exits_11(
    azresp: RunCli, emulator_env: dict[str, str]
) -> None:
    reply = '[[reply:{"name": "Ada", "age": "old"}]]'
    result = azresp("chat", "--schema", "name, age int", reply, env=emulator_env)
    assert result.exit_code == 11
    assert "error: the answer does not fit the schema: $.age: expected integer, got string" in (
        result.stderr
    )
    assert result.stdout == ""


def test_a_refusal_exits_12_and_the_refusal_is_kept_in_the_history(
    azresp: RunCli, emulator_env: dict[str, str]
) -> None:
    result = azresp(
        "chat", "--schema", "name", "[[refuse:I cannot share that.]] who?", env=emulator_env
    )
    assert result.exit_code == ExitCode.REFUSED == 12
    assert "error: the model refused to answer: I cannot share that." in result.stderr
    assert result.stdout == ""
    shown = azresp("history", "show", "--last", "--json", env=emulator_env)
    assert json.loads(shown.stdout)["turns"][-1]["answer"] == "I cannot share that."


@pytest.mark.parametrize("flags", [("--no-store",), ()], ids=["no-store", "stored"])
def test_continue_with_a_schema_and_pull_the_answers_back_out(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any, flags: tuple[str, ...]
) -> None:
    first = azresp("chat", *flags, "--schema", "city", "where?", env=emulator_env)
    assert first.exit_code == 0, first.stderr
    second = azresp(
        "chat", *flags, "-c", "--schema-multi", "city, people int", "and more?",
        env=emulator_env,
    )  # fmt: skip
    assert second.exit_code == 0, second.stderr
    bodies = creates(emulator)
    assert bodies[-1]["store"] is (not flags)
    assert bodies[-1]["text"]["format"]["name"] == "answer_list"
    if flags:
        assert len(bodies[-1]["input"]) > 1  # the first turn's items replayed
    else:
        assert bodies[-1]["previous_response_id"]
    data = azresp("history", "show", "--last", "--json-data", env=emulator_env)
    assert data.exit_code == 0, data.stderr
    assert data.stdout.splitlines() == [
        '{"city":"example"}',
        '{"city":"example","people":1}',
    ]
    response_id = json.loads(
        azresp("history", "show", "--last", "--json", env=emulator_env).stdout
    )["turns"][0]["response_id"]
    one = azresp("history", "show", response_id, "--json-data", env=emulator_env)
    assert one.stdout == '{"city":"example"}\n'


def test_history_show_needs_an_id_or_last(azresp: RunCli, emulator_env: dict[str, str]) -> None:
    result = azresp("history", "show", env=emulator_env)
    assert result.exit_code == 2 and "give a conversation or response id, or --last" in (
        result.stderr
    )


def test_bg_start_sends_the_schema(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any
) -> None:
    result = azresp("bg", "start", "--schema", "title, done bool", "plan it", env=emulator_env)
    assert result.exit_code == 0, result.stderr
    body = creates(emulator)[-1]
    assert body["background"] is True
    assert body["text"]["format"]["schema"] == strict({"title": STR, "done": BOOL})


def test_the_emulator_streams_a_refusal_and_a_truncated_instance_as_the_service_does(
    azresp: RunCli, emulator_env: dict[str, str]
) -> None:
    refused = azresp("chat", "--jsonl", "--schema", "name", "[[refuse]] hi", env=emulator_env)
    events = [json.loads(line) for line in refused.stdout.splitlines()]
    kinds = [event["type"] for event in events]
    assert "response.refusal.delta" in kinds and "response.refusal.done" in kinds
    assert "response.output_text.delta" not in kinds
    final = events[-1]["response"]
    assert final["status"] == "completed"
    assert final["output"][-1]["content"] == [
        {"type": "refusal", "refusal": "I'm sorry, I can't help with that request."}
    ]
    cut = azresp("chat", "--jsonl", "--schema", "name, bio", "[[truncate]] hi", env=emulator_env)
    last = json.loads(cut.stdout.splitlines()[-1])["response"]
    assert last["status"] == "incomplete"
    assert last["incomplete_details"] == {"reason": "max_output_tokens"}


def test_a_structured_answer_is_the_instance_alone_when_a_hosted_tool_fails(
    azresp: RunCli, emulator_env: dict[str, str]
) -> None:
    import socket

    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = azresp(
        "chat", "--mcp", f"docs=http://127.0.0.1:{port}/mcp", "--schema", "verdict", "judge",
        env=emulator_env,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout == '{"verdict":"example"}\n'
    raw = azresp(
        "chat", "--json", "--mcp", f"docs=http://127.0.0.1:{port}/mcp", "--schema", "verdict",
        "judge", env=emulator_env,
    )  # fmt: skip
    listing = json.loads(raw.stdout)["output"][0]
    assert listing["type"] == "mcp_list_tools" and "docs" in listing["error"]
