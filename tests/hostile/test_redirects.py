"""A plain-http endpoint's client follows no redirect (core/client.py): a redirect could lead it
on to another host, or to an https host it would not verify."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cli_support import RunCli
from hostile.server import HostileServer, Reply


@pytest.fixture
def elsewhere() -> Iterator[HostileServer]:
    server = HostileServer()
    yield server
    server.stop()


def test_a_redirect_is_an_error_and_not_followed(
    azresp: RunCli, hostile: HostileServer, hostile_env: dict[str, str], elsewhere: HostileServer
) -> None:
    target = f"{elsewhere.base_url}/openai/v1/responses"
    hostile.route("POST", "/responses", Reply(307, {}, headers={"location": target}))
    result = azresp("chat", "hello", env=hostile_env)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "307" in result.stderr and "Traceback" not in result.stderr
    assert [seen.method for seen in hostile.seen] == ["POST"]
    assert elsewhere.seen == []  # the redirect's target never heard from azresp
