"""Fixtures for the hosted-tool tests: validating clients and a real loopback MCP server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from emulator_tools.tool_support import ToolsApi, validating_client
from openai import OpenAI

from azresp_cli.emulator.runner import RunningEmulator

if TYPE_CHECKING:
    from azresp_cli.emulator import demo_mcp


@pytest.fixture
def api(emulator: RunningEmulator) -> ToolsApi:
    return ToolsApi(emulator.base_url)


@pytest.fixture
def client(emulator: RunningEmulator) -> Iterator[OpenAI]:
    sdk = validating_client(emulator.base_url)
    yield sdk
    sdk.close()


@pytest.fixture(scope="session")
def _demo_mcp_server() -> Iterator[demo_mcp.RunningDemoMcp]:
    # imported when a test needs it: the MCP SDK takes two seconds to import, at every collection
    from azresp_cli.emulator import demo_mcp

    with demo_mcp.start_in_thread() as running:
        yield running


@pytest.fixture
def mcp_server(_demo_mcp_server: demo_mcp.RunningDemoMcp) -> demo_mcp.RunningDemoMcp:
    """The demo MCP server on 127.0.0.1, with its log of received headers emptied."""
    _demo_mcp_server.demo.received.clear()
    return _demo_mcp_server
