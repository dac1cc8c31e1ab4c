"""Local MCP servers (``--mcp-local NAME='COMMAND ARGS'``), bridged as local function tools.

Each server runs as a child process spoken to over stdio with the official ``mcp`` SDK. Its
tools are offered to the model as function tools named ``NAME__tool`` with the server's input
schema; the model's calls go through the same approval flow and tool loop as ``--tool``
functions (core/tool_loop.py). A server starts at the first turn that needs its tools and is
reused for the whole session; ``close`` (also run at interpreter exit) stops it: stdin closed,
then SIGTERM/SIGKILL of its process group, as the SDK does. Its stderr goes to the debug log
(``--debug``), never to the terminal.

The SDK is async; the engine is not. Each server gets one event-loop thread that owns the
``mcp.Client`` for its whole life, and the engine submits calls to that loop.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import logging
import os
import re
import shlex
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Any

from azresp_cli.core.errors import AzrespError, ExitCode, UsageError

log = logging.getLogger("azresp.mcp_local")

SEPARATOR = "__"
DEFAULT_OUTPUT_LIMIT = 20_000  # characters of a tool result the model gets before truncation
START_TIMEOUT = 30.0
CALL_TIMEOUT = 120.0
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_TOOL_CHARS = re.compile(r"[^A-Za-z0-9_-]")
_MAX_TOOL_NAME = 64


@dataclass(frozen=True)
class LocalServerSpec:
    """One ``--mcp-local`` server (or ``[mcp_local.NAME]`` table)."""

    name: str
    command: tuple[str, ...]
    allow: frozenset[str] = frozenset()  # tools approved without asking (config ``allow``)
    deny: frozenset[str] = frozenset()  # tools always refused (config ``deny``)
    output_limit: int = DEFAULT_OUTPUT_LIMIT


def parse_spec(raw: str) -> LocalServerSpec:
    """``NAME=COMMAND ARGS...`` (the command split as a shell would); raises UsageError."""
    name, sep, command = raw.partition("=")
    name = name.strip()
    if not sep or not command.strip():
        raise UsageError(
            f"--mcp-local takes NAME='COMMAND ARGS...', not '{raw}'",
            hint="e.g. --mcp-local fs='npx -y @modelcontextprotocol/server-filesystem .'",
        )
    check_name(name)
    try:
        argv = tuple(shlex.split(command))
    except ValueError as exc:
        raise UsageError(f"--mcp-local {name}: cannot split the command: {exc}") from None
    return LocalServerSpec(name, argv)


def check_name(name: str) -> None:
    if not _NAME.match(name) or SEPARATOR in name:
        raise UsageError(
            f"'{name}' cannot name a local MCP server",
            hint="use up to 32 letters, digits, - and single _ (no '__')",
        )


def spec_from_config(name: str, table: Mapping[str, Any]) -> LocalServerSpec:
    """A ``[mcp_local.NAME]`` table: ``command`` (a string or a list), ``allow``, ``deny``,
    ``max_output_chars``; raises UsageError when it is malformed."""
    check_name(name)
    raw = table.get("command")
    if isinstance(raw, str):
        argv = tuple(shlex.split(raw))
    elif isinstance(raw, list) and all(isinstance(part, str) for part in raw):
        argv = tuple(raw)
    elif raw is None:
        argv = ()  # only the lists: the command comes from --mcp-local NAME=COMMAND
    else:
        raise UsageError(
            f'[mcp_local.{name}] needs command = "PROGRAM ARGS..."',
            hint="azresp config path shows the file",
        )
    limit = table.get("max_output_chars", DEFAULT_OUTPUT_LIMIT)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 100:
        raise UsageError(f"[mcp_local.{name}] max_output_chars must be an integer >= 100")
    return LocalServerSpec(
        name, argv, _names(table, "allow", name), _names(table, "deny", name), limit
    )


def _names(table: Mapping[str, Any], key: str, server: str) -> frozenset[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise UsageError(f"[mcp_local.{server}] {key} must be a list of tool names")
    return frozenset(value)


@dataclass(frozen=True)
class LocalTool:
    """One tool of a local server, as the model sees it (``name`` is ``SERVER__tool``)."""

    server: str
    tool: str  # the server's own name for it
    name: str
    description: str | None
    parameters: Mapping[str, Any]

    def spec(self) -> dict[str, Any]:
        spec: dict[str, Any] = {
            "type": "function",
            "name": self.name,
            "parameters": dict(self.parameters),
            "strict": False,  # a server's schema need not meet strict mode's rules
        }
        if self.description:
            spec["description"] = self.description
        return spec


def function_name(server: str, tool: str) -> str:
    return f"{server}{SEPARATOR}{_TOOL_CHARS.sub('_', tool)}"[:_MAX_TOOL_NAME]


@dataclass(frozen=True)
class CallOutput:
    """A tool's result for the model: ``text`` always, ``parts`` when it holds images/files."""

    text: str
    parts: tuple[dict[str, Any], ...] | None = None
    is_error: bool = False


