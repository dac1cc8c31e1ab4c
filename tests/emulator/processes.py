"""An emulator in its own process, for what needs one: memory, signals, logs, file descriptors.

`EmulatorProcess` runs `serve()` (what `azresp emulator` runs) with a given EmulatorConfig,
reads its base URL from stdout, and keeps its stderr for the test to read after `stop()`.
Memory is the process's own, from /proc/PID/status.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

STOP_TIMEOUT = 20.0

_SERVE = """
import json, sys
from azresp_cli.emulator.runner import EmulatorConfig, serve
options = json.loads(sys.argv[1])
if options.get("api_keys") is not None:
    options["api_keys"] = frozenset(options["api_keys"])
config = EmulatorConfig(**options)
def ready(url):
    print(url, flush=True)
try:
    serve("127.0.0.1", 0, config, on_ready=ready)
except KeyboardInterrupt:
    pass
"""


class EmulatorProcess:
    def __init__(
        self, config: dict[str, Any] | None = None, *, command: list[str] | None = None
    ) -> None:
        """`config`: EmulatorConfig keyword arguments (JSON values; `api_keys` a list);
        or `command`, an `azresp` command line (after `python -m azresp_cli`)."""
        argv = (
            [sys.executable, "-m", "azresp_cli", *command]
            if command is not None
            else [sys.executable, "-c", _SERVE, json.dumps(config or {})]
        )
        self.process = subprocess.Popen(  # our own interpreter and module
            argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert self.process.stdout is not None
        self.base_url = self.process.stdout.readline().strip()
        assert self.base_url.startswith("http://127.0.0.1:"), self.base_url
        self.port = urlsplit(self.base_url).port or 0
        self.stderr = ""

    def status(self, field: str) -> int:
        """A figure from /proc/PID/status in KiB, e.g. `VmRSS`, `VmHWM`."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
        raise KeyError(field)

    def open_fds(self) -> int:
        return len(os.listdir(f"/proc/{self.process.pid}/fd"))

    def connect(self, timeout: float = 20.0) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=timeout)

    def stop(self, sig: int = signal.SIGINT) -> str:
        """Stop it with `sig` (Ctrl-C by default) and return everything it wrote to stderr."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            _, self.stderr = self.process.communicate(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, self.stderr = self.process.communicate(timeout=STOP_TIMEOUT)
        return self.stderr

    def __enter__(self) -> EmulatorProcess:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def read_until_closed(connection: socket.socket, deadline: float = 20.0) -> bytes:
    """Everything the server sends until it closes; raises TimeoutError if it never does."""
    received = b""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            chunk = connection.recv(65536)
        except ConnectionResetError:
            return received
        if not chunk:
            return received
        received += chunk
    raise TimeoutError(f"still open after {deadline} s; got {received[:200]!r}")


def request_head(method: str, path: str, headers: dict[str, str]) -> bytes:
    lines = [
        f"{method} {path} HTTP/1.1",
        "host: 127.0.0.1",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()
