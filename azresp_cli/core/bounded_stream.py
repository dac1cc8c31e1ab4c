"""A cap on the size of one server-sent event, whatever the server sends.

The openai SDK splits a stream into lines and events itself and imposes no limit: a server that
sends one endless ``data:`` line (or endless ``data:`` lines with no blank line between them)
makes it buffer until memory runs out. ``limit_event_size`` is an httpx response hook (client.py
installs it): for a ``text/event-stream`` response it wraps the decoded byte iterator the SDK
reads, counts the bytes of the event being received, and raises ``StreamTooLarge`` (a network
error, exit 7) past ``MAX_EVENT_BYTES``. The count is on decoded bytes, so a compressed body
cannot slip past it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from azresp_cli.core.errors import NetworkError, request_id_of

# The largest event Azure sends is response.completed, the whole response: with generated images
# (base64, a few MB each) it stays well below this.
MAX_EVENT_BYTES = 64_000_000
_LINE_END = re.compile(b"[\r\n]")


class StreamTooLarge(NetworkError):
    default_hint = (
        "the answer above is partial; no Azure OpenAI endpoint sends such events: "
        "check the endpoint (`azresp doctor`)"
    )


def limit_event_size(response: Any, limit: int = MAX_EVENT_BYTES) -> None:
    """httpx response hook: cap the events of a ``text/event-stream`` response."""
    content_type = str(response.headers.get("content-type", ""))
    if not content_type.lower().startswith("text/event-stream"):
        return
    iter_bytes: Callable[..., Iterator[bytes]] = response.iter_bytes
    request_id = request_id_of(response.headers)

    def bounded(*args: Any, **kwargs: Any) -> Iterator[bytes]:
        try:
            yield from bounded_events(iter_bytes(*args, **kwargs), limit)
        except StreamTooLarge as error:
            error.request_id = request_id
            raise

    # The SDK's Stream reads ``response.iter_bytes()``: the instance attribute shadows the method.
    response.iter_bytes = bounded


def bounded_events(chunks: Iterator[bytes], limit: int = MAX_EVENT_BYTES) -> Iterator[bytes]:
    """Pass ``chunks`` through; raise StreamTooLarge once one event (the bytes between two
    blank lines) exceeds ``limit``. Lines end with CR, LF or CRLF, as the SSE format says."""
    line = 0  # bytes of the current line so far
    event = 0  # bytes of the current event's complete lines
    skip_lf = False  # the last line ended with CR: a LF right after it belongs to it
    for chunk in chunks:
        start = 0
        for match in _LINE_END.finditer(chunk):
            end = match.start()
            if skip_lf and end == start and chunk[end] == 10:
                skip_lf = False
                start = end + 1
                continue
            length = line + end - start
            event = 0 if length == 0 else event + length + 1
            if event > limit:
                raise _too_large(limit)
            line = 0
            skip_lf = chunk[end] == 13
            start = end + 1
        if start < len(chunk):
            skip_lf = False
            line += len(chunk) - start
        if line + event > limit:
            raise _too_large(limit)
        yield chunk


def _too_large(limit: int) -> StreamTooLarge:
    from azresp_cli.core.input_files import size_text

    return StreamTooLarge(
        f"the stream broke off: the service sent an event larger than {size_text(limit)}"
    )