class ServerFailed(Exception):
    """The server could not start, or died or timed out during a call."""


class ToolServerError(AzrespError):
    """A command's local MCP server did not start (exit code 13)."""

    exit_code = ExitCode.TOOL_SERVER
    default_hint = "run the server's command by hand to see its errors (--debug shows its stderr)"


class LocalServer:
    """One running server: an event-loop thread that owns the ``mcp.Client``."""

    def __init__(self, spec: LocalServerSpec) -> None:
        self.spec = spec
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._client: Any = None
        self._stop: asyncio.Event | None = None
        self._ready: Future[list[Any]] = Future()
        self._done = threading.Event()
        self.pid: int | None = None

    def start(self, timeout: float = START_TIMEOUT) -> list[LocalTool]:
        """Start the server and list its tools; raises ServerFailed."""
        if not self.spec.command:
            raise ServerFailed(f"local MCP server '{self.spec.name}' has an empty command")
        self._thread = threading.Thread(
            target=self._run, name=f"mcp-local-{self.spec.name}", daemon=True
        )
        self._thread.start()
        try:
            listed = self._ready.result(timeout)
        except FutureTimeout:
            self.close()
            raise ServerFailed(
                f"local MCP server '{self.spec.name}' did not answer within {timeout:.0f}s"
            ) from None
        except ServerFailed:
            self.close()
            raise
        return [self._tool(tool) for tool in listed]

    def call(self, tool: str, arguments: dict[str, Any], timeout: float = CALL_TIMEOUT) -> Any:
        """The SDK's CallToolResult; raises ServerFailed when the server is gone or too slow."""
        loop, client = self._loop, self._client
        if loop is None or client is None or self._done.is_set():
            raise ServerFailed(f"local MCP server '{self.spec.name}' is not running")
        future = asyncio.run_coroutine_threadsafe(
            asyncio.wait_for(client.call_tool(tool, arguments), timeout), loop
        )
        try:
            return future.result(timeout + 5)
        except (TimeoutError, FutureTimeout):
            future.cancel()
            raise ServerFailed(
                f"local MCP server '{self.spec.name}' did not answer {tool} within {timeout:.0f}s"
            ) from None
        except Exception as exc:
            raise ServerFailed(
                f"local MCP server '{self.spec.name}' failed during {tool}: {_describe(exc)}"
            ) from exc

    def close(self, timeout: float = 8.0) -> None:
        """Stop the server (idempotent); waits for the SDK's shutdown sequence."""
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None and not self._done.is_set():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(stop.set)
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve())
        except BaseException as exc:  # noqa: BLE001 - reported through _ready
            if not self._ready.done():
                self._ready.set_exception(
                    ServerFailed(
                        f"local MCP server '{self.spec.name}' failed to start: {_describe(exc)}"
                    )
                )
        finally:
            self._done.set()
            loop.close()

    async def _serve(self) -> None:
        from mcp import Client
        from mcp.client.stdio import StdioServerParameters, stdio_client

        self._stop = asyncio.Event()
        read_fd, write_fd = os.pipe()
        errlog = os.fdopen(write_fd, "w")
        threading.Thread(target=_log_stderr, args=(read_fd, self.spec.name), daemon=True).start()
        command, *args = self.spec.command
        params = StdioServerParameters(command=command, args=list(args), env=_environment())
        try:
            async with Client(stdio_client(params, errlog=errlog)) as client:
                errlog.close()  # the child has its copy; EOF comes when it exits
                tools: list[Any] = []
                cursor: str | None = None
                for _ in range(20):
                    page = await client.list_tools(cursor=cursor)
                    tools += page.tools
                    cursor = page.next_cursor
                    if cursor is None:
                        break
                self._client = client
                self._ready.set_result(tools)
                await self._stop.wait()
                self._client = None
        finally:
            if not errlog.closed:
                errlog.close()

    def _tool(self, tool: Any) -> LocalTool:
        return LocalTool(
            server=self.spec.name,
            tool=tool.name,
            name=function_name(self.spec.name, tool.name),
            description=tool.description,
            parameters=tool.input_schema or {"type": "object", "properties": {}},
        )


