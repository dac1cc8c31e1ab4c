"""The client's side of the early connection (core/early_connection.py): a network backend
for the SDK's connection pool that takes it for the pool's first connection to its origin.

The pool opens connections through its network backend (``connect_tcp``, then, for https,
``start_tls`` on the stream it got). `EarlyBackend` answers the first ``connect_tcp`` for the
early connection's host and port with that connection; for https, its ``start_tls`` hands
over the finished handshake only when asked for the same one (the same TLS context object,
the same server name), and otherwise opens a new connection and does the handshake asked
for. Every other connect goes to the pool's own backend.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterable
from typing import Any

import httpcore2

from azresp_cli.core.early_connection import EarlyConnection

SocketOption = Any  # httpcore2's SOCKET_OPTION union


def install(http_client: Any, endpoint: str, early: EarlyConnection) -> bool:
    """Give the client's pool for `endpoint` the early connection; if the client is not laid
    out as expected or would not connect directly, close it instead (False)."""
    import httpx2

    transport = getattr(http_client, "_transport", None)
    pool = getattr(transport, "_pool", None)
    inner = getattr(pool, "_network_backend", None)
    try:
        direct = http_client._transport_for_url(httpx2.URL(endpoint)) is transport
    except Exception:  # noqa: BLE001 - not laid out as this version of httpx2 is
        direct = False
    if (
        not direct
        or not isinstance(pool, httpcore2.ConnectionPool)
        or not isinstance(inner, httpcore2.SyncBackend)
        or type(inner) is not httpcore2.SyncBackend  # not a backend of someone else's
    ):
        early.discard()
        return False
    pool._network_backend = EarlyBackend(inner, early)
    return True


class EarlyBackend(httpcore2.NetworkBackend):
    def __init__(self, inner: httpcore2.NetworkBackend, early: EarlyConnection) -> None:
        self._inner = inner
        self._early = early

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore2.NetworkStream:
        def connect() -> httpcore2.NetworkStream:
            return self._inner.connect_tcp(host, port, timeout, local_address, socket_options)

        stream = self._early.take(host, port, local_address, socket_options)
        if stream is None:
            return connect()
        if not self._early.https:
            return stream  # type: ignore[no-any-return]
        return _Secured(stream, self._early, connect)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore2.NetworkStream:
        return self._inner.connect_unix_socket(path, timeout, socket_options)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _Secured(httpcore2.NetworkStream):
    """A connection whose TLS handshake is done, until the pool asks for it."""

    def __init__(
        self,
        tls: httpcore2.NetworkStream,
        early: EarlyConnection,
        connect: Callable[[], httpcore2.NetworkStream],
    ) -> None:
        self._tls = tls
        self._early = early
        self._connect = connect

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore2.NetworkStream:
        if ssl_context is self._early.context and server_hostname == self._early.host:
            return self._tls
        self._tls.close()  # another handshake asked for: made as the pool would make it
        return self._connect().start_tls(ssl_context, server_hostname, timeout)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._tls.read(max_bytes, timeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._tls.write(buffer, timeout)

    def close(self) -> None:
        self._tls.close()

    def get_extra_info(self, info: str) -> Any:
        return self._tls.get_extra_info(info)
