"""Batches in a state directory: seen by every emulator sharing it, kept across a restart,
cancelled from any of them, and run to their end by the next emulator when theirs stopped."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path
from typing import Any

import openai
import pytest
from cli_support import sdk_client

from azresp_cli.emulator.config import EmulatorConfig
from azresp_cli.emulator.runner import RunningEmulator, start_in_thread

ENDED = ("completed", "failed", "expired", "cancelled")


def _client(running: RunningEmulator) -> openai.OpenAI:
    return sdk_client(running.base_url, api_key="test-key")


def _submit(client: openai.OpenAI, *prompts: str) -> str:
    data = b"".join(
        json.dumps(
            {
                "custom_id": f"line-{n}",
                "method": "POST",
                "url": "/v1/responses",
                "body": {"model": "gpt-test", "input": prompt},
            }
        ).encode()
        + b"\n"
        for n, prompt in enumerate(prompts, start=1)
    )
    uploaded = client.files.create(file=("in.jsonl", io.BytesIO(data)), purpose="batch")
    batch = client.batches.create(
        input_file_id=uploaded.id, endpoint="/v1/responses", completion_window="24h"
    )
    return batch.id


def _wait(client: openai.OpenAI, batch_id: str, statuses: tuple[str, ...] = ENDED) -> Any:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        batch = client.batches.retrieve(batch_id)
        if batch.status in statuses:
            return batch
        time.sleep(0.02)
    raise AssertionError(f"{batch_id} stayed {batch.status}")


def _answers(client: openai.OpenAI, file_id: str) -> dict[str, str]:
    lines = client.files.content(file_id).read().decode().splitlines()
    found = {}
    for line in lines:
        entry = json.loads(line)
        body = entry["response"]["body"]
        found[entry["custom_id"]] = body["output"][0]["content"][0]["text"]
    return found


def test_a_batch_made_by_one_is_seen_by_the_other_and_outlives_both(tmp_path: Path) -> None:
    with start_in_thread(state_dir=tmp_path) as one, start_in_thread(state_dir=tmp_path) as two:
        batch_id = _submit(_client(one), "first prompt", "second prompt")
        assert [b.id for b in _client(two).batches.list()] == [batch_id]
        done = _wait(_client(two), batch_id)
        assert done.status == "completed" and done.request_counts.completed == 2
        answers = _answers(_client(two), done.output_file_id)
    with start_in_thread(state_dir=tmp_path) as again:
        kept = _client(again).batches.retrieve(batch_id)
        assert kept.to_dict() == done.to_dict()
        assert _answers(_client(again), kept.output_file_id) == answers
        assert set(answers) == {"line-1", "line-2"}
        assert '"first prompt"' in answers["line-1"]


def test_a_cancel_sent_to_the_other_emulator_stops_the_batch(tmp_path: Path) -> None:
    with start_in_thread(state_dir=tmp_path) as one, start_in_thread(state_dir=tmp_path) as two:
        batch_id = _submit(_client(one), "held [[batch:hold=1]]", "never answered")
        _wait(_client(two), batch_id, ("in_progress",))
        while _client(two).batches.retrieve(batch_id).request_counts.completed < 1:
            time.sleep(0.02)
        assert _client(two).batches.cancel(batch_id).status == "cancelling"
        ended = _wait(_client(one), batch_id)
        assert ended.status == "cancelled" and ended.request_counts.completed == 1
        assert set(_answers(_client(two), ended.output_file_id)) == {"line-1"}


@pytest.mark.slow  # a background job runs its real time (seconds)
def test_a_batch_left_running_is_finished_by_the_next_emulator(tmp_path: Path) -> None:
    slow = EmulatorConfig(batch_step=0.05, batch_pace=1)
    prompts = [f"prompt {n} [[batch:pace=1]]" if n == 1 else f"prompt {n}" for n in range(1, 41)]
    with start_in_thread(config=slow, state_dir=tmp_path) as first:
        batch_id = _submit(_client(first), *prompts)
        _wait(_client(first), batch_id, ("in_progress",))
    with start_in_thread(state_dir=tmp_path) as second:
        left = _client(second).batches.retrieve(batch_id)
        assert left.status in ("validating", "in_progress")  # taken over, run again
        done = _wait(_client(second), batch_id)
        assert done.status == "completed" and done.request_counts.completed == 40
        assert len(_answers(_client(second), done.output_file_id)) == 40