def _environment() -> dict[str, str]:
    # The SDK passes only a few variables by default; a server run from the user's shell
    # expects the shell's environment (its virtualenv, NODE_PATH ...).
    return dict(os.environ)


def _log_stderr(fd: int, name: str) -> None:
    with os.fdopen(fd, "r", encoding="utf-8", errors="replace") as stream:
        for line in stream:
            log.debug("mcp-local %s stderr: %s", name, line.rstrip("\n"))


def _describe(exc: BaseException) -> str:
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    text = str(exc) or type(exc).__name__
    if isinstance(exc, FileNotFoundError):
        return f"command not found: {exc.filename or text}"
    return text


# The names of this process's local servers: the approval prompt says where a tool's answer is
# saved ([mcp_local.NAME] rather than the profile) from the call alone.
_SESSION_SERVERS: set[str] = set()


def local_server_of(function: str) -> str | None:
    """The local server whose tool ``function`` (``NAME__tool``) is, or None."""
    server, sep, tool = function.partition(SEPARATOR)
    return server if sep and tool and server in _SESSION_SERVERS else None


@dataclass
class LocalMcp:
    """The session's local servers: started once, on the first turn, and stopped at the end."""

    specs: tuple[LocalServerSpec, ...] = ()
    servers: dict[str, LocalServer] = field(default_factory=dict)
    tools: dict[str, LocalTool] = field(default_factory=dict)  # by function name
    failed: dict[str, str] = field(default_factory=dict)  # server name: why it did not start
    started: bool = False

    def __post_init__(self) -> None:
        _SESSION_SERVERS.update(spec.name for spec in self.specs)

    def start(self) -> list[tuple[str, tuple[str, ...], str | None]]:
        """Start every server not yet started: (name, its tools, error) for each."""
        if self.started:
            return []
        self.started = True
        atexit.register(self.close)
        report: list[tuple[str, tuple[str, ...], str | None]] = []
        for spec in self.specs:
            server = LocalServer(spec)
            try:
                listed = server.start()
            except ServerFailed as exc:
                self.failed[spec.name] = str(exc)
                report.append((spec.name, (), str(exc)))
                continue
            self.servers[spec.name] = server
            for tool in listed:
                self.tools[tool.name] = tool
            report.append((spec.name, tuple(tool.tool for tool in listed), None))
        return report

    def specs_for_request(self) -> list[dict[str, Any]]:
        return [tool.spec() for tool in self.tools.values()]

    def owns(self, function: str) -> bool:
        return function in self.tools or function.split(SEPARATOR, 1)[0] in self.failed

    def tool_of(self, function: str) -> LocalTool | None:
        return self.tools.get(function)

    def spec_of(self, server: str) -> LocalServerSpec | None:
        return next((spec for spec in self.specs if spec.name == server), None)

    def call(self, function: str, arguments: str) -> CallOutput:
        """Run the model's call; every failure becomes an error output for the model."""
        import json

        tool = self.tools.get(function)
        if tool is None:
            why = self.failed.get(function.split(SEPARATOR, 1)[0])
            return CallOutput(f"Error: {why or f'there is no tool named {function}'}", None, True)
        try:
            values = json.loads(arguments or "{}")
        except json.JSONDecodeError as exc:
            return CallOutput(f"Error: the arguments are not valid JSON: {exc}", None, True)
        if not isinstance(values, dict):
            return CallOutput("Error: the arguments must be a JSON object", None, True)
        server = self.servers[tool.server]
        try:
            result = server.call(tool.tool, values)
        except ServerFailed as exc:
            return CallOutput(f"Error: {exc}", None, True)
        from azresp_cli.core.mcp_results import to_output

        return to_output(result, server.spec.output_limit)

    def close(self) -> None:
        for server in self.servers.values():
            server.close()
        self.servers.clear()
        self.tools.clear()


def local_specs(
    flags: Sequence[str], configured: Mapping[str, LocalServerSpec]
) -> tuple[LocalServerSpec, ...]:
    """The flags' servers; a flag naming a configured server keeps its allow/deny lists."""
    specs: dict[str, LocalServerSpec] = {}
    for raw in flags:
        spec = parse_spec(raw)
        known = configured.get(spec.name)
        if known is not None:
            spec = LocalServerSpec(
                spec.name, spec.command, known.allow, known.deny, known.output_limit
            )
        if spec.name in specs:
            raise UsageError(f"--mcp-local {spec.name} is given twice", hint="name each once")
        specs[spec.name] = spec
    return tuple(specs.values())
