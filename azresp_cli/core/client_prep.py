"""Work for the first request done while something else waits, off the first-token path.

A bare openai-SDK script does everything in line: import openai, build the TLS context, send
the request. azresp knows earlier what it will do:

- `prepare_in_background()` (a one-shot answer calls it as soon as it knows it will ask):
  a thread builds the TLS context, whose certificate loading runs in OpenSSL without the GIL
  (so truly beside the command's own start-up), then imports openai; `make_client` takes
  both from it.
- `defer_openai_types()`: openai's package imports every one of its type modules (468:
  evals, graders, fine-tuning ...) when it starts; a request of azresp's needs 344 of them.
  `openai.types` is put in place as the same package whose ``__init__`` runs on the first
  name asked of it, not before: the modules a request needs load as they are imported, and
  anything asking `openai.types` for a name gets the whole package as usual.

Both are best effort: whatever fails here is done again, in line, where it is needed.
"""

from __future__ import annotations

import contextlib
import importlib.util
import ssl
import sys
import threading
from pathlib import Path
from typing import Any

_lock = threading.Lock()
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
            import openai  # noqa: F401

    def ssl_context(self) -> ssl.SSLContext | None:
        self._context_built.wait()  # not the import after it
        return self._context

    def ssl_context_built(self, timeout: float) -> bool:
        return self._context_built.wait(timeout)


def prepare_in_background() -> None:
    """Start preparing the first request (once per process)."""
    global _preparation
    with _lock:
        if _preparation is None:
            _preparation = _Preparation()


def settle(timeout: float = 5.0) -> None:
    """Before the process exits: wait for the TLS context being built. Its certificates load
    inside OpenSSL without the GIL, and OpenSSL frees its state in an exit handler: a thread
    still loading then crashes the process (SIGSEGV) after the command has succeeded. What
    follows in the thread (the openai import) holds the GIL, and stops safely at exit."""
    with _lock:
        preparation = _preparation
    if preparation is not None:
        preparation.ssl_context_built(timeout)


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
