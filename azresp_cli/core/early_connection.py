"""The connection to the endpoint, opened while openai imports: a one-shot's first request
(and `chat -i PROMPT`'s first turn).

A bare openai-SDK script works in line: import openai (~0.5 s of CPU), then the TCP
handshake (one round trip), then TLS (one or two), then the request. A one-shot answer knows
its endpoint before openai is loaded, so `open_early` starts a thread that opens the
connection (TCP, then TLS with the context `client_prep` prepares, which the client is built
with) while the import runs; the client's connection pool takes it for its first connection
to that host and port (`core/early_backend.py`), or opens its own as usual.

The same code as the pool's own connect does the work (httpcore2's `SyncBackend.connect_tcp`
and `start_tls`, same host, port, timeout, SNI name and TLS context, so the certificate is
checked exactly as it would be). Rules:

- not through a proxy: if the SDK's HTTP client would send this endpoint's requests through
  one (HTTP(S)_PROXY / ALL_PROXY, NO_PROXY, as httpx reads them), nothing is opened;
- a failure here is never reported: the pool connects again itself and fails (or not) as it
  always did, with its own error (a timeout is handed on instead, not waited for twice);
- one idle for longer than the pool keeps an idle connection (5 s), or that the service has
  closed meanwhile, is closed and the pool opens its own;
- a connection the pool did not take is closed when the command's connection closes
  (`discard`), also while it is still being opened;
- before the process exits (`settle`), a handshake still in flight is cut and its thread
  waited for: OpenSSL frees its state in an exit handler, and a thread still inside it then
  crashes the process (SIGSEGV) after the command has succeeded.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time
from collections.abc import Callable
from typing import Any

_ALPN = ["http/1.1"]  # what httpcore offers for the SDK's HTTP/1.1-only client
# httpx's pool drops a connection idle this long (its default keepalive_expiry, which the SDK
# keeps): an early connection older than that is not used either (a middlebox may have
# dropped it silently).
IDLE_EXPIRY = 5.0


class EarlyConnection:
    """One connection being opened in a thread; `take` hands it over once."""

    def __init__(
        self, url: str, timeout: float, context: Callable[[], ssl.SSLContext | None]
    ) -> None:
        self.url = url
        self.timeout = timeout
        self._context_of = context
        self.host = ""
        self.port = 0
        self.https = False
        self.context: ssl.SSLContext | None = None  # the TLS context the handshake used
        self._stream: Any = None
        self._handshaking = -1  # the socket's fd while its TLS handshake runs
        self._opened_at = 0.0
        self._timed_out: BaseException | None = None
        self._taken = False
        self._closed = False
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._open, name="azresp-connect", daemon=True)
        self._thread.start()

    def _open(self) -> None:
        stream: Any = None
        try:
            stream = self._connect()
        except Exception as exc:  # noqa: BLE001 - the pool connects again and reports it
            if type(exc).__name__ == "ConnectTimeout":
                self._timed_out = exc
        with self._lock:
            keep = not self._closed
            if keep:
                self._stream = stream
                self._opened_at = time.monotonic()
        if not keep and stream is not None:
            stream.close()
        self._done.set()

    def _connect(self) -> Any:
        import httpcore2
        import httpx2

        url = httpx2.URL(self.url)
        if url.scheme not in ("http", "https") or goes_through_proxy(url):
            return None
        self.https = url.scheme == "https"
        self.host = url.raw_host.decode("ascii")
        self.port = url.port or (443 if self.https else 80)
        stream = httpcore2.SyncBackend().connect_tcp(
            self.host, self.port, timeout=self.timeout, local_address=None, socket_options=None
        )
        if not self.https:
            return stream
        context = self._context_of()
        with self._lock:
            if context is None or self._closed:  # nothing to do, or discarded meanwhile
                stream.close()
                return None
            self._handshaking = stream.get_extra_info("socket").fileno()
        try:
            # As httpcore's connection does before its handshake (the same value on the same
            # context: the pool sets it again).
            context.set_alpn_protocols(_ALPN)
            tls = stream.start_tls(context, server_hostname=self.host, timeout=self.timeout)
        finally:
            with self._lock:
                self._handshaking = -1
        self.context = context
        return tls

    def take(self, host: str, port: int, local_address: str | None, socket_options: object) -> Any:
        """The opened stream, if it is one for this connect (once), else None. Raises the
        timeout the opening met, which a connect of the pool's own would meet too."""
        with self._lock:
            if self._taken or self._closed:
                return None
            self._taken = True
        self._done.wait(self.timeout)
        with self._lock:
            stream, self._stream = self._stream, None
            self._closed = True  # from now on, whatever the thread finishes is closed
        same = (host, port, local_address, socket_options) == (self.host, self.port, None, None)
        if stream is None:
            if same and self._timed_out is not None:
                raise self._timed_out
            return None
        fresh = time.monotonic() - self._opened_at < IDLE_EXPIRY
        if not same or not fresh or not _still_open(stream):
            stream.close()
            return None
        return stream

    def discard(self) -> None:
        """Close the connection unless it was handed over (now or when it is opened)."""
        with self._lock:
            self._closed = True
            stream, self._stream = self._stream, None
        if stream is not None:
            stream.close()

    def settle(self, timeout: float) -> None:
        """Leave no handshake running: cut one in flight (unless the pool took the connection,
        in which case the thread is done) and wait up to ``timeout`` s for the thread."""
        if self._done.is_set():
            return
        self.discard()
        with self._lock:  # held: the handshake cannot end and its fd be reused meanwhile
            if self._handshaking >= 0:
                _shut_down(self._handshaking)  # the handshake's next read fails at once
        self._thread.join(timeout)


