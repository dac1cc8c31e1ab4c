"""Start azresp (and the tests' Python helpers) as real processes, without paying for the imports.

Most of an azresp process's CPU goes to importing openai, pydantic, rich and the rest: about half a
second each, hundreds of times per suite run. A fork server imports them once; each run is a fork
of it that becomes ``python -m azresp_cli ARGS`` (or ``python SCRIPT ARGS``) with the caller's
arguments, environment, working directory and standard streams. The run is a real process: its
own pid and session, real pipes or files on fds 0-2, a real exit status.

The caller starts a small stand-in process instead (``python -I -S forkserver.py run azresp ...``)
that hands its streams and environment over, relays the signals it receives to the run, and ends
the way the run ended (its exit code, or the same signal). When the stand-in is killed outright
(SIGKILL), the server kills the run too, as the process it stands for would have died.

The stand-in runs the program itself, in a new interpreter (``exec``), when no server is
reachable, when its environment differs from the server's in anything that shapes an interpreter
at start-up (PYTHON* variables, the locale), or when ``TESTS_FORKSERVER_SOCKET`` is unset. Tests
that are about start-up itself (what is imported, the console script) or that need a controlling
terminal keep starting the interpreter themselves.

Only the standard library is used by the stand-in, so it starts in a few milliseconds.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import struct
import sys
from typing import Any

SOCKET_VARIABLE = "TESTS_FORKSERVER_SOCKET"
# What the server imports once, before it serves: the third-party modules azresp and the MCP
# test servers spend their start-up on. azresp's own modules are imported by each run, as in a
# real start.
PRELOAD = (
    "openai",
    "openai.types.responses",
    "openai.resources.responses.responses",
    "openai.resources.responses.input_items",
    "openai.resources.responses.input_tokens",
    "openai.lib._response_resources",
    "openai._websocket_connection",
    "openai.resources.files",
    "openai.resources.batches",
    "openai.resources.conversations",
    "openai.lib.streaming.responses",
    "openai.pagination",
    "httpx2",
    "httpcore2",
    "h11",
    "truststore",
    "tomllib",
    "platformdirs",
    "pydantic",
    "typer",
    "rich.console",
    "rich.markdown",
    "rich.live",
    "sqlite3",
    "uvicorn",
    "uvicorn.protocols.http.h11_impl",
    "uvicorn.lifespan.off",
    "uvicorn.lifespan.on",
    "starlette.applications",
    "mcp",
    "mcp.server.mcpserver",
)
# Signals a stand-in passes on to its run.
RELAYED = (
    signal.SIGINT,
    signal.SIGTERM,
    signal.SIGHUP,
    signal.SIGQUIT,
    signal.SIGUSR1,
    signal.SIGUSR2,
    signal.SIGWINCH,
    signal.SIGCONT,
)
_HEADER = struct.Struct("!I")


# Variables named like the interpreter's that only a library reads, while it runs.
_READ_AT_RUN_TIME = {"PYTHON_KEYRING_BACKEND"}


def _shapes_the_interpreter(name: str) -> bool:
    """PYTHON* and the locale are read as the interpreter starts; PYTHONPATH is applied per run."""
    if name == "PYTHONPATH" or name in _READ_AT_RUN_TIME:
        return False
    return name.startswith(("PYTHON", "LC_")) or name in ("LANG", "LANGUAGE")


def _interpreter_variables(env: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in env.items() if _shapes_the_interpreter(k)}


def _send(sock: socket.socket, message: dict[str, Any], fds: list[int] | None = None) -> None:
    data = json.dumps(message).encode()
    payload = _HEADER.pack(len(data)) + data
    sent = socket.send_fds(sock, [payload], fds) if fds else 0
    sock.sendall(payload[sent:])


def _receive(sock: socket.socket, with_fds: int = 0) -> tuple[dict[str, Any], list[int]] | None:
    fds: list[int] = []
    if with_fds:
        first, fds, _flags, _address = socket.recv_fds(sock, _HEADER.size, with_fds)
    else:
        first = sock.recv(_HEADER.size)
    if not first:
        return None
    while len(first) < _HEADER.size:
        more = sock.recv(_HEADER.size - len(first))
        if not more:
            return None
        first += more
    (size,) = _HEADER.unpack(first)
    data = b""
    while len(data) < size:
        more = sock.recv(size - len(data))
        if not more:
            return None
        data += more
    return json.loads(data), fds


# ------------------------------------------ stand-in ------------------------------------------


def _exec_instead(program: list[str]) -> None:
    """Become the program in a new interpreter, same pid (no shell: argv goes as it is)."""
    if program[0] == "azresp":
        program = ["-m", "azresp_cli", *program[1:]]
    os.execv(sys.executable, [sys.executable, *program])  # noqa: S606


def stand_in(program: list[str]) -> None:
    """Run ``program`` (``azresp ARGS`` or ``SCRIPT ARGS``) through the server; end as it ended."""
    path = os.environ.get(SOCKET_VARIABLE)
    if not path:
        _exec_instead(program)
    run: list[int] = []  # the run's pid, once the server names it
    pending: list[int] = []  # signals that came before that

    def relay(signum: int, _frame: object) -> None:
        if not run:
            pending.append(signum)
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(run[0], signum)

    for relayed in RELAYED:
        signal.signal(relayed, relay)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(path)  # type: ignore[arg-type]
        request = {"program": program, "env": dict(os.environ), "cwd": os.getcwd()}
        _send(sock, request, [0, 1, 2])
        reply = _receive(sock)
    except OSError:
        reply = None
    if reply is None or "pid" not in reply[0]:
        sock.close()
        for relayed in RELAYED:
            signal.signal(relayed, signal.SIG_DFL)
        for signum in pending:  # what would have ended the program ends its stand-in
            os.kill(os.getpid(), signum)
        _exec_instead(program)
        return
    run.append(int(reply[0]["pid"]))
    for signum in pending:
        relay(signum, None)
    ended = _receive(sock)  # a relayed signal does not interrupt it (PEP 475)
    if ended is None:
        os.write(2, b"forkserver: the server went away\n")
        os._exit(1)
    status = ended[0]
    if "signal" in status:
        ended_by = int(status["signal"])
        signal.signal(ended_by, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [ended_by])
        os.kill(os.getpid(), ended_by)
        os._exit(128 + ended_by)
    os._exit(int(status["exit"]))


# ------------------------------------------- server -------------------------------------------


def serve(path: str) -> dict[str, Any] | None:
    """Serve on ``path`` until SIGTERM. Returns only in a forked run, with that run's request."""
    import gc
    import importlib
    import selectors

    for name in PRELOAD:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    _build_the_sdk_parsers()
    # Out of the collector's sight: the runs do not scan (or copy, by touching) what all share.
    gc.collect()
    gc.freeze()
    own = _interpreter_variables(dict(os.environ))
    own_path = _python_path(os.environ)
    wakeup_read, wakeup_write = os.pipe()
    os.set_blocking(wakeup_write, False)
    os.set_blocking(wakeup_read, False)
    signal.set_wakeup_fd(wakeup_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, "accept")
    selector.register(wakeup_read, selectors.EVENT_READ, "signal")
    runs: dict[int, socket.socket] = {}  # a run's pid: its stand-in's connection
    by_connection: dict[socket.socket, int] = {}

    def reap() -> None:
        while runs:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            connection = runs.pop(pid, None)
            if connection is None:
                continue
            if by_connection.pop(connection, None) is not None:
                selector.unregister(connection)
            message = (
                {"signal": os.WTERMSIG(status)}
                if os.WIFSIGNALED(status)
                else {"exit": os.waitstatus_to_exitcode(status)}
            )
            with contextlib.suppress(OSError):
                _send(connection, message)
            connection.close()

    while not stopping:
        for key, _mask in selector.select():
            if key.data == "signal":
                with contextlib.suppress(BlockingIOError):
                    os.read(wakeup_read, 512)
                reap()
            elif key.data == "accept":
                connection, _ = listener.accept()
                received = _receive(connection, with_fds=3)
                if received is None:
                    connection.close()
                    continue
                request, fds = received
                theirs = _interpreter_variables(request["env"])
                if len(fds) != 3 or theirs != own:
                    for fd in fds:
                        os.close(fd)
                    differing = sorted(set(theirs.items()) ^ set(own.items()))
                    print("refused, started anew:", request["program"][:1], differing, flush=True)
                    _send(connection, {"refused": "environment"})
                    connection.close()
                    continue
                pid = os.fork()
                if pid == 0:
                    selector.close()
                    listener.close()
                    os.close(wakeup_read)
                    os.close(wakeup_write)
                    for other in by_connection:
                        other.close()
                    _become_the_run(request, fds, connection, own_path)
                    return request
                for fd in fds:
                    os.close(fd)
                print("run", pid, request["program"][:2], flush=True)
                runs[pid] = connection
                by_connection[connection] = pid
                selector.register(connection, selectors.EVENT_READ, "stand-in")
                _send(connection, {"pid": pid})
            else:  # a stand-in closed its end: it was killed, so its run goes too
                closed = key.fileobj
                assert isinstance(closed, socket.socket)
                connection, pid = closed, by_connection.get(closed, 0)
                try:
                    gone = not connection.recv(1, socket.MSG_PEEK)
                except OSError:
                    gone = True
                if gone:
                    selector.unregister(connection)
                    by_connection.pop(connection, None)
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)  # reaped, then its status goes nowhere
    for pid in runs:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    os.unlink(path)
    return None


