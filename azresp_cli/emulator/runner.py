"""Starting and stopping the emulator: in a daemon thread, or in the foreground.

The listening socket is bound here, before uvicorn starts, so the port (0 picks a free
one) is known at once and connections queue in the kernel during the few milliseconds
uvicorn takes to come up. The emulator refuses a non-loopback address unless asked:
it has no real authentication and would answer anyone.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import ipaddress
import resource
import socket
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import uvicorn

from azresp_cli.emulator import guard, intake
from azresp_cli.emulator.app import create_app
from azresp_cli.emulator.config import EmulatorConfig, RecordedRequest
from azresp_cli.emulator.gateway import API_PREFIX
from azresp_cli.emulator.state import EmulatorState

__all__ = [
    "EmulatorConfig",
    "NonLoopbackHostError",
    "RecordedRequest",
    "RunningEmulator",
    "serve",
    "start_in_thread",
]

STARTUP_TIMEOUT = 10.0
MAX_CONNECTIONS = 4096
FDS_KEPT_FREE = 64  # for the state directory, MCP clients, and the process itself


class NonLoopbackHostError(ValueError):
    """The host is not a loopback address and `allow_remote` was not set."""


class _Server(uvicorn.Server):
    """uvicorn's server, stopped at once when `stop_now` asks.

    uvicorn notices `should_exit` on its next tick (up to 0.1 s), then sleeps 0.1 s more to let
    connections finish: about 180 ms per stop, paid at every exit of `chat --emulator` and by
    each of the hundreds of emulators the tests start. A forced stop waits for neither."""

    _loop: asyncio.AbstractEventLoop | None = None
    _wake: asyncio.Event | None = None

    async def main_loop(self) -> None:
        self._loop, self._wake = asyncio.get_running_loop(), asyncio.Event()
        counter = 0
        should_exit = await self.on_tick(counter)
        while not should_exit:
            counter = (counter + 1) % 864000
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(0.1):  # uvicorn's tick
                    await self._wake.wait()
            should_exit = await self.on_tick(counter)

    def stop_now(self) -> None:
        """From any thread: open streams are cut, the loop ends without waiting for them."""
        self.should_exit = True
        self.force_exit = True
        if self._loop is not None and self._wake is not None:
            with contextlib.suppress(RuntimeError):  # the loop has closed already
                self._loop.call_soon_threadsafe(self._wake.set)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        if not self.force_exit:
            await super().shutdown(sockets)
            return
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()
        await asyncio.sleep(0)  # one turn of the loop: the connections send their close
        for server in self.servers:
            await server.wait_closed()


class RunningEmulator:
    """An emulator serving from a daemon thread; `stop()` (or leaving `with`) ends it."""

    def __init__(
        self, base_url: str, state: EmulatorState, server: _Server, thread: threading.Thread
    ) -> None:
        self.base_url = base_url  # "http://127.0.0.1:PORT/openai/v1/"
        self.requests: list[RecordedRequest] = state.requests  # appended to as requests arrive
        self.state = state  # read it from the server's thread only, or for what a test checks
        self._server = server
        self._state = state
        self._thread = thread
        keys = state.config.api_keys
        self._key = min(keys) if keys else "emulator"  # the control routes want a key too

    @property
    def connections_accepted(self) -> int:
        """TCP connections accepted since start or the last `reset()`."""
        return self._state.connections_accepted

    def reset(self) -> None:
        """Forget recorded requests, stored responses and fired `once` faults.

        Goes through the server's own loop (POST /_emulator/reset), which owns that state.
        """
        root = self.base_url.removesuffix(API_PREFIX.lstrip("/") + "/")
        request = urllib.request.Request(  # noqa: S310  # our own loopback URL
            root + "_emulator/reset",
            data=b"{}",
            method="POST",
            headers={"content-type": "application/json", "api-key": self._key},
        )
        with urllib.request.urlopen(request, timeout=10) as reply:  # noqa: S310  # our loopback URL
            reply.read()

    def stop(self) -> None:
        self._server.stop_now()  # open streams must not hold the shutdown up
        self._thread.join(timeout=5)

    def __enter__(self) -> RunningEmulator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start_in_thread(
    host: str = "127.0.0.1",
    port: int = 0,
    config: EmulatorConfig | None = None,
    *,
    allow_remote: bool = False,
    state_dir: Path | None = None,
) -> RunningEmulator:
    """Start uvicorn in a daemon thread, return once it accepts connections.

    With `state_dir`, stored responses, files and containers are kept in that directory's
    database (statedb.py), shared with other processes; without it they live in memory.
    """
    listener, base_url = _listen(host, port, allow_remote=allow_remote)
    state = EmulatorState.kept_in(config or EmulatorConfig(), state_dir)
    server, log = _server(state, host)
    thread = threading.Thread(
        target=lambda: asyncio.run(_serve(server, listener, state, log)),
        name="azresp-emulator",
        daemon=True,
    )
    thread.start()  # uvicorn installs no signal handlers outside the main thread
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            listener.close()
            raise RuntimeError(f"the emulator did not start on {base_url}")
        time.sleep(0.002)
    return RunningEmulator(base_url, state, server, thread)


def serve(
    host: str,
    port: int,
    config: EmulatorConfig | None = None,
    *,
    allow_remote: bool = False,
    on_ready: Callable[[str], None] | None = None,
    state_dir: Path | None = None,
) -> None:
    """Run in the foreground until Ctrl-C (for the `azresp emulator` command).

    `on_ready(base_url)` is called once the server listens. Ctrl-C stops the server
    gracefully, then reaches the caller as KeyboardInterrupt.
    """
    listener, base_url = _listen(host, port, allow_remote=allow_remote)
    state = EmulatorState.kept_in(config or EmulatorConfig(), state_dir)
    server, log = _server(state, host, log_level="warning")

    async def run() -> None:
        serving = asyncio.create_task(_serve(server, listener, state, log))
        while not server.started and not serving.done():
            await asyncio.sleep(0.002)
        if server.started and on_ready is not None:
            on_ready(base_url)
        # This process is the server alone, and what it loaded to start never becomes garbage:
        # keep it out of every full collection, a pause that holds up all open streams.
        gc.collect()
        gc.freeze()
        await serving

    asyncio.run(run())


async def _serve(
    server: uvicorn.Server, listener: socket.socket, state: EmulatorState, log: guard.ConditionLog
) -> None:
    asyncio.get_running_loop().set_exception_handler(log.loop_errors)
    state.resume_jobs()
    try:
        await server.serve(sockets=[listener])
    finally:
        # Still inside the loop, before asyncio.run cancels the jobs' tasks: a job suspended
        # here is saved as running, for the next emulator to take over and finish.
        state.suspend()


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _listen(host: str, port: int, *, allow_remote: bool) -> tuple[socket.socket, str]:
    if not allow_remote and not is_loopback(host):
        raise NonLoopbackHostError(
            f"refusing to listen on {host!r}: the emulator accepts any key, so it only binds to a"
            " loopback address (127.0.0.1, ::1, localhost) unless remote access is allowed"
        )
    bind_host = "127.0.0.1" if host == "localhost" else host
    family = socket.AF_INET6 if ":" in bind_host else socket.AF_INET
    listener = socket.create_server((bind_host, port), family=family)
    bound_port = listener.getsockname()[1]
    shown = f"[{bind_host}]" if family == socket.AF_INET6 else bind_host
    return listener, f"http://{shown}:{bound_port}{API_PREFIX}/"


def _server(
    state: EmulatorState, bound_host: str, log_level: str = "error"
) -> tuple[_Server, guard.ConditionLog]:
    log = guard.ConditionLog()
    guard.word_shutdown_logs()
    limits = guard.Limits(
        max_connections=state.config.max_connections or default_max_connections(),
        header_timeout=state.config.header_timeout,
        body_timeout=state.config.body_timeout,
    )
    config = uvicorn.Config(
        create_app(state, intake.allowed_hosts(bound_host)),
        lifespan="off",
        http=guard.protocol_class(limits, log, state.count_connection),
        ws="none",
        loop="asyncio",
        log_config=None,  # leave the host program's logging alone
        log_level=log_level,
        access_log=False,
        timeout_graceful_shutdown=1,
    )
    return _Server(config), log


def default_max_connections() -> int:
    """Well below the file descriptor limit, which must never be reached (EMFILE)."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return MAX_CONNECTIONS
    return max(16, min(MAX_CONNECTIONS, soft - FDS_KEPT_FREE))
