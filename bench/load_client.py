"""A load generator for the emulator: N concurrent streamed creates, every event timestamped.

Run by ``bench.load`` in its own process (on its own CPU when there are two), so the clients
neither share the server's core nor its GIL. Raw asyncio protocols, not the SDK: one Python
core has to keep up with hundreds of streams. Only 127.0.0.1 is accepted.

    python -m bench.load_client URL CLIENTS PROMPT PACE_MS RAMP_S DEADLINE_S

prints one JSON object: per-request time to the first event, and for each text delta after
the first its delay beyond the scripted pause (``[[slow:PACE_MS]]``), in milliseconds.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

DELTA = b"event: response.output_text.delta"
COMPLETED = b"event: response.completed"


@dataclass
class StreamResult:
    sent_at: float = 0.0
    first_event_at: float | None = None
    delta_times: list[float] = field(default_factory=list)
    events: int = 0
    completed: bool = False
    error: str | None = None


class StreamProtocol(asyncio.Protocol):
    """Sends one request; parses the chunked SSE reply as it arrives, stamping each event."""

    def __init__(self, request: bytes, result: StreamResult, done: asyncio.Future[None]) -> None:
        self.request = request
        self.result = result
        self.done = done
        self.raw = bytearray()  # bytes not yet parsed as HTTP (head or chunk framing)
        self.body = bytearray()  # de-chunked SSE bytes not yet split into events
        self.in_head = True
        self.chunk_left = -1  # -1: expecting a chunk-size line

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.result.sent_at = time.perf_counter()
        transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        now = time.perf_counter()
        self.raw += data
        if self.in_head:
            end = self.raw.find(b"\r\n\r\n")
            if end < 0:
                return
            status = bytes(self.raw[: self.raw.find(b"\r\n")])
            if b" 200 " not in status:
                self.result.error = status.decode(errors="replace")
            del self.raw[: end + 4]
            self.in_head = False
        self._dechunk()
        while (end := self.body.find(b"\n\n")) >= 0:
            frame = bytes(self.body[:end])
            del self.body[: end + 2]
            self.result.events += 1
            if self.result.first_event_at is None:
                self.result.first_event_at = now
            if frame.startswith(DELTA):
                self.result.delta_times.append(now)
            elif frame.startswith(COMPLETED):
                self.result.completed = True

    def _dechunk(self) -> None:
        while self.raw:
            if self.chunk_left < 0:
                end = self.raw.find(b"\r\n")
                if end < 0:
                    return
                self.chunk_left = int(bytes(self.raw[:end]).split(b";")[0], 16) + 2
                del self.raw[: end + 2]
            take = min(self.chunk_left, len(self.raw))
            self.body += self.raw[:take]
            del self.raw[:take]
            self.chunk_left -= take
            if self.chunk_left == 0:
                del self.body[-2:]  # the CRLF closing the chunk
                self.chunk_left = -1

    def connection_lost(self, exc: Exception | None) -> None:
        if exc is not None and self.result.error is None:
            self.result.error = str(exc)
        if not self.done.done():
            self.done.set_result(None)


def _protocol_factory(
    request: bytes, result: StreamResult, done: asyncio.Future[None]
) -> Callable[[], StreamProtocol]:
    return lambda: StreamProtocol(request, result, done)


def build_request(url: str, prompt: str) -> bytes:
    parts = urlsplit(url)
    body = json.dumps({"model": "emulator", "input": prompt, "stream": True}).encode()
    head = (
        f"POST {parts.path.rstrip('/')}/responses HTTP/1.1\r\n"
        f"Host: {parts.netloc}\r\n"
        "Content-Type: application/json\r\n"
        "api-key: bench-load-key\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    )
    return head.encode() + body


async def run_load(
    url: str, clients: int, prompt: str, ramp: float, deadline: float
) -> list[StreamResult]:
    parts = urlsplit(url)
    if parts.hostname != "127.0.0.1":
        raise SystemExit("the load client only talks to 127.0.0.1")
    loop = asyncio.get_running_loop()
    request = build_request(url, prompt)
    results = [StreamResult() for _ in range(clients)]
    waiting: list[asyncio.Future[None]] = []
    transports: list[asyncio.BaseTransport] = []
    for result in results:
        done: asyncio.Future[None] = loop.create_future()
        try:
            opened, _ = await loop.create_connection(
                _protocol_factory(request, result, done), parts.hostname, parts.port or 80
            )
            transports.append(opened)
            waiting.append(done)
        except OSError as exc:
            result.error = str(exc)
        await asyncio.sleep(ramp / clients)
    if waiting:
        await asyncio.wait(waiting, timeout=deadline)
    for transport in transports:
        transport.close()  # a stream still open at the deadline counts as not completed
    return results


def main(argv: list[str]) -> None:
    url, clients, prompt, pace_ms, ramp, deadline = argv
    pace = float(pace_ms) / 1000
    started = time.perf_counter()
    results = asyncio.run(run_load(url, int(clients), prompt, float(ramp), float(deadline)))
    wall = time.perf_counter() - started
    first_event = [
        (r.first_event_at - r.sent_at) * 1000 for r in results if r.first_event_at is not None
    ]
    delays = [
        max(0.0, (later - earlier - pace) * 1000)
        for r in results
        for earlier, later in zip(r.delta_times, r.delta_times[1:], strict=False)
    ]
    errors = sorted({r.error for r in results if r.error})
    json.dump(
        {
            "wall": wall,
            "completed": sum(r.completed for r in results),
            "events": sum(r.events for r in results),
            "first_event_ms": [round(value, 3) for value in first_event],
            "delta_delay_ms": [round(value, 3) for value in delays],
            "errors": errors[:5],
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main(sys.argv[1:])