def _python_path(env: Any) -> list[str]:
    return [entry for entry in env.get("PYTHONPATH", "").split(os.pathsep) if entry]


def _build_the_sdk_parsers() -> None:
    """Have the SDK build (and cache) its parsers of responses and stream events, which pydantic
    otherwise builds in every run on first use: a third of a chat run's CPU."""
    with contextlib.suppress(Exception):
        from openai._models import construct_type
        from openai.types.responses import Response, ResponseStreamEvent

        response = {
            "id": "resp_1",
            "object": "response",
            "created_at": 0,
            "model": "m",
            "output": [],
            "parallel_tool_calls": True,
            "tool_choice": "auto",
            "tools": [],
            "status": "completed",
        }
        construct_type(value=response, type_=Response)
        event = {"type": "response.completed", "sequence_number": 0, "response": response}
        construct_type(value=event, type_=ResponseStreamEvent)


def _become_the_run(
    request: dict[str, Any], fds: list[int], connection: socket.socket, server_path: list[str]
) -> None:
    """In the forked child: take the stand-in's streams, environment, directory and PYTHONPATH
    (sys.path[0] is set by _run, as the interpreter sets it for a module or a script)."""
    connection.close()
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.setsid()
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    _reopen_standard_streams()
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    rest = sys.path[1 + len(server_path) :]
    sys.path[:] = [sys.path[0], *_python_path(os.environ), *rest]


