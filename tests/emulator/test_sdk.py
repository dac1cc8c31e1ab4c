"""The openai SDK, unchanged, against the emulator: what azresp's core relies on."""

from __future__ import annotations

import time

import openai
import pytest
from cli_support import sdk_client
from emulator.support import TEST_KEY
from openai import OpenAI

from azresp_cli.emulator.runner import RunningEmulator


def test_create_and_output_text(client: OpenAI) -> None:
    response = client.responses.create(model="gpt-test", input="hello", instructions="be brief")
    assert response.status == "completed"
    assert response.output_text.startswith("**Turn 1**")
    assert 'Following your instructions: "be brief"' in response.output_text


def test_stream_helper_and_final_response(client: OpenAI) -> None:
    deltas = []
    with client.responses.stream(
        model="gpt-test", input="[[reply:Hello **world**, three words]]"
    ) as stream:
        for event in stream:
            if event.type == "response.output_text.delta":
                deltas.append(event.delta)
        final = stream.get_final_response()
    assert "".join(deltas) == final.output_text == "Hello **world**, three words"
    assert len(deltas) >= 2


def test_get_final_response_raises_without_completed(client: OpenAI) -> None:
    with client.responses.stream(model="gpt-test", input="x [[fault:output_filter]]") as stream:
        for _ in stream:
            pass
        with pytest.raises(RuntimeError, match=r"response\.completed"):
            stream.get_final_response()


def test_nested_error_event_raises_api_error(client: OpenAI) -> None:
    with pytest.raises(openai.APIError, match="emulated fault"):
        for _ in client.responses.create(
            model="gpt-test", input="x [[fault:error_event]]", stream=True
        ):
            pass


def test_chaining_through_the_sdk(client: OpenAI) -> None:
    first = client.responses.create(model="gpt-test", input="my name is Ada")
    second = client.responses.create(
        model="gpt-test", input="what is my name?", previous_response_id=first.id
    )
    assert 'Earlier you said: "my name is Ada".' in second.output_text
    with pytest.raises(openai.BadRequestError) as caught:
        client.responses.create(model="gpt-test", input="x", previous_response_id="resp_unknown")
    assert caught.value.code == "previous_response_not_found"


def test_retrieve_stream_resumes_after_a_cursor(client: OpenAI) -> None:
    events = list(
        client.responses.create(model="gpt-test", input="bg", background=True, stream=True)
    )
    response_id = events[0].response.id
    resumed = list(client.responses.retrieve(response_id, stream=True, starting_after=3))
    assert [event.sequence_number for event in resumed] == list(range(4, len(events)))
    assert resumed[-1].type == "response.completed"
    with client.responses.stream(response_id=response_id, starting_after=3) as stream:
        helper_events = list(stream)  # the helper fetches from 0 and drops the first events
        final = stream.get_final_response()
    assert [event.sequence_number for event in helper_events] == list(range(4, len(events)))
    assert final.id == response_id


def test_input_items_pagination(client: OpenAI) -> None:
    response = client.responses.create(
        model="gpt-test", input=[{"role": "user", "content": f"m{n}"} for n in range(7)]
    )
    page = client.responses.input_items.list(response.id, limit=3, order="asc")
    assert [item.content[0].text for item in page.data] == ["m0", "m1", "m2"]
    texts = [
        item.content[0].text
        for item in client.responses.input_items.list(response.id, limit=3, order="asc")
    ]
    assert texts == [f"m{n}" for n in range(7)]  # auto-pagination follows `after`


def test_cancel_and_delete(client: OpenAI) -> None:
    job = client.responses.create(
        model="gpt-test", input="[[slow:20]] [[long:200]]", background=True
    )
    assert job.status == "queued"
    cancelled = client.responses.cancel(job.id)
    assert cancelled.status == "cancelled"
    assert client.responses.cancel(job.id).status == "cancelled"
    assert client.responses.delete(job.id) is None
    with pytest.raises(openai.NotFoundError):
        client.responses.retrieve(job.id)


def test_background_poll_to_completion(client: OpenAI) -> None:
    job = client.responses.create(model="gpt-test", input="later", background=True)
    deadline = time.monotonic() + 10
    while job.status in ("queued", "in_progress") and time.monotonic() < deadline:
        time.sleep(0.02)
        job = client.responses.retrieve(job.id)
    assert job.status == "completed" and 'You said: "later"' in job.output_text


def test_sdk_retries_once_faults(emulator: RunningEmulator) -> None:
    client = sdk_client(emulator.base_url, max_retries=2)
    for status in ("503", "429", "500", "502", "408"):
        spec = f"{status} once retry-after-ms=10"
        response = client.responses.create(model="gpt-test", input=f"retry [[fault:{spec}]]")
        assert response.status == "completed"
    assert len(emulator.requests) == 10  # each request went out twice


def test_rate_limit_surfaces_retry_after(client: OpenAI) -> None:
    with pytest.raises(openai.RateLimitError) as caught:
        client.responses.create(model="gpt-test", input="x [[fault:429 retry-after=7]]")
    assert caught.value.response.headers["retry-after"] == "7"
    assert caught.value.response.headers["apim-request-id"]


def test_content_filter_error_code(client: OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.responses.create(model="gpt-test", input="x [[fault:content_filter]]")
    assert caught.value.code == "content_filter" and caught.value.param == "prompt"


def test_slow_first_byte_trips_a_client_timeout(emulator: RunningEmulator) -> None:
    client = sdk_client(emulator.base_url, timeout=0.2)
    with pytest.raises(openai.APITimeoutError):
        client.responses.create(model="gpt-test", input="x [[fault:slow_first_byte:2000]]")


def test_cut_stream_ends_without_completed(client: OpenAI) -> None:
    events = list(client.responses.create(model="gpt-test", input="x [[fault:cut:5]]", stream=True))
    assert len(events) == 5 and all(event.type != "response.completed" for event in events)


def test_input_tokens_and_compact(client: OpenAI) -> None:
    counted = client.responses.input_tokens.count(
        model="gpt-test", input="count these words please"
    )
    created = client.responses.create(model="gpt-test", input="count these words please")
    assert counted.input_tokens == created.usage.input_tokens  # type: ignore[union-attr]
    compacted = client.responses.compact(model="gpt-test", previous_response_id=created.id)
    assert compacted.object == "response.compaction" and compacted.output[-1].type == "compaction"


def test_api_key_header_client(emulator: RunningEmulator) -> None:
    client = OpenAI(
        base_url=emulator.base_url, api_key="unused", default_headers={"api-key": TEST_KEY}
    )
    assert client.responses.create(model="gpt-test", input="x").status == "completed"
