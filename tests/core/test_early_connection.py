"""core/early_connection.py with the real SDK over loopback: the client's first request goes
over the connection opened before the client existed; one the service closed meanwhile is
replaced; one never taken is closed."""

from __future__ import annotations

import socket
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from azresp_cli.core import early_connection
from azresp_cli.core.client import connect_early, make_client
from azresp_cli.core.config import AuthMethod, Settings
from azresp_cli.core.events import TextDelta
from azresp_cli.core.request import TurnRequest
from azresp_cli.core.turn import run_turn
from azresp_cli.emulator.runner import RunningEmulator

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.latency import DelayProxy


def _settings(url: str) -> Settings:
    return Settings(endpoint=url, deployment="d", auth=AuthMethod.KEY, api_key="k", max_retries=0)


def _answer(settings: Settings, prompt: str) -> str:
    """One turn with a client built now (taking the early connection if it fits); its text."""
    client = make_client(settings)
    try:
        deltas = run_turn(client, settings, TurnRequest(prompt))
        return "".join(e.text for e in deltas if isinstance(e, TextDelta))
    finally:
        client.close()
        early_connection.discard_pending()


def _until(condition: object) -> None:
    """Wait (bounded) for something a thread does; the assertion after it says what."""
    for _ in range(1000):
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.01)


def test_the_first_request_goes_over_the_connection_opened_before_the_client(
    emulator: RunningEmulator,
) -> None:
    parts = urlsplit(emulator.base_url)
    with DelayProxy(parts.hostname or "127.0.0.1", parts.port or 80, 0.0) as proxy:
        settings = _settings(f"http://127.0.0.1:{proxy.port}/openai/v1/")
        connect_early(settings)
        _until(lambda: proxy.connections == 1)
        assert proxy.connections == 1  # opened, no client yet
        assert _answer(settings, "[[reply:early]]") == "early"
        assert proxy.connections == 1  # the request went over it


class ClosingFirst:
    """Closes its first connection at once; answers `{}` on the others."""

    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self.sent: list[bytes] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        with self._server:
            first, _ = self._server.accept()
            first.close()
            self.sent.append(b"")
            second, _ = self._server.accept()
            with second:
                data = b""
                while b"\r\n\r\n" not in data and (chunk := second.recv(65536)):
                    data += chunk
                self.sent.append(data)
                second.sendall(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                    b"content-length: 2\r\nconnection: close\r\n\r\n{}"
                )


def test_a_connection_the_service_closed_before_the_request_is_replaced() -> None:
    import httpx2

    server = ClosingFirst()
    settings = _settings(f"http://127.0.0.1:{server.port}/openai/v1/")
    connect_early(settings)
    _until(lambda: server.sent)
    client = make_client(settings)
    try:
        answer = client.get("/models", cast_to=httpx2.Response)
    finally:
        client.close()
        early_connection.discard_pending()
    assert answer.status_code == 200
    assert server.sent[0] == b""
    assert server.sent[1].startswith(b"GET /openai/v1/models HTTP/1.1")


def test_a_connection_no_client_took_is_closed() -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(30)
        connect_early(_settings(f"http://127.0.0.1:{server.getsockname()[1]}/openai/v1/"))
        accepted, _ = server.accept()
        with accepted:
            early_connection.discard_pending()
            accepted.settimeout(30)
            assert accepted.recv(1) == b""  # closed by the client, nothing sent


def test_a_connection_idle_longer_than_the_pool_keeps_one_is_not_used(
    emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(early_connection, "IDLE_EXPIRY", 0.0)  # every early one is too old
    parts = urlsplit(emulator.base_url)
    with DelayProxy(parts.hostname or "127.0.0.1", parts.port or 80, 0.0) as proxy:
        settings = _settings(f"http://127.0.0.1:{proxy.port}/openai/v1/")
        connect_early(settings)
        _until(lambda: proxy.connections == 1)
        assert _answer(settings, "[[reply:fresh]]") == "fresh"
        assert proxy.connections == 2  # the old one closed, the pool's own carried it


def test_settling_cuts_a_handshake_the_service_never_answers() -> None:
    import ssl

    # A server that accepts and then says nothing: the TLS handshake waits for its hello.
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(30)
        url = f"https://127.0.0.1:{server.getsockname()[1]}/openai/v1/"
        early_connection.open_early(url, 30.0, ssl.create_default_context)
        accepted, _ = server.accept()
        with accepted:
            accepted.settimeout(30)
            assert accepted.recv(1) == b"\x16"  # the client hello began: mid-handshake
            opened = early_connection.pending()
            assert opened is not None
            early_connection.settle(timeout=30.0)
            # Cut, not waited out (30 s): the thread has left OpenSSL before the process ends.
            assert not opened._thread.is_alive()
            early_connection.discard_pending()
