"""Server-sent events over ASGI, with the connection-level faults applied.

Written against raw ASGI rather than Starlette's StreamingResponse so that the event
source is always closed in the task that iterated it (a `drive()` generator must run its
`finally` at once when the client goes away), and so that a stream can end on purpose
without a terminal event.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator

from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

from azresp_cli.emulator.eventlog import LoggedEvent

MALFORMED_FRAME = b'event: response.output_text.delta\ndata: {"type": "response.output_te\n\n'


class EventStream(Response):
    """An ASGI response sending `events` as SSE frames, then closing; no `[DONE]`.

    A Starlette `Response` only so routes can return it; it sends everything itself.
    """

    def __init__(
        self,
        events: AsyncGenerator[LoggedEvent, None],
        *,
        cut_after: int | None = None,
        malformed_after: int | None = None,
    ) -> None:
        self.status_code = 200
        self.background = None
        self._events = events
        self._cut_after = cut_after
        self._malformed_after = malformed_after

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = [
            (b"content-type", b"text/event-stream; charset=utf-8"),
            (b"cache-control", b"no-cache"),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        pump = asyncio.ensure_future(self._pump(send))
        watch = asyncio.ensure_future(_disconnected(receive))
        await asyncio.wait((pump, watch), return_when=asyncio.FIRST_COMPLETED)
        for task in (pump, watch):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _pump(self, send: Send) -> None:
        try:
            sent = 0
            # Faults are checked before the next event is asked for: a cut stream must not
            # let a synchronous response run one event further than the client saw.
            while sent != self._cut_after:
                if sent == self._malformed_after:
                    await _body(send, MALFORMED_FRAME)
                    break
                event = await anext(self._events, None)
                if event is None:
                    break
                await _body(send, event.frame())
                sent += 1
                # Let the loop run between events: a vanished client is noticed (and its
                # generation stopped) at the next event, not after a whole answer has been
                # written into a dead socket, and other clients are served meanwhile.
                await asyncio.sleep(0)
        finally:
            await self._events.aclose()
        await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _body(send: Send, data: bytes) -> None:
    await send({"type": "http.response.body", "body": data, "more_body": True})


async def _disconnected(receive: Receive) -> None:
    message: Message = {}
    while message.get("type") != "http.disconnect":
        message = await receive()
