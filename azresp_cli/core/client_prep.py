"""Work for the first request done while something else waits, off the first-token path.

A bare openai-SDK script does everything in line: import openai, build the TLS context, send
the request, and, once the first event arrives, build the SDK's parser of stream events
(a pydantic adapter over the whole event union, ~0.1 s). azresp knows earlier what it will do:

- `prepare_in_background()` (a one-shot answer calls it as soon as it knows it will ask):
  a thread builds the TLS context, whose certificate loading runs in OpenSSL without the GIL
  (so truly beside the command's own start-up), then imports openai and its responses
  resource; `make_client` takes both from it.
- `EventParserWarmUp`, a pair of httpx hooks `make_client` installs: the first streamed
  request starts building the event parser in a thread while the request is in flight (the
  calling thread only waits on the network), and its response waits for it to finish before
  the SDK reads an event. Against a service 50 ms away, that build is hidden in the wait.

Both are best effort: whatever fails here is done again, in line, where it is needed.
"""

from __future__ import annotations

import contextlib
import json
import ssl
import threading
from typing import Any

# One text delta as the service streams it: parsing it builds the SDK's event parser.
SAMPLE_EVENT = {
    "type": "response.output_text.delta",
    "item_id": "msg_warm_up",
    "output_index": 0,
    "content_index": 0,
    "delta": "",
    "logprobs": [],
    "sequence_number": 0,
}

_LARGEST_BODY = 1_000_000
_lock = threading.Lock()
_preparation: _Preparation | None = None


class _Preparation:
    def __init__(self) -> None:
        self._context: ssl.SSLContext | None = None
        self._thread = threading.Thread(target=self._run, name="azresp-prepare", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        with contextlib.suppress(Exception):
            # As httpx2 builds it for verify=True (certifi-free: the system's CA store).
            from httpcore2._ssl import default_ssl_context

            self._context = default_ssl_context(_trust_env=True)
        with contextlib.suppress(Exception):
            import openai
            import openai.resources.responses  # noqa: F401

    def ssl_context(self) -> ssl.SSLContext | None:
        self._thread.join()
        return self._context


def prepare_in_background() -> None:
    """Start preparing the first request (once per process)."""
    global _preparation
    with _lock:
        if _preparation is None:
            _preparation = _Preparation()


def prepared_ssl_context() -> ssl.SSLContext | None:
    """The TLS context `prepare_in_background` built (waiting for it), else None."""
    with _lock:
        preparation = _preparation
    return preparation.ssl_context() if preparation is not None else None


def build_event_parser() -> None:
    """Build the SDK's parser of stream events (cached by the SDK); raises nothing."""
    with contextlib.suppress(Exception):
        # The SDK's own parsing path (private, hence the suppress): its TypeAdapter is cached.
        from openai._models import construct_type
        from openai.types.responses import ResponseStreamEvent

        construct_type(value=SAMPLE_EVENT, type_=ResponseStreamEvent)


class EventParserWarmUp:
    """httpx hooks: build the event parser while the first streamed request is in flight."""

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None

    def on_request(self, request: Any) -> None:
        if self._thread is not None or not _asks_for_a_stream(request):
            return
        self._thread = threading.Thread(
            target=build_event_parser, name="azresp-event-parser", daemon=True
        )
        self._thread.start()

    def on_response(self, response: Any) -> None:
        thread = self._thread
        if thread is not None:
            thread.join()  # the SDK reads the first event only after this


def _asks_for_a_stream(request: Any) -> bool:
    if request.method != "POST" or not request.url.path.endswith("/responses"):
        return False
    content = request.content
    if len(content) > _LARGEST_BODY:  # attachments inline: not worth parsing to find out
        return False
    try:
        body = json.loads(content)
    except (ValueError, TypeError, AttributeError):
        return False
    return isinstance(body, dict) and body.get("stream") is True