def _reopen_standard_streams() -> None:
    """sys.stdin/stdout/stderr as the interpreter makes them at start-up, for the new fds 0-2."""
    import io

    assert sys.__stdout__ is not None
    unbuffered = isinstance(sys.__stdout__.buffer, io.FileIO)  # -u or PYTHONUNBUFFERED
    for fd, name, mode in ((0, "stdin", "rb"), (1, "stdout", "wb"), (2, "stderr", "wb")):
        old = getattr(sys, f"__{name}__")
        raw = io.FileIO(fd, mode, closefd=False)
        raw.name = f"<{name}>"
        buffer: Any
        if unbuffered and mode == "wb":
            buffer = raw
        elif mode == "rb":
            buffer = io.BufferedReader(raw)
        else:
            buffer = io.BufferedWriter(raw)
        stream = io.TextIOWrapper(
            buffer,
            encoding=old.encoding,
            errors=old.errors,
            newline="\n",
            line_buffering=not unbuffered and mode == "wb" and (raw.isatty() or fd == 2),
            write_through=unbuffered and mode == "wb",
        )
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)


def _run(request: dict[str, Any]) -> None:
    import runpy

    program: list[str] = request["program"]
    if program[0] == "azresp":
        sys.argv = ["-m", *program[1:]]  # runpy puts the module's path first, as `-m` does
        sys.path[0] = os.getcwd()
        runpy.run_module("azresp_cli", run_name="__main__", alter_sys=True)
    else:
        script = os.path.abspath(program[0])
        sys.argv = [program[0], *program[1:]]
        sys.path[0] = os.path.dirname(script)
        runpy.run_path(script, run_name="__main__")


def main() -> None:
    if sys.argv[1] == "run":
        stand_in(sys.argv[2:])
        return
    request = serve(sys.argv[2])
    if request is not None:
        _run(request)  # in a forked run; the interpreter ends as the program makes it end


if __name__ == "__main__":
    main()
