"""A tiny real MCP server (streamable HTTP) to try the emulator's remote MCP tool against.

    python -m azresp_cli.emulator.demo_mcp --port 8765
    # then: {"type": "mcp", "server_label": "demo", "server_url": "http://127.0.0.1:8765/mcp"}

Tools: `add(a, b)` (read-only), `echo(text)`, `echo_headers()` (the HTTP headers of its
own request, as JSON: shows what the emulator forwarded) and `fail()` (always an error
result). `--require-header NAME:VALUE` answers 401 to requests without that header. Tests
start it in a thread with `start_in_thread()` and read `received`, the headers of every
HTTP request it got. Like the emulator it listens on loopback only.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import socket
import sys
import threading
import time
from collections.abc import Sequence
from types import TracebackType
from typing import Any

import uvicorn
from mcp import MCPError, types
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server
from starlette.types import ASGIApp, Receive, Scope, Send

PATH = "/mcp"
_NUMBER = {"type": "number"}
TOOLS = (
    types.Tool(
        name="add",
        description="Add two numbers.",
        input_schema={
            "type": "object",
            "properties": {"a": _NUMBER, "b": _NUMBER},
            "required": ["a", "b"],
        },
        annotations=types.ToolAnnotations(read_only_hint=True),
    ),
    types.Tool(
        name="echo",
        description="Return the text it is given.",
        input_schema={
            "type": "object",
            "properties": {"text": {"type": "string"}},
            "required": ["text"],
        },
    ),
    types.Tool(
        name="echo_headers",
        description="Return the HTTP headers of this request, as JSON.",
        input_schema={"type": "object", "properties": {}},
    ),
    types.Tool(
        name="fail",
        description="Always fails.",
        input_schema={"type": "object", "properties": {}},
    ),
)


class DemoMcpServer:
    """The demo server's MCP handlers and its ASGI app; `received` logs request headers.

    With `required_header` (name, value), requests without that header get HTTP 401, as a
    server behind an API key does.
    """

    def __init__(self, required_header: tuple[str, str] | None = None) -> None:
        self.received: list[dict[str, str]] = []
        self.required_header = required_header
        self._lock = threading.Lock()
        self._server: Server[Any] = Server(
            "azresp-demo", on_list_tools=self._list_tools, on_call_tool=self._call_tool
        )

    def app(self) -> ASGIApp:
        inner = self._server.streamable_http_app(streamable_http_path=PATH)

        async def recording(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http":
                headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
                with self._lock:
                    self.received.append(headers)
                if self.required_header is not None:
                    name, value = self.required_header
                    if headers.get(name.lower()) != value:
                        await _unauthorized(send)
                        return
            await inner(scope, receive, send)

        return recording

    async def _list_tools(
        self, ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return types.ListToolsResult(tools=list(TOOLS))

    async def _call_tool(
        self, ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        arguments = params.arguments or {}
        if params.name == "add":
            total = float(arguments.get("a", 0)) + float(arguments.get("b", 0))
            return _text(str(int(total)) if total.is_integer() else str(total))
        if params.name == "echo":
            return _text(str(arguments.get("text", "")))
        if params.name == "echo_headers":
            headers = dict(getattr(ctx.request, "headers", {}) or {})
            return _text(json.dumps(dict(sorted(headers.items()))))
        if params.name == "fail":
            return _text("the demo tool failed on purpose", is_error=True)
        raise MCPError(types.INVALID_PARAMS, f"Unknown tool: {params.name}")


class RunningDemoMcp:
    """A demo server serving from a daemon thread; `stop()` (or leaving `with`) ends it."""

    def __init__(
        self, url: str, demo: DemoMcpServer, server: uvicorn.Server, thread: threading.Thread
    ) -> None:
        self.url = url  # "http://127.0.0.1:PORT/mcp"
        self.demo = demo
        self._server = server
        self._thread = thread

    @property
    def received(self) -> list[dict[str, str]]:
        return list(self.demo.received)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=5)

    def __enter__(self) -> RunningDemoMcp:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start_in_thread(
    port: int = 0, required_header: tuple[str, str] | None = None
) -> RunningDemoMcp:
    """Serve on 127.0.0.1:`port` (0: a free one) from a daemon thread, once it is up."""
    listener = socket.create_server(("127.0.0.1", port))
    url = f"http://127.0.0.1:{listener.getsockname()[1]}{PATH}"
    demo = DemoMcpServer(required_header)
    server = _server(demo)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, name="demo-mcp", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            listener.close()
            raise RuntimeError(f"the demo MCP server did not start on {url}")
        time.sleep(0.005)
    return RunningDemoMcp(url, demo, server, thread)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="A demo MCP server for the azresp emulator.")
    parser.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (0: any)")
    parser.add_argument(
        "--require-header",
        metavar="NAME:VALUE",
        help="answer 401 to requests without this header (to try the MCP tool's `headers`)",
    )
    arguments = parser.parse_args(argv)
    port = arguments.port
    required = None
    if arguments.require_header:
        name, _, value = arguments.require_header.partition(":")
        required = (name.strip(), value.strip())
    listener = socket.create_server(("127.0.0.1", port))
    url = f"http://127.0.0.1:{listener.getsockname()[1]}{PATH}"
    sys.stdout.write(f"demo MCP server on {url} (Ctrl-C stops it)\n")
    sys.stdout.flush()
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how this demo is meant to end
        _server(DemoMcpServer(required), log_level="warning").run(sockets=[listener])


def _server(demo: DemoMcpServer, log_level: str = "error") -> uvicorn.Server:
    config = uvicorn.Config(
        demo.app(),
        lifespan="on",  # the MCP session manager runs inside the app's lifespan
        http="h11",
        ws="none",
        loop="asyncio",
        log_config=None,
        log_level=log_level,
        access_log=False,
        timeout_graceful_shutdown=1,
    )
    return uvicorn.Server(config)


async def _unauthorized(send: Send) -> None:
    body = b'{"error": "missing or wrong API key"}'
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": 401, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _text(text: str, *, is_error: bool = False) -> types.CallToolResult:
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=text)], is_error=is_error
    )


if __name__ == "__main__":
    main()
