"""A one-shot opens its connection while openai imports (core/early_connection.py): the
request goes over it, TLS is verified as ever, a proxy turns it off, nothing leaks.

Connections are counted where they arrive: at a loopback proxy in front of the emulator
(bench/latency.py's `DelayProxy`, with no delay; with a TLS context it counts completed
handshakes) or at a bare listener.
"""

from __future__ import annotations

import socket
import ssl
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from cli_support import TEST_KEY, Process, RunCli

from azresp_cli.emulator.runner import RunningEmulator

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.latency import DelayProxy, throwaway_certificate

# Unclosed sockets are reported (and failed on) in the subprocesses too.
WATCHFUL = {"PYTHONDEVMODE": "1", "PYTHONWARNINGS": "always::ResourceWarning"}


class Listener:
    """127.0.0.1:port: accepts connections and keeps what each sent until it closed."""

    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self.received: list[bytes] = []
        self.accepted = threading.Semaphore(0)
        self._threads: list[threading.Thread] = []
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self._server.accept()
            except OSError:
                return
            thread = threading.Thread(target=self._read, args=(connection,), daemon=True)
            thread.start()
            self._threads.append(thread)
            self.accepted.release()

    def _read(self, connection: socket.socket) -> None:
        data = b""
        with connection:
            connection.settimeout(30)
            while chunk := connection.recv(65536):
                data += chunk
                if b"\r\n\r\n" in data:  # a request: refuse it
                    connection.sendall(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n")
                    break
        self.received.append(data)

    def wait_for_a_connection(self) -> bool:
        return self.accepted.acquire(timeout=30)

    def closed_connections(self) -> list[bytes]:
        """What each connection sent, once every accepted one is closed (bounded wait)."""
        for thread in list(self._threads):
            thread.join(30)
        return self.received

    def close(self) -> None:
        self._server.close()


@contextmanager
def counting(emulator: RunningEmulator, tls: ssl.SSLContext | None = None) -> Iterator[DelayProxy]:
    parts = urlsplit(emulator.base_url)
    with DelayProxy(parts.hostname or "127.0.0.1", parts.port or 80, 0.0, tls=tls) as proxy:
        yield proxy


@contextmanager
def tls_certificate() -> Iterator[tuple[ssl.SSLContext, str]]:
    with tempfile.TemporaryDirectory() as folder:
        certificate, key = throwaway_certificate(folder)
        server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        server.load_cert_chain(certificate, key)
        yield server, certificate


def _variables(url: str) -> dict[str, str]:
    return {
        "AZURE_OPENAI_ENDPOINT": url,
        "AZURE_OPENAI_API_KEY": TEST_KEY,
        "AZURE_OPENAI_DEPLOYMENT": "gpt-test",
        "AZRESP_MAX_RETRIES": "0",
        **WATCHFUL,
    }


def test_a_one_shot_makes_exactly_one_connection(azresp: RunCli, emulator: RunningEmulator) -> None:
    with counting(emulator) as proxy:
        url = f"http://127.0.0.1:{proxy.port}/openai/v1/"
        result = azresp("chat", "[[reply:over one connection]]", env=_variables(url))
        assert result.exit_code == 0, result.stderr
        assert result.stdout == "over one connection\n"
        assert proxy.connections == 1  # the early one, taken by the client (next test)


def test_a_one_shot_opens_its_connection_before_the_client_and_closes_it_unused(
    azresp: RunCli,
) -> None:
    # --jsonl with --no-stream is refused after the endpoint is known, before any request:
    # the connection opened early is closed without a byte sent.
    listener = Listener()
    try:
        url = f"http://127.0.0.1:{listener.port}/openai/v1/"
        result = azresp("chat", "--jsonl", "--no-stream", "hi", env=_variables(url))
        assert result.exit_code == 2
        assert "--jsonl prints the stream's events" in result.stderr
        assert listener.wait_for_a_connection()  # opened (in this process, even if late)
        assert listener.closed_connections() == [b""]
    finally:
        listener.close()


@pytest.mark.slow  # processes: the TLS context honours SSL_CERT_FILE from their start
def test_over_tls_the_one_shot_makes_exactly_one_connection(
    azresp_process: Process, emulator: RunningEmulator
) -> None:
    with tls_certificate() as (server, certificate), counting(emulator, server) as proxy:
        url = f"https://127.0.0.1:{proxy.port}/openai/v1/"
        done = azresp_process(
            "chat", "[[reply:over tls]]", env={**_variables(url), "SSL_CERT_FILE": certificate}
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout == "over tls\n"
        assert "ResourceWarning" not in done.stderr
        assert proxy.connections == 1  # completed handshakes: the early one only


@pytest.mark.slow
def test_an_untrusted_certificate_fails_the_one_shot_as_any_request(
    azresp_process: Process, emulator: RunningEmulator
) -> None:
    with tls_certificate() as (server, _), counting(emulator, server) as proxy:
        url = f"https://127.0.0.1:{proxy.port}/openai/v1/"
        one_shot = azresp_process("chat", "hi", env=_variables(url))
        # `get` sends its request without opening anything early: the reference.
        plain = azresp_process("get", "resp_0123456789abcdef", env=_variables(url))
        assert proxy.connections == 0  # no handshake completed: nothing reached the service
    assert one_shot.returncode == plain.returncode == 7
    assert one_shot.stdout == ""
    lines = one_shot.stderr.splitlines()
    assert lines == plain.stderr.splitlines(), (one_shot.stderr, plain.stderr)
    assert lines[0].startswith("error: could not reach the service: [SSL: CERTIFICATE_VERIFY")
    assert lines[1].startswith("hint: ")
    assert "Traceback" not in one_shot.stderr and "ResourceWarning" not in one_shot.stderr


@pytest.mark.slow
def test_a_proxy_from_the_environment_gets_the_connection_not_the_endpoint(
    azresp_process: Process, emulator: RunningEmulator
) -> None:
    listener = Listener()  # the proxy: answers 502 to what it is asked
    try:
        with counting(emulator) as endpoint:
            url = f"http://127.0.0.1:{endpoint.port}/openai/v1/"
            proxy = f"http://127.0.0.1:{listener.port}"
            # Both spellings: the lower-case one wins where both are set (urllib).
            proxied = {**_variables(url), "HTTP_PROXY": proxy, "http_proxy": proxy}
            for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
                proxied[name] = ""
            through = azresp_process("chat", "[[reply:direct]]", env=proxied)
            assert endpoint.connections == 0  # nothing opened early past the proxy
            requests = listener.closed_connections()
            assert len(requests) == 1
            assert requests[0].startswith(f"POST {url}responses HTTP/1.1".encode())
            assert through.returncode != 0
            assert "ResourceWarning" not in through.stderr

            # NO_PROXY naming the endpoint's host: direct, over the one early connection.
            bypass = {"NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}
            direct = azresp_process("chat", "[[reply:direct]]", env={**proxied, **bypass})
            assert direct.returncode == 0, direct.stderr
            assert direct.stdout == "direct\n"
            assert endpoint.connections == 1
            assert len(listener.closed_connections()) == 1
    finally:
        listener.close()


def test_commands_that_send_no_request_open_no_connection(azresp: RunCli) -> None:
    listener = Listener()
    try:
        url = f"http://127.0.0.1:{listener.port}/openai/v1/"
        for argv in (("--help",), ("chat", "--help"), ("config", "list"), ("usage",)):
            result = azresp(*argv, env=_variables(url))
            assert result.exit_code == 0, (argv, result.output)
        assert listener.closed_connections() == []
    finally:
        listener.close()
