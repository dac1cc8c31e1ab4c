"""The emulator as an MCP client: listing and calling tools on a real server.

Streamable HTTP through the `mcp` package, one short connection per operation (the
service keeps no session between turns either). The request's `headers` go on every
HTTP request to the server and nowhere else: failures are described by status and
cause, never by the headers sent. `mcp` takes about a second to import, so it is
imported on the first MCP tool only, not when the emulator starts.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import json
import ssl
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from azresp_cli.emulator.errors import invalid_request
from azresp_cli.emulator.objects import Json

if TYPE_CHECKING:
    from mcp import Client

TIMEOUT = 15.0  # seconds for a whole list or call, connection included
_MAX_PAGES = 20  # tools/list pages followed before the list is taken as complete


def check_target(url: str, targets: str, param: str) -> None:
    """Refuse (400) an MCP server the emulator may not call: with `targets="loopback"`
    (`azresp emulator --allow-remote` without `--mcp-any-host`), only loopback addresses,
    so that a remote client cannot make the emulator POST to its own network. Names are
    not resolved: `localhost` counts as loopback, any other name does not."""
    if targets == "any":
        return
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise invalid_request(
        f"Invalid '{param}.server_url': this emulator calls MCP servers on loopback addresses"
        " only (it was started with --allow-remote; --mcp-any-host lifts this).",
        param=f"{param}.server_url",
    )


@dataclass(frozen=True)
class Listing:
    tools: tuple[Json, ...]  # {name, description, input_schema, annotations}
    error: str | None = None


@dataclass(frozen=True)
class CallResult:
    output: str | None
    error: Json | None = None  # an MCPToolCallError: protocol, execution or HTTP error


async def list_tools(url: str, headers: Mapping[str, str], label: str) -> Listing:
    statuses: list[int] = []
    try:
        async with asyncio.timeout(TIMEOUT), _connected(url, headers, statuses) as client:
            tools: list[Json] = []
            cursor: str | None = None
            for _ in range(_MAX_PAGES):
                page = await client.list_tools(cursor=cursor)
                tools += [_tool(tool) for tool in page.tools]
                cursor = page.next_cursor
                if cursor is None:
                    break
            return Listing(tuple(tools))
    except Exception as error:  # noqa: BLE001  # any failure of the server is reported, not raised
        cause = _describe(error, statuses)
        return Listing((), f"Error retrieving tool list from MCP server: '{label}'. {cause}")


async def call_tool(
    url: str, headers: Mapping[str, str], name: str, arguments: dict[str, Any]
) -> CallResult:
    from mcp import MCPError

    statuses: list[int] = []
    try:
        async with asyncio.timeout(TIMEOUT), _connected(url, headers, statuses) as client:
            result = await client.call_tool(name, arguments)
    except Exception as error:  # noqa: BLE001  # any failure of the server is reported, not raised
        leaf = _leaf(error)
        status = statuses[-1] if statuses else _status_of(leaf)
        if isinstance(leaf, MCPError) and status is None:
            return CallResult(None, _protocol_error(leaf.code, leaf.message))
        message = _describe(error, statuses)
        return CallResult(None, {"type": "http_error", "code": status or 424, "message": message})
    content = [block.model_dump(mode="json", exclude_none=True) for block in result.content]
    if result.is_error:
        return CallResult(None, {"type": "mcp_tool_execution_error", "content": content})
    texts = [block["text"] for block in content if block.get("type") == "text"]
    if texts:
        return CallResult("\n".join(texts))
    if result.structured_content is not None:
        return CallResult(json.dumps(result.structured_content))
    return CallResult(json.dumps(content))


@asynccontextmanager
async def _connected(
    url: str, headers: Mapping[str, str], statuses: list[int]
) -> AsyncIterator[Client]:
    """A connected client; `statuses` collects the HTTP errors of the server's replies.

    `mcp` turns a non-2xx reply into a bare "Server returned an error response", so the
    status (401 for a wrong key, say) is taken here, where the reply passes by.
    """
    import httpx2  # the HTTP client `mcp` itself is built on
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    async def note(response: httpx2.Response) -> None:
        # Only POSTs carry MCP requests; a 405 on the optional GET stream or DELETE is fine.
        if response.request.method == "POST" and response.status_code >= 400:
            statuses.append(response.status_code)

    timeout = httpx2.Timeout(TIMEOUT)
    hooks = {"response": [note]}
    tls = _tls_context()
    async with (
        httpx2.AsyncClient(
            headers=dict(headers), timeout=timeout, event_hooks=hooks, verify=tls
        ) as http,
        Client(streamable_http_client(url, http_client=http)) as client,
    ):
        yield client


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """The certificate store, loaded once: each operation opens its own client, and loading the
    store per client cost 40-80 ms of CPU on every MCP list and call."""
    import httpx2

    return httpx2.create_ssl_context()


def _tool(tool: Any) -> Json:
    annotations = tool.annotations
    return {
        "name": tool.name,
        "description": tool.description,
        "input_schema": dict(tool.input_schema),
        "annotations": None
        if annotations is None
        else annotations.model_dump(mode="json", by_alias=True, exclude_none=True),
    }


def _protocol_error(code: int, message: str) -> Json:
    return {"type": "mcp_protocol_error", "code": code, "message": message}


def _leaf(error: BaseException) -> BaseException:
    """The first real cause inside the task groups `mcp` and anyio wrap errors in."""
    while isinstance(error, BaseExceptionGroup) and error.exceptions:
        error = error.exceptions[0]
    return error


def _status_of(error: BaseException) -> int | None:
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None)
    return status if isinstance(status, int) else None


def _describe(error: BaseException, statuses: list[int]) -> str:
    leaf = _leaf(error)
    status = statuses[-1] if statuses else _status_of(leaf)
    if status is not None:
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "unknown status"
        return f"Http status code: {status} ({phrase})."
    if isinstance(leaf, TimeoutError):
        return f"The server did not answer within {TIMEOUT:g} seconds."
    detail = str(leaf) or type(leaf).__name__
    return f"Could not connect to the server ({type(leaf).__name__}: {detail})."
