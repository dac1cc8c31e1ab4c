"""The emulator's /batches and its batch files, through the real openai SDK, checked against
the official OpenAPI definitions (tests/spec/batches-openapi.yaml)."""

from __future__ import annotations

import io
import json
import time
from typing import Any

import openai
import pytest
from cli_support import sdk_client
from spec_validation import assert_batch_api_valid

from azresp_cli.emulator.config import EmulatorConfig


def _client(emulator: Any) -> openai.OpenAI:
    return sdk_client(emulator.base_url, api_key="test-key")


def _line(custom_id: str, text: str, **body: Any) -> dict[str, Any]:
    return {
        "custom_id": custom_id,
        "method": "POST",
        "url": "/v1/responses",
        "body": {"model": "gpt-test", "input": text, **body},
    }


def _upload(client: openai.OpenAI, data: bytes) -> str:
    created = client.files.create(file=("batch.jsonl", io.BytesIO(data)), purpose="batch")
    assert_batch_api_valid("OpenAIFile", created.to_dict())
    return created.id


def _encode(*lines: dict[str, Any]) -> bytes:
    return b"".join(json.dumps(line).encode() + b"\n" for line in lines)


def _until_ended(client: openai.OpenAI, batch_id: str) -> dict[str, Any]:
    seen = []
    while True:
        batch = client.batches.retrieve(batch_id).to_dict()
        assert_batch_api_valid("Batch", batch)
        if not seen or seen[-1] != batch["status"]:
            seen.append(batch["status"])
        if batch["status"] in ("completed", "failed", "expired", "cancelled"):
            batch["seen"] = seen
            return batch
        time.sleep(0.005)


def test_a_batch_goes_through_its_phases_and_its_error_file_is_empty(emulator: Any) -> None:
    client = _client(emulator)
    file_id = _upload(client, _encode(*(_line(f"c{n}", f"say {n}") for n in range(3))))

    created = client.batches.create(
        input_file_id=file_id, endpoint="/v1/responses", completion_window="24h"
    ).to_dict()
    assert_batch_api_valid("Batch", created)
    assert created["status"] == "validating"
    ended = _until_ended(client, created["id"])

    assert ended["seen"][-1] == "completed"
    assert set(ended["seen"]) <= {"validating", "in_progress", "finalizing", "completed"}
    assert ended["request_counts"] == {"total": 3, "completed": 3, "failed": 0}
    assert client.files.content(ended["error_file_id"]).read() == b""  # exists, empty
    output = [json.loads(x) for x in client.files.content(ended["output_file_id"]).iter_lines()]
    assert sorted(entry["custom_id"] for entry in output) == ["c0", "c1", "c2"]
    for entry in output:
        assert entry["response"]["status_code"] == 200
        assert entry["response"]["body"]["object"] == "response"
        assert entry["error"] is None
    assert next(batch.id for batch in client.batches.list()) == created["id"]


def test_the_list_is_a_valid_page(emulator: Any) -> None:
    import urllib.request

    client = _client(emulator)
    file_id = _upload(client, _encode(_line("a", "hi")))
    client.batches.create(input_file_id=file_id, endpoint="/v1/responses", completion_window="24h")
    request = urllib.request.Request(  # noqa: S310  # the test's loopback emulator
        emulator.base_url + "batches", headers={"api-key": "test-key"}
    )
    with urllib.request.urlopen(request, timeout=10) as reply:  # noqa: S310
        page = json.loads(reply.read())
    assert_batch_api_valid("ListBatchesResponse", page)
    assert page["data"][0]["input_file_id"] == file_id


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\xef\xbb\xbf" + _encode(_line("a", "hi")), "invalid_file_format"),
        (b"{not json}\n", "invalid_json_line"),
        (_encode(_line("a", "hi"), _line("a", "again")), "duplicate_custom_id"),
        (
            _encode(
                _line("a", "hi"), {**_line("b", "x"), "body": {"model": "other", "input": "x"}}
            ),
            "model_mismatch",
        ),
    ],
    ids=["bom", "not-json", "duplicate-id", "two-deployments"],
)
def test_a_file_that_breaks_the_rules_fails_the_batch(
    emulator: Any, data: bytes, code: str
) -> None:
    client = _client(emulator)
    created = client.batches.create(
        input_file_id=_upload(client, data), endpoint="/v1/responses", completion_window="24h"
    )
    ended = _until_ended(client, created.id)
    assert ended["status"] == "failed"
    assert ended["errors"]["data"][0]["code"] == code
    assert "output_file_id" not in ended


def test_create_checks_its_parameters(emulator: Any) -> None:
    client = _client(emulator)
    assistants = client.files.create(file=("a.txt", io.BytesIO(b"x")), purpose="assistants")
    with pytest.raises(openai.BadRequestError, match="purpose 'assistants'"):
        client.batches.create(
            input_file_id=assistants.id, endpoint="/v1/responses", completion_window="24h"
        )
    with pytest.raises(openai.NotFoundError):
        client.batches.create(
            input_file_id="assistant-missing", endpoint="/v1/responses", completion_window="24h"
        )
    with pytest.raises(openai.NotFoundError):
        client.batches.retrieve("batch_missing")


def test_cancelling_a_finished_batch_is_a_409(emulator: Any) -> None:
    client = _client(emulator)
    created = client.batches.create(
        input_file_id=_upload(client, _encode(_line("a", "hi"))),
        endpoint="/v1/responses",
        completion_window="24h",
    )
    _until_ended(client, created.id)
    with pytest.raises(openai.ConflictError):
        client.batches.cancel(created.id)


def test_the_rate_limit_refuses_with_429_and_says_where_the_client_stands(
    emulator_factory: Any,
) -> None:
    emulator = emulator_factory(EmulatorConfig(rate_limit_rpm=120, rate_window=1.0))  # 2 a second
    client = _client(emulator)
    first = client.responses.with_raw_response.create(model="gpt-test", input="one")
    assert first.headers["x-ratelimit-limit-requests"] == "120"
    assert first.headers["x-ratelimit-remaining-requests"] == "1"
    client.responses.create(model="gpt-test", input="two")
    with pytest.raises(openai.RateLimitError) as refused:
        client.responses.create(model="gpt-test", input="three")
    assert int(refused.value.response.headers["retry-after-ms"]) > 0
    assert [r.rejected for r in emulator.requests] == [None, None, 429]
