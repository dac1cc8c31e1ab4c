"""Emulators sharing one state directory at the same time: each sees, at once, the responses,
files and containers the others store, and a job belongs to the emulator running it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import RunCli
from emulator.support import Api
from emulator_tools.tool_support import validating_client
from openai import OpenAI

from azresp_cli.emulator.kept_store import CACHE_SIZE, KeptResponseStore
from azresp_cli.emulator.runner import RunningEmulator, start_in_thread

SALES = b"region,units,price\nnorth,3,2.5\nsouth,4,1.25\neast,,0.25\n"
JOB = "[[slow:20]] [[long:150]]"


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[RunningEmulator, RunningEmulator]]:
    with start_in_thread(state_dir=tmp_path) as one, start_in_thread(state_dir=tmp_path) as two:
        yield one, two


def sdk(running: RunningEmulator) -> OpenAI:
    return validating_client(running.base_url)


def test_a_response_stored_by_one_is_seen_and_deleted_by_the_other(
    pair: tuple[RunningEmulator, RunningEmulator],
) -> None:
    one, two = Api(pair[0].base_url), Api(pair[1].base_url)
    made = one.create(input="my name is Ada").json
    assert two.get(f"responses/{made['id']}").json == made
    follow = two.create(input="what is my name?", previous_response_id=made["id"]).json
    assert "my name is Ada" in follow["output"][0]["content"][0]["text"]
    assert one.get(f"responses/{follow['id']}").json == follow
    assert two.delete(f"responses/{made['id']}").json["deleted"] is True
    assert one.get(f"responses/{made['id']}").status == 404


def test_files_uploaded_to_one_are_listed_read_and_deleted_by_the_other(
    pair: tuple[RunningEmulator, RunningEmulator],
) -> None:
    one, two = sdk(pair[0]), sdk(pair[1])
    uploaded = one.files.create(file=("notes.txt", b"buy milk\n"), purpose="assistants")
    assert [f.id for f in two.files.list()] == [uploaded.id]
    assert two.files.retrieve(uploaded.id).bytes == len(b"buy milk\n")
    assert two.files.content(uploaded.id).read() == b"buy milk\n"
    two.files.delete(uploaded.id)
    assert list(one.files.list()) == []


def test_a_containers_files_outlive_the_emulator_that_wrote_them(tmp_path: Path) -> None:
    with start_in_thread(state_dir=tmp_path) as first:
        client = sdk(first)
        uploaded = client.files.create(file=("sales.csv", SALES), purpose="assistants")
        response = client.responses.create(
            model="m",
            input="compute totals for this csv",
            tools=[
                {
                    "type": "code_interpreter",
                    "container": {"type": "auto", "file_ids": [uploaded.id]},
                }
            ],  # type: ignore[list-item]
            extra_query={"api-version": "preview"},
        )
        call = response.output[0]
        assert call.type == "code_interpreter_call"
        summary = client.containers.files.content.retrieve(
            response.output[1].content[0].annotations[0].file_id,  # type: ignore[union-attr]
            container_id=call.container_id,
        ).read()
    with start_in_thread(state_dir=tmp_path) as second:
        client = sdk(second)
        listed = client.containers.files.list(call.container_id)
        assert sorted((f.path, f.source) for f in listed) == [
            ("/mnt/data/sales.csv", "user"),
            ("/mnt/data/summary.csv", "assistant"),
        ]
        saved = next(f for f in listed if f.path.endswith("summary.csv"))
        read = client.containers.files.content.retrieve(saved.id, container_id=call.container_id)
        assert read.read() == summary
        again = client.responses.create(  # the container is used again by its id
            model="m",
            input="[[code]] what files are there?",
            tools=[{"type": "code_interpreter", "container": call.container_id}],
            extra_query={"api-version": "preview"},
        )
        assert again.output[0].type == "code_interpreter_call"


@pytest.mark.slow  # a background job runs its real time (seconds)
def test_a_job_another_emulator_runs_is_followed_there_not_taken_over(
    pair: tuple[RunningEmulator, RunningEmulator],
) -> None:
    one, two = Api(pair[0].base_url), Api(pair[1].base_url)
    job = one.create(input=JOB, background=True, stream=False).json
    seen = two.get(f"responses/{job['id']}").json
    assert seen["status"] in ("queued", "in_progress")
    # The other emulator follows the job through what its owner writes, to the end.
    job_stream = one.create(input=JOB, background=True, stream=True).events
    followed = two.get(
        f"responses/{job_stream[0]['response']['id']}", query={"stream": "true"}, timeout=60
    ).events
    assert followed == job_stream
    deadline = time.monotonic() + 60
    while (done := two.get(f"responses/{job['id']}").json)["status"] != "completed":
        assert time.monotonic() < deadline and done["status"] in ("queued", "in_progress"), done
        time.sleep(0.05)
    assert done == one.get(f"responses/{job['id']}").json


def test_a_cancel_sent_to_the_other_emulator_stops_the_job(
    pair: tuple[RunningEmulator, RunningEmulator],
) -> None:
    one, two = Api(pair[0].base_url), Api(pair[1].base_url)
    job = one.create(input="[[slow:50]] [[long:400]]", background=True).json
    assert two.post(f"responses/{job['id']}/cancel").json["status"] == "cancelled"
    deadline = time.monotonic() + 60
    while (mine := one.get(f"responses/{job['id']}").json)["status"] != "cancelled":
        assert time.monotonic() < deadline and mine["status"] in ("queued", "in_progress"), mine
        time.sleep(0.05)
    assert mine["output"] == []


def test_files_uploaded_with_emulator_are_there_for_the_next_command(
    azresp: RunCli, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("buy milk\n")
    uploaded = azresp("files", "upload", "--emulator", str(notes))
    assert uploaded.exit_code == 0, uploaded.stderr
    file_id = uploaded.stdout.strip()
    listed = azresp("files", "list", "--emulator")
    assert listed.exit_code == 0, listed.stderr
    assert file_id in listed.stdout and "notes.txt" in listed.stdout
    assert azresp("files", "delete", "--emulator", file_id).exit_code == 0
    assert file_id not in azresp("files", "list", "--emulator").stdout


@pytest.mark.slow  # a background job runs its real time (seconds)
def test_memory_holds_the_running_responses_and_a_bounded_cache(tmp_path: Path) -> None:
    with start_in_thread(state_dir=tmp_path) as running:
        api = Api(running.base_url)
        made = [api.create(input=f"turn {n}").json for n in range(CACHE_SIZE + 40)]
        assert all(api.get(f"responses/{body['id']}").json == body for body in made)
        store = running.state.store
        assert isinstance(store, KeptResponseStore)
        assert store.live() == [] and store.in_memory() == CACHE_SIZE


def test_a_state_database_that_stops_taking_writes_still_answers(tmp_path: Path) -> None:
    with start_in_thread(state_dir=tmp_path) as running:
        api = Api(running.base_url)
        kept = api.create(input="kept").json
        store = running.state.store
        assert isinstance(store, KeptResponseStore)
        store.persistence.db.close()  # every later write fails, as on a full disk
        made = api.create(input="my name is Ada").json
        assert made["status"] == "completed"
        assert api.get(f"responses/{made['id']}").json == made  # served from memory
        follow = api.create(input="what is my name?", previous_response_id=made["id"]).json
        assert "my name is Ada" in follow["output"][0]["content"][0]["text"]
    with start_in_thread(state_dir=tmp_path) as again:
        assert Api(again.base_url).get(f"responses/{kept['id']}").json == kept
