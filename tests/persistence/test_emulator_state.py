"""The emulator's state kept in a directory: what `--emulator` commands share between processes,
and what `azresp emulator --state DIR` keeps across restarts."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from azresp_fixtures import assert_one_error
from cli_support import RunCli
from emulator.support import Api, read_frames

from azresp_cli.emulator.persistence import Persistence
from azresp_cli.emulator.runner import EmulatorConfig, start_in_thread
from azresp_cli.emulator.statedb import StateDb

SLOW = "[[slow:30]] [[long:200]]"


def saved(directory: Path) -> dict[str, dict[str, Any]]:
    """The responses in a state directory's database, by id, as written."""
    db = sqlite3.connect(directory / "state.db")
    try:
        return {rid: json.loads(body) for rid, body in db.execute("SELECT id, body FROM responses")}
    finally:
        db.close()


def test_stored_responses_chains_and_input_items_survive_a_restart(tmp_path: Path) -> None:
    with start_in_thread(state_dir=tmp_path) as first:
        api = Api(first.base_url)
        one = api.create(input="my name is Ada").json
    with start_in_thread(state_dir=tmp_path) as second:
        api = Api(second.base_url)
        assert api.get(f"responses/{one['id']}").json == one
        assert api.get(f"responses/{one['id']}/input_items").json["data"][0]["role"] == "user"
        two = api.create(input="what is my name?", previous_response_id=one["id"]).json
        assert "my name is Ada" in two["output"][0]["content"][0]["text"]


def test_files_are_user_only(tmp_path: Path) -> None:
    state = tmp_path / "deep" / "emulator"
    with start_in_thread(state_dir=state) as running:
        Api(running.base_url).create(input="x")
    for path in (tmp_path / "deep", state):
        assert stat.S_IMODE(path.stat().st_mode) == 0o700, path
    for path in state.iterdir():  # the database, its WAL files and the secret
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert {"state.db", "secret"} <= {path.name for path in state.iterdir()}


@pytest.mark.slow  # a background job runs its real time (seconds)
def test_a_job_left_running_goes_on_in_the_next_process(tmp_path: Path) -> None:
    body = {"model": "m", "input": SLOW, "background": True, "stream": True}
    with start_in_thread(state_dir=tmp_path) as first:
        live = Api(first.base_url).open_stream("POST", "responses", body)
        seen = read_frames(live, 4)
        live.close()  # the client goes away, then the process ends with the job running
    response_id = seen[0]["response"]["id"]
    assert saved(tmp_path)[response_id]["snapshot"]["status"] in ("queued", "in_progress")
    with start_in_thread(state_dir=tmp_path) as second:
        api = Api(second.base_url)
        replay = api.get(f"responses/{response_id}", query={"stream": "true"}, timeout=60)
        events = replay.events
        assert events[:4] == seen  # the same events, with the same numbers
        assert [e["sequence_number"] for e in events] == list(range(len(events)))
        assert events[-1]["type"] == "response.completed"
        assert api.get(f"responses/{response_id}").json["status"] == "completed"


def test_a_job_whose_time_has_passed_is_finished_when_loaded(tmp_path: Path) -> None:
    with start_in_thread(state_dir=tmp_path) as first:
        job = Api(first.base_url).create(input=SLOW, background=True, stream=False).json
    data = saved(tmp_path)[job["id"]]
    assert data["snapshot"]["status"] in ("queued", "in_progress")
    data["saved_at"] -= 3600  # an hour passed with no process running
    db = sqlite3.connect(tmp_path / "state.db")
    with db:
        db.execute("UPDATE responses SET body = ?", (json.dumps(data),))
    db.close()
    with start_in_thread(state_dir=tmp_path):  # takes the job over and finishes it at once
        record = saved(tmp_path)[job["id"]]
        assert record["snapshot"]["status"] == "completed"
        assert record["snapshot"]["output"][0]["type"] == "message"
    with start_in_thread(state_dir=tmp_path) as second:
        body = Api(second.base_url).get(f"responses/{job['id']}").json
        assert body["status"] == "completed" and body["output"][0]["type"] == "message"


