"""`Idempotency-Key` on POST /responses: the same key is the same response, never a second one."""

from __future__ import annotations

import openai
import pytest
from openai import OpenAI

from azresp_cli.emulator.runner import RunningEmulator


def test_the_same_key_answers_with_the_first_response(
    client: OpenAI, emulator: RunningEmulator
) -> None:
    first = client.responses.create(
        model="gpt-test", input="idem once", extra_headers={"Idempotency-Key": "k-1"}
    )
    again = client.responses.create(
        model="gpt-test", input="idem once", extra_headers={"Idempotency-Key": "k-1"}
    )
    other = client.responses.create(
        model="gpt-test", input="idem once", extra_headers={"Idempotency-Key": "k-2"}
    )

    assert again.id == first.id and again.output_text == first.output_text
    assert other.id != first.id
    assert emulator.state.idempotency.counts()["idem once"] == 2


def test_a_background_stream_is_replayed_from_its_start(client: OpenAI) -> None:
    def events() -> list[tuple[str, str]]:
        stream = client.responses.create(
            model="gpt-test",
            input="idem stream",
            stream=True,
            background=True,
            extra_headers={"Idempotency-Key": "k-stream"},
        )
        return [
            (event.type, getattr(getattr(event, "response", None), "id", "")) for event in stream
        ]

    first, replayed = events(), events()

    assert first[0][0] == "response.created" and first[-1][0] == "response.completed"
    assert replayed == first


def test_the_same_key_with_another_body_is_refused(client: OpenAI) -> None:
    client.responses.create(
        model="gpt-test", input="idem body", extra_headers={"Idempotency-Key": "k-body"}
    )
    with pytest.raises(openai.ConflictError) as refused:
        client.responses.create(
            model="gpt-test", input="another body", extra_headers={"Idempotency-Key": "k-body"}
        )
    assert "different request body" in str(refused.value)
