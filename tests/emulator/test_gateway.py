"""Auth, deployments, request validation, routing, and the recorded-request log."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest
from emulator.support import TEST_KEY, Api, EmulatorFactory
from spec_validation import assert_valid

from azresp_cli.emulator.runner import EmulatorConfig, RunningEmulator

DENIED_PREFIX = "Access denied due to invalid subscription key or wrong API endpoint."


def test_missing_key_is_azures_401(emulator: RunningEmulator) -> None:
    reply = Api(emulator.base_url, headers={}).post("responses", {"model": "m", "input": "x"})
    assert reply.status == 401
    assert reply.json["error"]["code"] == "401"
    assert reply.json["error"]["message"].startswith(DENIED_PREFIX)
    assert reply.headers["apim-request-id"]


def test_bearer_and_api_key_are_both_accepted(emulator: RunningEmulator) -> None:
    for headers in ({"api-key": "anything"}, {"authorization": "Bearer some-token"}):
        assert Api(emulator.base_url, headers=headers).create(input="x").status == 200


def test_configured_keys_are_enforced(emulator_factory: EmulatorFactory) -> None:
    running = emulator_factory(EmulatorConfig(api_keys=frozenset({"right"})))
    assert Api(running.base_url, headers={"api-key": "right"}).create(input="x").status == 200
    wrong = Api(running.base_url, headers={"api-key": "wrong"}).post(
        "responses", {"model": "m", "input": "x"}
    )
    assert wrong.status == 401 and wrong.json["error"]["message"].startswith(DENIED_PREFIX)
    bearer = Api(running.base_url, headers={"authorization": "Bearer wrong"}).get(
        "responses/resp_x"
    )
    assert (
        bearer.status == 401
        and "Access token is missing, invalid" in bearer.json["error"]["message"]
    )


def test_unknown_deployment_is_404(emulator_factory: EmulatorFactory) -> None:
    running = emulator_factory(EmulatorConfig(deployments=frozenset({"gpt-test"})))
    api = Api(running.base_url)
    assert api.create(input="x").status == 200
    reply = api.post("responses", {"model": "gpt-other", "input": "x", "stream": True})
    assert reply.status == 404 and reply.error["code"] == "DeploymentNotFound"
    assert_valid("Error", reply.error)


@pytest.mark.parametrize(
    ("changes", "param", "code"),
    [
        ({"model": None}, "model", "missing_required_parameter"),
        ({"model": 3}, "model", "invalid_type"),
        ({"input": None}, "input", "missing_required_parameter"),
        ({"stream": "yes"}, "stream", "invalid_type"),
        ({"temperature": 3}, "temperature", "decimal_above_max_value"),
        ({"top_p": -1}, "top_p", "decimal_below_min_value"),
        ({"max_output_tokens": 5}, "max_output_tokens", "integer_below_min_value"),
        ({"reasoning": {"effort": "huge"}}, "reasoning.effort", "invalid_value"),
        ({"include": ["everything"]}, "include[0]", "invalid_value"),
        ({"metadata": {"a": 1}}, "metadata.a", "invalid_type"),
        ({"metadata": {str(n): "v" for n in range(17)}}, "metadata", "object_above_max_properties"),
        ({"text": {"format": {"type": "yaml"}}}, "text.format.type", "invalid_value"),
        ({"tools": [{"type": "function"}]}, "tools[0].name", "missing_required_parameter"),
        ({"tool_choice": "sometimes"}, "tool_choice", "invalid_value"),
        ({"frobnicate": True}, "frobnicate", "unknown_parameter"),
    ],
)
def test_bad_parameters_are_400_with_param(
    api: Api, changes: dict[str, Any], param: str, code: str
) -> None:
    body = {"model": "m", "input": "x", **changes}
    reply = api.post(
        "responses", {name: value for name, value in body.items() if value is not None}
    )
    assert reply.status == 400, reply.text
    assert (reply.error["param"], reply.error["code"]) == (param, code)
    assert_valid("Error", reply.error)


def test_message_wording_matches_the_service(api: Api) -> None:
    reply = api.post("responses", {"model": "m", "input": "x", "temperature": 3})
    assert (
        reply.error["message"]
        == "Invalid 'temperature': decimal above maximum value. Expected a value <= 2,"
        " but got 3 instead."
    )
    reply = api.post("responses", {"model": "m", "input": "x", "frobnicate": 1})
    assert reply.error["message"] == "Unknown parameter: 'frobnicate'."


def test_invalid_json_is_a_400(api: Api) -> None:
    reply = api.request(
        "POST", "responses", raw_body=b"{not json", headers={"content-type": "application/json"}
    )
    assert reply.status == 400 and "could not parse the JSON body" in reply.error["message"]


def test_unknown_routes_and_methods(api: Api) -> None:
    assert api.get("nothing/here").status == 404
    assert api.get("nothing/here").json == {
        "error": {"code": "404", "message": "Resource not found"}
    }
    assert api.request("PUT", "responses").status == 405


def test_requests_are_recorded_with_secrets_masked(emulator: RunningEmulator, api: Api) -> None:
    mcp = {
        "type": "mcp",
        "server_label": "docs",
        "server_url": "https://mcp.example",
        "headers": {"X-Token": "s3cret"},
        "authorization": "tok",
    }
    api.post(
        "responses", {"model": "m", "input": "x", "tools": [mcp]}, query={"api-version": "preview"}
    )
    api.get("responses/resp_gone", headers={"authorization": "Bearer tok-123"})
    first, second = emulator.requests
    assert (first.method, first.path, first.query) == (
        "POST",
        "/openai/v1/responses",
        {"api-version": "preview"},
    )
    assert first.headers["api-key"] == "***" and second.headers["authorization"] == "***"
    assert first.json["tools"][0]["headers"] == {"X-Token": "***"}
    assert first.json["tools"][0]["authorization"] == "***"
    assert TEST_KEY not in repr(emulator.requests) and "s3cret" not in repr(emulator.requests)
    assert second.json is None


def test_echoed_mcp_tools_leave_credentials_out(api: Api) -> None:
    mcp = {
        "type": "mcp",
        "server_label": "docs",
        "server_url": "https://mcp.example",
        "headers": {"X-Token": "s3cret"},
    }
    body = api.create(input="x", tools=[mcp]).json
    assert "headers" not in body["tools"][0] and "s3cret" not in json.dumps(body)


def test_control_routes_list_and_reset_requests(emulator: RunningEmulator, api: Api) -> None:
    created = api.create(input="x").json
    root = emulator.base_url.removesuffix("openai/v1/")
    listing = urllib.request.Request(  # noqa: S310  # our loopback URL
        root + "_emulator/requests", headers={"api-key": TEST_KEY}
    )
    with urllib.request.urlopen(listing) as reply:  # noqa: S310
        listed = json.loads(reply.read())
    assert listed[0]["path"] == "/openai/v1/responses" and listed[0]["json"]["input"] == "x"
    assert listed[0]["headers"]["api-key"] == "***"
    emulator.reset()
    assert emulator.requests == []
    assert api.get(f"responses/{created['id']}").status == 404  # stored responses are gone too
