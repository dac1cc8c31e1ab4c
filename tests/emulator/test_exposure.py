"""What a web page or a remote client can make the emulator do: the control routes, Host
checks (DNS rebinding), and where its MCP client may connect."""

from __future__ import annotations

from typing import Any

import pytest
from emulator.support import Api, EmulatorFactory

from azresp_cli.emulator.runner import EmulatorConfig, RunningEmulator

KEY = "the-only-key"


@pytest.fixture
def keyed(emulator_factory: EmulatorFactory) -> RunningEmulator:
    return emulator_factory(EmulatorConfig(api_keys=frozenset({KEY})))


def _control(running: RunningEmulator, **headers: str) -> Api:
    return Api(running.base_url, headers=headers)


def test_the_request_log_needs_the_key(keyed: RunningEmulator) -> None:
    Api(keyed.base_url, headers={"api-key": KEY}).create(input="secret plans")
    for headers in ({}, {"api-key": "guess"}):
        reply = _control(keyed, **headers).get("/_emulator/requests", validate=False)
        assert reply.status == 401 and "secret plans" not in reply.text
    allowed = _control(keyed, **{"api-key": KEY}).get("/_emulator/requests", validate=False)
    assert allowed.status == 200 and "secret plans" in allowed.text


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"content-type": "text/plain"}, 401),
        ({"api-key": KEY, "content-type": "text/plain"}, 415),
        ({"api-key": KEY, "content-type": "application/x-www-form-urlencoded"}, 415),
        ({"api-key": KEY, "content-type": ""}, 415),
    ],
    ids=["no-key", "no-key-text-plain", "text-plain", "form", "no-content-type"],
)
def test_reset_refuses_requests_a_web_page_could_send(
    keyed: RunningEmulator, headers: dict[str, str], status: int
) -> None:
    api = Api(keyed.base_url, headers={"api-key": KEY})
    created = api.create(input="keep me").json
    reply = _control(keyed, **headers).post("/_emulator/reset", raw_body=b"{}", validate=False)
    assert reply.status == status
    assert reply.json["error"]["message"]
    assert api.get(f"responses/{created['id']}").status == 200  # nothing was wiped


def test_reset_with_the_key_and_json_wipes(keyed: RunningEmulator) -> None:
    api = Api(keyed.base_url, headers={"api-key": KEY})
    created = api.create(input="x").json
    reply = _control(keyed, **{"api-key": KEY}).post("/_emulator/reset", {}, validate=False)
    assert reply.status == 200 and reply.json == {"reset": True}
    assert api.get(f"responses/{created['id']}").status == 404


@pytest.mark.parametrize("path", ["/_emulator/requests", "responses/resp_x", "files"])
def test_a_foreign_host_name_is_refused(emulator: RunningEmulator, path: str) -> None:
    api = Api(emulator.base_url)
    port = emulator.base_url.split(":")[2].split("/")[0]
    reply = api.get(path, headers={"host": f"rebound.example:{port}"}, validate=False)
    assert reply.status == 403
    assert "rebound.example" in reply.json["error"]["message"]
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", "127.0.0.1"):
        assert api.get(path, headers={"host": host}, validate=False).status != 403


def _mcp_request(url: str) -> dict[str, Any]:
    tool = {"type": "mcp", "server_label": "far", "server_url": url, "require_approval": "never"}
    return {"model": "m", "input": "[[mcp:far.add]]", "tools": [tool]}


def test_a_loopback_only_mcp_client_refuses_other_hosts(
    emulator_factory: EmulatorFactory,
) -> None:
    running = emulator_factory(EmulatorConfig(mcp_targets="loopback"))
    reply = Api(running.base_url).post("responses", _mcp_request("http://mcp.invalid/mcp"))
    assert reply.status == 400
    assert reply.error["param"] == "tools[0].server_url"
    assert "--allow-remote" in reply.error["message"] and "--mcp-any-host" in reply.error["message"]


def test_a_loopback_only_mcp_client_still_calls_loopback_servers(
    emulator_factory: EmulatorFactory,
) -> None:
    running = emulator_factory(EmulatorConfig(mcp_targets="loopback"))
    # Nothing listens on port 9 of loopback: the call is made and fails as unreachable.
    body = Api(running.base_url).create(**_mcp_request("http://127.0.0.1:9/mcp")).json
    listing = body["output"][0]
    assert listing["type"] == "mcp_list_tools" and "MCP server: 'far'" in listing["error"]