def _shut_down(fd: int) -> None:
    """Shut down the socket on ``fd`` without closing the fd (its owner closes it). The socket
    object the handshake started with gave its fd to the TLS socket: only the number is left."""
    with contextlib.suppress(OSError):
        sock = socket.socket(fileno=fd)
        try:
            sock.shutdown(socket.SHUT_RDWR)
        finally:
            sock.detach()


def _still_open(stream: Any) -> bool:
    """Whether the service has not closed the connection (nor sent anything unasked) yet.
    After a TLS 1.3 handshake the socket is readable for the session tickets alone: what
    is readable is read, without waiting."""
    if not stream.get_extra_info("is_readable"):
        return True
    sock = stream.get_extra_info("socket")
    if sock is None:
        return False
    try:
        sock.setblocking(False)
        try:
            sock.recv(1)  # an end of stream, or bytes no request asked for: unusable
        finally:
            sock.setblocking(True)
    except (ssl.SSLWantReadError, BlockingIOError):
        return True  # TLS records of the protocol's own, no data
    except OSError:
        return False
    return False


def goes_through_proxy(url: Any) -> bool:
    """Whether httpx (trust_env, as the SDK's client is) would send requests for `url`
    through a proxy of the environment: its mounts, first match in its order. In doubt, yes."""
    try:
        from httpx2._utils import URLPattern, get_environment_proxies

        proxies = get_environment_proxies()
        for pattern, proxy in sorted((URLPattern(key), value) for key, value in proxies.items()):
            if pattern.matches(url):
                return proxy is not None
    except Exception:  # noqa: BLE001 - in doubt, through a proxy
        return True
    return False


_lock = threading.Lock()
_current: EarlyConnection | None = None
_opened: list[EarlyConnection] = []  # every one this process opened, for `settle`


def open_early(endpoint: str, timeout: float, context: Callable[[], ssl.SSLContext | None]) -> None:
    """Start opening a connection to `endpoint` for the next client built (one at a time)."""
    global _current
    with _lock:
        previous, _current = _current, EarlyConnection(endpoint, timeout, context)
        _opened.append(_current)
    if previous is not None:
        previous.discard()


def pending() -> EarlyConnection | None:
    """The connection being opened, for the client being built to take."""
    with _lock:
        return _current


def settle(timeout: float = 2.0) -> None:
    """Before the process exits: no thread of this module is left inside OpenSSL."""
    with _lock:
        opened = list(_opened)
    for early in opened:
        early.settle(timeout)


def discard_pending() -> None:
    """Close the connection unless a client's pool took it (the command is over)."""
    global _current
    with _lock:
        early, _current = _current, None
    if early is not None:
        early.discard()
