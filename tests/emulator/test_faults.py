"""Every fault directive and the x-emulator-fault header (see DIRECTIVES.md)."""

from __future__ import annotations

import pytest
from emulator.stream_checks import check_stream
from emulator.support import Api
from spec_validation import assert_sse_valid, assert_valid


def test_429_carries_retry_hints(api: Api) -> None:
    reply = api.post(
        "responses", {"model": "m", "input": "x [[fault:429 retry-after=2 retry-after-ms=1500]]"}
    )
    assert reply.status == 429
    assert (reply.headers["retry-after"], reply.headers["retry-after-ms"]) == ("2", "1500")
    assert reply.headers["x-ratelimit-remaining-requests"] == "0"
    assert (
        reply.error["code"] == "429" and "Please retry after 2 seconds." in reply.error["message"]
    )
    assert_valid("Error", reply.error)
    bare = api.post("responses", {"model": "m", "input": "x [[fault:429]]"})
    assert bare.status == 429 and "retry-after" not in bare.headers  # Azure sometimes omits it


@pytest.mark.parametrize(
    ("status", "code"),
    [
        ("500", "server_error"),
        ("502", "BadGateway"),
        ("503", "ServiceUnavailable"),
        ("408", "Timeout"),
    ],
)
def test_status_faults(api: Api, status: str, code: str) -> None:
    reply = api.post("responses", {"model": "m", "input": f"x [[fault:{status}]]", "stream": True})
    assert reply.status == int(status) and reply.headers["content-type"] == "application/json"
    assert reply.error["code"] == code
    assert_valid("Error", reply.error)


def test_once_fails_only_the_first_identical_request(api: Api) -> None:
    body = {"model": "m", "input": "retry me [[fault:503 once]]"}
    assert api.post("responses", body).status == 503
    assert api.post("responses", body).status == 200
    assert (
        api.post("responses", {**body, "input": "another prompt [[fault:503 once]]"}).status == 503
    )


def test_prompt_content_filter_is_azures_400(api: Api) -> None:
    reply = api.post(
        "responses", {"model": "m", "input": "x [[fault:content_filter]]", "stream": True}
    )
    assert reply.status == 400
    error = reply.error
    assert (error["code"], error["param"], error["status"]) == ("content_filter", "prompt", 400)
    assert error["innererror"]["code"] == "ResponsibleAIPolicyViolation"
    result = error["innererror"]["content_filter_result"]
    assert result["hate"] == {"filtered": True, "severity": "high"}
    assert result["violence"] == {"filtered": False, "severity": "safe"}
    assert result["jailbreak"] == {"filtered": False, "detected": False}
    assert_valid("Error", error)


def test_content_filter_categories_are_chosen(api: Api) -> None:
    reply = api.post(
        "responses", {"model": "m", "input": "x [[fault:content_filter violence,jailbreak]]"}
    )
    result = reply.error["innererror"]["content_filter_result"]
    assert [
        name for name in ("hate", "self_harm", "sexual", "violence") if result[name]["filtered"]
    ] == ["violence"]
    assert result["jailbreak"] == {"filtered": True, "detected": True}


def test_output_filter_streams_some_text_then_ends_incomplete(api: Api) -> None:
    events = check_stream(
        api.post(
            "responses", {"model": "m", "input": "x [[fault:output_filter]]", "stream": True}
        ).text
    )
    final = events[-1]
    assert final["type"] == "response.incomplete"
    assert final["response"]["incomplete_details"] == {"reason": "content_filter"}
    message = final["response"]["output"][0]
    assert message["status"] == "incomplete" and message["content"][0]["text"]
    plain = api.post("responses", {"model": "m", "input": "x [[fault:output_filter]]"})
    assert plain.status == 200 and plain.json["status"] == "incomplete"
    assert_valid("Response", plain.json)


def test_cut_closes_a_synchronous_stream_without_a_terminal_event(api: Api) -> None:
    reply = api.post("responses", {"model": "m", "input": "x [[fault:cut:4]]", "stream": True})
    events = check_stream(reply.text, expect_terminal=False)
    assert len(events) == 4
    stored = api.get(f"responses/{events[0]['response']['id']}").json
    assert stored["status"] == "cancelled"  # a synchronous response ends with its connection


def test_failed_sends_response_failed_then_an_error_event(api: Api) -> None:
    reply = api.post("responses", {"model": "m", "input": "x [[fault:failed]]", "stream": True})
    events = assert_sse_valid(reply.text)
    check_stream(reply.text.rsplit("event: error", 1)[0])  # everything up to the trailing error
    failed, error = events[-2:]
    assert failed["type"] == "response.failed"
    assert failed["response"]["status"] == "failed"
    assert failed["response"]["error"]["code"] == "server_error"
    assert error["type"] == "error" and error["sequence_number"] == failed["sequence_number"] + 1
    assert error["error"]["code"] == error["code"] == "server_error"  # nested and flat
    assert error["error"]["message"] == error["message"]
    plain = api.post("responses", {"model": "m", "input": "x [[fault:failed]]"})
    assert plain.status == 500 and plain.error["type"] == "server_error"


def test_error_event_ends_the_stream_without_a_terminal_event(api: Api) -> None:
    reply = api.post(
        "responses", {"model": "m", "input": "x [[fault:error_event]]", "stream": True}
    )
    events = check_stream(reply.text, expect_terminal=False)
    assert events[-1]["type"] == "error" and events[-1]["error"]["type"] == "server_error"
    stored = api.get(f"responses/{events[0]['response']['id']}").json
    assert stored["status"] == "failed"
    assert api.post("responses", {"model": "m", "input": "x [[fault:error_event]]"}).status == 500


def test_malformed_sends_a_frame_that_is_not_json(api: Api) -> None:
    body = {"model": "m", "input": "x [[fault:malformed]]", "stream": True}
    reply = api.post("responses", body, validate=False)
    frames = [frame for frame in reply.text.split("\n\n") if frame]
    assert len(frames) == 3
    with pytest.raises(ValueError):
        assert_sse_valid(reply.text)
    assert frames[-1].startswith("event: response.output_text.delta\ndata: {")


def test_faults_come_from_a_header_too(api: Api) -> None:
    reply = api.post(
        "responses", {"model": "m", "input": "x"}, headers={"x-emulator-fault": "429 retry-after=1"}
    )
    assert reply.status == 429 and reply.headers["retry-after"] == "1"
    created = api.create(input="x").json
    fetch = api.get(f"responses/{created['id']}", headers={"x-emulator-fault": "503 once"})
    assert fetch.status == 503
    assert (
        api.get(f"responses/{created['id']}", headers={"x-emulator-fault": "503 once"}).status
        == 200
    )
    streamed = api.post(
        "responses",
        {"model": "m", "input": "x", "stream": True},
        headers={"x-emulator-fault": "cut:3; no_resume"},
    )
    assert len(streamed.events) == 3


def test_unknown_faults_are_a_400(api: Api) -> None:
    for spec in ("teapot", "cut", "cut:x", "content_filter spite"):
        reply = api.post("responses", {"model": "m", "input": f"x [[fault:{spec}]]"})
        assert reply.status == 400 and reply.error["param"] == "input", spec


def test_directives_of_earlier_turns_do_not_fire_again(api: Api) -> None:
    first = api.post("responses", {"model": "m", "input": "x [[fault:503 once]]"})
    assert first.status == 503
    first = api.post("responses", {"model": "m", "input": "x [[fault:503 once]]"})
    second = api.create(input="plain", previous_response_id=first.json["id"]).json
    assert second["status"] == "completed"