def test_encrypted_reasoning_from_one_process_verifies_in_the_next(tmp_path: Path) -> None:
    with start_in_thread(state_dir=tmp_path) as first:
        turn = (
            Api(first.base_url)
            .create(
                input="my name is Ada",
                store=False,
                reasoning={"effort": "low"},
                include=["reasoning.encrypted_content"],
            )
            .json
        )
    replay = [{"role": "user", "content": "my name is Ada"}, *turn["output"]]
    with start_in_thread(state_dir=tmp_path) as second:
        api = Api(second.base_url)
        follow = api.create(input=[*replay, {"role": "user", "content": "my name?"}], store=False)
        assert "my name is Ada" in follow.json["output"][-1]["content"][0]["text"]
        tampered = [dict(item) for item in replay]
        tampered[1]["encrypted_content"] = tampered[1]["encrypted_content"][:-4] + "AAAA"
        refused = api.post("responses", {"model": "m", "input": tampered, "store": False})
        assert refused.status == 400 and refused.error["code"] == "invalid_encrypted_content"


def test_only_the_newest_responses_are_kept(tmp_path: Path) -> None:
    with start_in_thread(state_dir=tmp_path) as running:
        api = Api(running.base_url)
        made = [api.create(input=f"turn {number}").json["id"] for number in range(5)]
    keeper = Persistence(StateDb(tmp_path), max_responses=3)
    loaded = keeper.load(made[-1])
    assert loaded is not None
    keeper.insert(loaded[0], None)  # a new response makes room by dropping the oldest
    kept = saved(tmp_path)
    assert sorted(kept) == sorted(made[2:])


def test_responses_kept_as_files_by_an_earlier_version_are_taken_in(tmp_path: Path) -> None:
    with start_in_thread(state_dir=tmp_path / "new") as running:
        made = Api(running.base_url).create(input="my name is Ada").json
    legacy = tmp_path / "old" / "responses"
    legacy.mkdir(parents=True)
    (legacy / f"{made['id']}.json").write_text(json.dumps(saved(tmp_path / "new")[made["id"]]))
    with start_in_thread(state_dir=tmp_path / "old") as running:
        assert Api(running.base_url).get(f"responses/{made['id']}").json == made
    assert not legacy.exists()


def test_a_cancel_survives_and_a_deleted_response_is_gone(tmp_path: Path) -> None:
    with start_in_thread(state_dir=tmp_path) as first:
        api = Api(first.base_url)
        job = api.create(input=SLOW, background=True).json
        api.post(f"responses/{job['id']}/cancel")
        gone = api.create(input="x").json
        api.delete(f"responses/{gone['id']}")
    with start_in_thread(state_dir=tmp_path) as second:
        api = Api(second.base_url)
        assert api.get(f"responses/{job['id']}").json["status"] == "cancelled"
        assert api.get(f"responses/{gone['id']}").status == 404


def test_without_a_directory_nothing_is_kept(tmp_path: Path) -> None:
    with start_in_thread() as first:
        one = Api(first.base_url).create(input="x").json
    with start_in_thread(config=EmulatorConfig()) as second:
        assert Api(second.base_url).get(f"responses/{one['id']}").status == 404


# --------------------------- through the CLI: --emulator ---------------------------


def test_emulator_commands_share_their_responses(azresp: RunCli, dirs: tuple[Path, Path]) -> None:
    first = azresp("chat", "--emulator", "my name is Ada")
    assert first.exit_code == 0, first.stderr
    follow = azresp("chat", "--emulator", "-c", "what is my name?")
    assert follow.exit_code == 0, follow.stderr
    assert "my name is Ada" in follow.stdout
    response_id = azresp("history", "list", "--json").stdout
    last = json.loads(response_id)[0]["last_response_id"]
    shown = azresp("get", "--emulator", last)
    assert shown.exit_code == 0 and "what is my name?" in shown.stdout
    assert (dirs[1] / "emulator" / "secret").exists()


