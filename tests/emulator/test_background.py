"""Background mode: lifecycle, cancel, and stream replay/resume (docs/protocol.md §7)."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from emulator.stream_checks import check_stream
from emulator.support import Api, EmulatorFactory, read_frames
from spec_validation import assert_valid

from azresp_cli.emulator.runner import EmulatorConfig

SLOW = "[[slow:20]] [[long:200]]"  # about 80 deltas 20 ms apart: still running when cancelled


def _wait_for(
    api: Api, response_id: str, statuses: tuple[str, ...], timeout: float = 10
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        body: dict[str, Any] = api.get(f"responses/{response_id}").json
        assert_valid("Response", body)
        if body["status"] in statuses or time.monotonic() > deadline:
            return body
        time.sleep(0.02)


def test_background_post_returns_queued_then_completes(api: Api) -> None:
    queued = api.create(input="work in the background", background=True).json
    assert_valid("Response", queued)
    assert (queued["status"], queued["background"], queued["output"]) == ("queued", True, [])
    done = _wait_for(api, queued["id"], ("completed",))
    assert done["status"] == "completed" and done["output"][0]["type"] == "message"
    assert 'You said: "work in the background"' in done["output"][0]["content"][0]["text"]


def test_background_needs_store(api: Api) -> None:
    reply = api.post("responses", {"model": "m", "input": "x", "background": True, "store": False})
    assert reply.status == 400 and reply.error["param"] == "background"


def test_cancel_is_idempotent_and_keeps_no_output(api: Api) -> None:
    queued = api.create(input=SLOW, background=True).json
    _wait_for(api, queued["id"], ("in_progress",))
    first = api.post(f"responses/{queued['id']}/cancel")
    assert first.status == 200 and first.json["status"] == "cancelled"
    assert_valid("Response", first.json)
    second = api.post(f"responses/{queued['id']}/cancel")
    assert second.status == 200 and second.json == first.json
    time.sleep(0.1)  # the job must really have stopped
    assert api.get(f"responses/{queued['id']}").json == first.json


def test_cancel_refuses_synchronous_and_finished_responses(api: Api) -> None:
    sync = api.create(input="x").json
    reply = api.post(f"responses/{sync['id']}/cancel")
    assert reply.status == 400 and reply.error["message"] == "Cannot cancel a synchronous response."
    finished = api.create(input="x", background=True).json
    _wait_for(api, finished["id"], ("completed",))
    assert api.post(f"responses/{finished['id']}/cancel").status == 400


def test_background_stream_starts_queued_and_replays_identically(api: Api) -> None:
    live = api.post(
        "responses", {"model": "m", "input": "stream me", "background": True, "stream": True}
    )
    events = check_stream(live.text)
    assert [e["type"] for e in events[:3]] == [
        "response.created",
        "response.queued",
        "response.in_progress",
    ]
    response_id = events[0]["response"]["id"]
    replay = api.get(f"responses/{response_id}", query={"stream": "true"})
    assert replay.text == live.text  # sequence numbers are fixed per response


@pytest.mark.slow  # a background job runs its real time (seconds)
def test_resume_after_a_dropped_connection_misses_nothing(api: Api) -> None:
    response = api.open_stream(
        "POST", "responses", {"model": "m", "input": SLOW, "background": True, "stream": True}
    )
    seen = read_frames(response, 6)
    response.close()  # the client goes away; the job must not
    response_id = seen[0]["response"]["id"]
    cursor = seen[-1]["sequence_number"]
    rest = api.get(
        f"responses/{response_id}", query={"stream": "true", "starting_after": str(cursor)}
    )
    resumed = check_stream(rest.text, first_number=cursor + 1)
    assert resumed[-1]["type"] == "response.completed"
    full = api.get(f"responses/{response_id}", query={"stream": "true"}).events
    assert seen + resumed == full  # no duplicates, nothing missing


def test_cut_drops_only_the_connection_of_a_background_stream(api: Api) -> None:
    live = api.post(
        "responses",
        {"model": "m", "input": "x [[fault:cut:5]]", "background": True, "stream": True},
    )
    events = check_stream(live.text, expect_terminal=False)
    assert len(events) == 5
    response_id = events[0]["response"]["id"]
    rest = api.get(f"responses/{response_id}", query={"stream": "true", "starting_after": "4"})
    assert check_stream(rest.text, first_number=5)[-1]["type"] == "response.completed"


def test_a_follower_sees_the_cancel(api: Api) -> None:
    response = api.open_stream(
        "POST", "responses", {"model": "m", "input": SLOW, "background": True, "stream": True}
    )
    first = read_frames(response, 4)
    api.post(f"responses/{first[0]['response']['id']}/cancel")
    rest = response.read().decode()
    response.close()
    events = check_stream("".join(_frame(e) for e in first) + rest, check_items=False)
    assert events[-1]["type"] == "response.failed"
    assert events[-1]["response"]["status"] == "cancelled"


def _frame(event: dict[str, Any]) -> str:
    return f"event: {event['type']}\ndata: {json.dumps(event)}\n\n"


def test_stream_replay_is_refused_unless_background_and_streamed(api: Api) -> None:
    sync_stored = api.create(input="x").json
    background_plain = api.create(input="x", background=True).json
    for response_id in (sync_stored["id"], background_plain["id"]):
        reply = api.get(f"responses/{response_id}", query={"stream": "true"})
        assert reply.status == 400 and reply.error["param"] == "stream"
        assert "background=true and stream=true" in reply.error["message"]
    unstored = api.create(input="x", store=False).json
    assert api.get(f"responses/{unstored['id']}", query={"stream": "true"}).status == 404


def test_no_resume_fault_refuses_the_replay(api: Api) -> None:
    live = api.post(
        "responses",
        {"model": "m", "input": "x [[fault:no_resume]]", "background": True, "stream": True},
    )
    response_id = live.events[0]["response"]["id"]
    reply = api.get(f"responses/{response_id}", query={"stream": "true", "starting_after": "2"})
    assert reply.status == 400 and "can no longer be resumed" in reply.error["message"]


def test_deleting_a_running_job_stops_it(api: Api) -> None:
    queued = api.create(input=SLOW, background=True).json
    assert api.delete(f"responses/{queued['id']}").json["deleted"] is True
    assert api.get(f"responses/{queued['id']}").status == 404


def test_chaining_from_a_running_job_is_refused(api: Api) -> None:
    queued = api.create(input=SLOW, background=True).json
    reply = api.post(
        "responses", {"model": "m", "input": "x", "previous_response_id": queued["id"]}
    )
    assert reply.status == 400 and reply.error["param"] == "previous_response_id"
    api.post(f"responses/{queued['id']}/cancel")


def test_closing_a_synchronous_stream_cancels_its_response(api: Api) -> None:
    response = api.open_stream("POST", "responses", {"model": "m", "input": SLOW, "stream": True})
    first = read_frames(response, 4)
    response.close()
    cancelled = _wait_for(api, first[0]["response"]["id"], ("cancelled",))
    assert cancelled["status"] == "cancelled"


def test_background_step_paces_the_job(emulator_factory: EmulatorFactory) -> None:
    running = emulator_factory(EmulatorConfig(background_step=5.0))
    api = Api(running.base_url)
    queued = api.create(input="x", background=True).json
    assert api.get(f"responses/{queued['id']}").json["status"] in ("queued", "in_progress")
    assert api.post(f"responses/{queued['id']}/cancel").json["status"] == "cancelled"
