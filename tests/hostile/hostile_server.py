"""A hostile Responses server on loopback: it answers with whatever a test's handler writes.

Only 127.0.0.1. A handler gets the request line's method and path and the socket's write end,
and writes a whole HTTP response itself, so it can send what no honest server would: an endless
SSE line, a huge body, a body that never ends.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import BinaryIO

Handler = Callable[[str, str, BinaryIO], None]


def send_headers(out: BinaryIO, status: str, headers: dict[str, str]) -> None:
    lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers.items()), "", ""]
    out.write("\r\n".join(lines).encode("ascii"))


def endless_sse_line(method: str, path: str, out: BinaryIO) -> None:
    """200 text/event-stream, then one ``data:`` line that never ends."""
    send_headers(
        out, "200 OK", {"content-type": "text/event-stream", "x-request-id": "req_hostile"}
    )
    out.write(b"data: ")
    chunk = b"x" * 65536
    with contextlib.suppress(OSError):
        while True:
            out.write(chunk)


def endless_data_lines(method: str, path: str, out: BinaryIO) -> None:
    """200 text/event-stream, then short ``data:`` lines with never a blank line between."""
    send_headers(out, "200 OK", {"content-type": "text/event-stream"})
    block = b"data: " + b"y" * 1000 + b"\n"
    block *= 64
    with contextlib.suppress(OSError):
        while True:
            out.write(block)


def sized_body(size: int) -> Handler:
    """200 application/octet-stream with ``size`` bytes (a large download)."""

    def handle(method: str, path: str, out: BinaryIO) -> None:
        send_headers(
            out,
            "200 OK",
            {"content-type": "application/octet-stream", "content-length": str(size)},
        )
        chunk = b"z" * (1024 * 1024)
        left = size
        with contextlib.suppress(OSError):
            while left > 0:
                out.write(chunk[: min(left, len(chunk))])
                left -= min(left, len(chunk))

    return handle


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    handler: Handler

    def _dispatch(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)
        self.server.seen.append((self.command, self.path))  # type: ignore[attr-defined]
        self.server.handler(self.command, self.path, self.wfile)  # type: ignore[attr-defined]
        self.close_connection = True

    do_GET = do_POST = do_DELETE = _dispatch

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def hostile_server(handler: Handler) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """Serve ``handler`` on 127.0.0.1; yields (base URL, [(method, path) seen])."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _RequestHandler)
    server.daemon_threads = True
    seen: list[tuple[str, str]] = []
    server.handler = handler  # type: ignore[attr-defined]
    server.seen = seen  # type: ignore[attr-defined]
    # a short poll: shutdown() waits out one (0.5 s by default) in every teardown
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/openai/v1/", seen
    finally:
        server.shutdown()
        server.server_close()