@pytest.mark.slow  # a background job runs its real time (seconds)
def test_a_background_job_outlives_the_command_that_started_it(azresp: RunCli) -> None:
    started = azresp("bg", "start", "--emulator", "[[slow:20]] [[long:120]]")
    assert started.exit_code == 0, started.stderr
    response_id = started.stdout.strip()
    assert f"azresp bg poll --wait --emulator {response_id}" in started.stderr
    waited = azresp("bg", "poll", "--emulator", "--wait", "--interval", "0.01", response_id)
    assert waited.exit_code == 0, waited.stderr
    assert len(waited.stdout.split()) > 60
    streamed = azresp("bg", "stream", "--emulator", response_id)
    assert streamed.stdout == waited.stdout


def test_stateless_replay_works_across_emulator_processes(azresp: RunCli) -> None:
    first = azresp("chat", "--emulator", "--no-store", "--effort", "low", "my name is Ada")
    assert first.exit_code == 0, first.stderr
    follow = azresp("chat", "--emulator", "-c", "what is my name?")
    assert follow.exit_code == 0, follow.stderr
    assert "my name is Ada" in follow.stdout


def test_tampered_encrypted_reasoning_is_refused_with_its_request_id(
    azresp: RunCli, dirs: tuple[Path, Path]
) -> None:
    import sqlite3

    assert azresp("chat", "--emulator", "--no-store", "--effort", "low", "hello").exit_code == 0
    db = sqlite3.connect(dirs[1] / "history.db")
    (items,) = db.execute("SELECT items FROM turns").fetchone()
    replay = json.loads(items)
    reasoning = next(item for item in replay if item["type"] == "reasoning")
    reasoning["encrypted_content"] = "x" + reasoning["encrypted_content"][1:]
    db.execute("UPDATE turns SET items = ?", (json.dumps(replay),))
    db.commit()
    db.close()
    line = assert_one_error(azresp("chat", "--emulator", "-c", "again"), 1)
    assert "could not be verified" in line and "HTTP 400" in line and "request id " in line


def start_emulator_command(state: Path) -> tuple[subprocess.Popen[str], Api]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AZURE_", "AZRESP_"))}
    process = subprocess.Popen(
        [sys.executable, "-m", "azresp_cli", "emulator", "--port", "0", "--state", str(state)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    return process, Api(process.stdout.readline().strip())


def stop(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGINT)
    process.wait(timeout=20)


@pytest.mark.slow
def test_the_emulator_command_keeps_state_in_a_directory(tmp_path: Path) -> None:
    process, api = start_emulator_command(tmp_path / "state")
    try:
        created = api.create(input="x").json
    finally:
        stop(process)
    process, api = start_emulator_command(tmp_path / "state")
    try:
        assert api.get(f"responses/{created['id']}").json == created
    finally:
        stop(process)


def test_every_part_of_a_plan_is_saved_and_read_back() -> None:
    import dataclasses

    from azresp_cli.emulator import events
    from azresp_cli.emulator.persistence import _decode

    plan = events.Plan(
        message_id="msg_1",
        text="hello",
        reasoning=events.ReasoningPlan("rs_1", ("thinking",), 12, "sealed.token"),
        calls=(events.CallPlan("fc_1", "call_1", "get_weather", '{"city":"Paris"}'),),
        hosted=(events.ItemScript({"id": "ci_1"}, ({"type": "x"},), {"id": "ci_1"}, 3),),
        annotations=({"type": "url_citation", "end_index": 2},),
        ending="output_filter",
        filtered=("violence",),
        input_tokens=7,
        is_background=True,
        background_step=0.5,
    )
    saved = json.loads(json.dumps(dataclasses.asdict(plan)))
    assert _decode(events.Plan, saved) == plan
