"""Work for the first request done while something else waits, off the first-token path.

A bare openai-SDK script does everything in line: import openai, build the TLS context, send
the request, and, once the first event arrives, build the SDK's parser of stream events
(a pydantic adapter over the whole event union, ~0.1 s). azresp knows earlier what it will do:

- `prepare_in_background()` (a one-shot answer calls it as soon as it knows it will ask):
  a thread builds the TLS context, whose certificate loading runs in OpenSSL without the GIL
  (so truly beside the command's own start-up), then imports openai and its responses
  resource; `make_client` takes both from it.
- `defer_openai_types()`: openai's package imports every one of its type modules (468:
  evals, graders, fine-tuning ...) when it starts; a request of azresp's needs 344 of them.
  `openai.types` is put in place as the same package whose ``__init__`` runs on the first
  name asked of it, not before: the modules a request needs load as they are imported, and
  anything asking `openai.types` for a name gets the whole package as usual.
- `EventParserWarmUp`, a pair of httpx hooks `make_client` installs: the first streamed
  request starts building the event parser in a thread while the request is in flight (the
  calling thread only waits on the network), and its response waits for it to finish before
  the SDK reads an event. Against a service 50 ms away, that build is hidden in the wait.

Both are best effort: whatever fails here is done again, in line, where it is needed.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import ssl
import sys
import threading
from pathlib import Path
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
# One build at a time (the REPL's warm-up and a first request may both ask): the second
# waits for the first, then finds it in the SDK's cache instead of building it again.
_parser_lock = threading.Lock()
_preparation: _Preparation | None = None


class _Preparation:
    def __init__(self) -> None:
        self._context: ssl.SSLContext | None = None
        self._context_built = threading.Event()
        self._thread = threading.Thread(target=self._run, name="azresp-prepare", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        with contextlib.suppress(Exception):
            # As httpx2 (the SDK's HTTP client) builds it for verify=True: the system's CA
            # store, SSL_CERT_FILE/SSL_CERT_DIR honoured.
            import httpx2

            self._context = httpx2.create_ssl_context(verify=True, trust_env=True)
        self._context_built.set()
        with contextlib.suppress(Exception):
            defer_openai_types()
            import openai
            import openai.resources.responses  # noqa: F401

    def ssl_context(self) -> ssl.SSLContext | None:
        self._context_built.wait()  # not the import after it
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


def defer_openai_types() -> None:
    """Before openai is imported: its ``types`` package runs its ``__init__`` (importing every
    type module) on the first attribute asked of it instead of at once. Does nothing once
    openai is imported, or if the package is not laid out as expected."""
    if "openai" in sys.modules or "openai.types" in sys.modules:
        return
    found = importlib.util.find_spec("openai")
    if found is None or not found.submodule_search_locations:
        return
    directory = Path(next(iter(found.submodule_search_locations))) / "types"
    spec = importlib.util.spec_from_file_location(
        "openai.types", directory / "__init__.py", submodule_search_locations=[str(directory)]
    )
    if spec is None or spec.loader is None or not (directory / "__init__.py").is_file():
        return
    loader = spec.loader
    module = importlib.util.module_from_spec(spec)
    lock = threading.RLock()

    def load_the_rest(name: str) -> Any:
        with lock:
            if "__getattr__" in module.__dict__:
                del module.__dict__["__getattr__"]
                loader.exec_module(module)
        try:
            return module.__dict__[name]
        except KeyError:
            raise AttributeError(f"module 'openai.types' has no attribute {name!r}") from None

    module.__getattr__ = load_the_rest  # type: ignore[method-assign]
    with _lock:
        if "openai" not in sys.modules:
            sys.modules.setdefault("openai.types", module)


def build_event_parser() -> None:
    """Build the SDK's parser of stream events (cached by the SDK); raises nothing."""
    with _parser_lock, contextlib.suppress(Exception):
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
