"""The create fields real clients send beyond the spec: accepted, checked, documented once."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openai
import pytest
from spec_validation import load_spec

from azresp_cli.emulator.client_fields import CLIENT_FIELDS
from azresp_cli.emulator.params import CREATE_FIELDS
from azresp_cli.emulator.runner import RunningEmulator

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "tests" / "spec" / "responses-openapi.yaml"
DOC = REPO / "docs" / "clients.md"

# What each client sends, as captured from it (Codex CLI 0.171.0 for client_metadata).
SAMPLES: dict[str, Any] = {
    "client_metadata": {
        "session_id": "019a0000-0000-7000-8000-000000000001",
        "thread_id": "019a0000-0000-7000-8000-000000000001",
        "turn_id": "019a0000-0000-7000-8000-000000000002",
        "x-codex-window-id": "019a0000-0000-7000-8000-000000000001:0",
        "x-codex-turn-metadata": '{"request_kind":"turn","sandbox_mode":"read-only"}',
    },
    "access_programs": {"cyber": "standard"},
    "background_options": {"completion_window": "soonest"},
    "image": {},
}


def spec_create_fields() -> set[str]:
    schemas = load_spec(SPEC.name)["components"]["schemas"]

    def properties(name: str) -> set[str]:
        schema = schemas[name]
        found: set[str] = set()
        for part in schema.get("allOf", [schema]):
            if "$ref" in part:
                found |= properties(part["$ref"].rsplit("/", 1)[-1])
            else:
                found |= set(part.get("properties", {}))
        return found

    return properties("CreateResponse")


def documented_fields() -> dict[str, str]:
    """docs/clients.md's table of fields beyond the spec: field -> its "sent by" cell."""
    section = DOC.read_text(encoding="utf-8").split("## Request fields beyond the specification")[1]
    section = section.split("\n## ")[0]
    rows = re.findall(r"^\| `([a-z_]+)` \| ([^|]+) \|", section, flags=re.MULTILINE)
    return {name: sent_by.strip() for name, sent_by in rows}


def client(emulator: RunningEmulator) -> openai.OpenAI:
    return openai.OpenAI(base_url=emulator.base_url, api_key="sk-test", max_retries=0)


def test_every_field_a_client_sends_is_accepted(emulator: RunningEmulator) -> None:
    assert set(SAMPLES) == set(CLIENT_FIELDS)
    response = client(emulator).responses.create(
        model="gpt-test", input="[[reply:accepted]]", extra_body=SAMPLES
    )
    assert response.output_text == "accepted"
    sent = emulator.requests[-1].json
    assert sent["client_metadata"] == SAMPLES["client_metadata"]


def test_codex_shaped_stream_request_is_accepted(emulator: RunningEmulator) -> None:
    events = client(emulator).responses.create(
        model="gpt-test",
        input=[
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hi"}]}
        ],
        stream=True,
        store=False,
        include=["reasoning.encrypted_content"],
        reasoning={"effort": "medium"},
        text={"verbosity": "low"},
        prompt_cache_key="019a0000-0000-7000-8000-000000000001",
        extra_body={"client_metadata": SAMPLES["client_metadata"]},
    )
    assert [event.type for event in events][-1] == "response.completed"


@pytest.mark.parametrize(
    ("value", "param", "message"),
    [
        ("thread-1", "client_metadata", "expected an object, but got a string instead"),
        ({"turn": 3}, "client_metadata.turn", "expected a string, but got an integer instead"),
    ],
)
def test_a_malformed_client_metadata_gets_the_services_400(
    emulator: RunningEmulator, value: Any, param: str, message: str
) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client(emulator).responses.create(
            model="gpt-test", input="hi", extra_body={"client_metadata": value}
        )
    assert caught.value.code == "invalid_type"
    assert caught.value.param == param
    assert message in caught.value.message


def test_an_unknown_field_is_still_refused(emulator: RunningEmulator) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client(emulator).responses.create(
            model="gpt-test", input="hi", extra_body={"client_metadatas": {}}
        )
    assert caught.value.code == "unknown_parameter"
    assert caught.value.param == "client_metadatas"


def test_the_list_is_documented_once_and_none_of_it_is_in_the_spec() -> None:
    spec = spec_create_fields()
    documented = documented_fields()
    assert set(documented) == set(CLIENT_FIELDS)
    for name, field in CLIENT_FIELDS.items():
        for sender in field.sent_by.split(", "):
            assert sender in documented[name], (name, sender)
    assert not spec & set(CLIENT_FIELDS)  # a field the spec has belongs to the spec's list
    # The emulator knows exactly the spec's fields plus this list: nothing undocumented.
    assert set(CREATE_FIELDS) == spec | set(CLIENT_FIELDS)
