"""Connections that cannot hold the emulator: slow clients, too many, gone ones, Ctrl-C.

Each runs an emulator in its own process and reads what it logged after stopping it.
Waits are bounded by socket timeouts; nothing asserts how long anything took.
"""

from __future__ import annotations

import http.client
import json
import logging
import signal
import socket
import threading
import time

import pytest
from emulator.processes import EmulatorProcess, read_until_closed, request_head
from emulator.support import TEST_KEY, Api

from azresp_cli.emulator.guard import ConditionLog
from azresp_cli.emulator.runner import RunningEmulator

API = "/openai/v1/responses"
KEY = {"api-key": TEST_KEY}


def _post(body: dict[str, object]) -> bytes:
    data = json.dumps(body).encode()
    headers = {**KEY, "content-type": "application/json", "content-length": str(len(data))}
    return request_head("POST", API, headers) + data


@pytest.mark.slow
def test_slow_and_silent_connections_are_closed_and_logged_once() -> None:
    with EmulatorProcess({"header_timeout": 1, "body_timeout": 1}) as emulator:
        silent = [emulator.connect() for _ in range(10)]
        partial = [emulator.connect() for _ in range(10)]
        for connection in partial:
            connection.sendall(b"POST /openai/v1/responses HTTP/1.1\r\nhost: 127.0.0.1\r\n")
        stalled = emulator.connect()
        stalled.sendall(request_head("POST", API, {**KEY, "content-length": "100"}) + b"{")
        for connection in [*silent, *partial, stalled]:
            assert read_until_closed(connection) == b""  # closed by the server, no reply
            connection.close()
        assert Api(emulator.base_url).create(input="[[reply:still here]]").status == 200
        log = emulator.stop()
    headers_lines = [line for line in log.splitlines() if "no complete request headers" in line]
    body_lines = [line for line in log.splitlines() if "stopped sending its request body" in line]
    assert len(headers_lines) == 1 and len(body_lines) == 1, log
    assert "Traceback" not in log


@pytest.mark.slow
def test_connections_beyond_the_limit_get_503_and_one_log_line() -> None:
    with EmulatorProcess({"max_connections": 8, "header_timeout": 60}) as emulator:
        held = [emulator.connect() for _ in range(8)]
        time.sleep(0.2)  # let the server take them in before the next ones arrive
        replies = []
        for _ in range(40):
            with emulator.connect() as extra:
                replies.append(read_until_closed(extra))
        fds_at_limit = emulator.open_fds()
        for connection in held:
            connection.close()
        served = _until_served(emulator)
        log = emulator.stop()
    assert all(reply.startswith(b"HTTP/1.1 503 ") for reply in replies)
    assert b'"code": "503"' in replies[0]
    assert fds_at_limit < 40  # refused connections are closed at once
    assert served.startswith(b"HTTP/1.1 200 ")
    assert len([line for line in log.splitlines() if "connections are open" in line]) == 1, log


def _until_served(emulator: EmulatorProcess) -> bytes:
    """A request once the held connections are gone (their closing is asynchronous)."""
    for _ in range(100):
        with emulator.connect() as connection:
            connection.sendall(_post({"model": "m", "input": "[[reply:ok]]"}))
            connection.shutdown(socket.SHUT_WR)
            reply = read_until_closed(connection)
        if not reply.startswith(b"HTTP/1.1 503 "):
            return reply
        time.sleep(0.05)
    return reply


@pytest.mark.slow
def test_a_client_that_leaves_mid_stream_stops_the_generation_quietly() -> None:
    with EmulatorProcess() as emulator:
        connection = emulator.connect()
        connection.sendall(_post({"model": "m", "input": "[[long:60000]]", "stream": True}))
        first = b""
        while b"response.created" not in first or b"\n\n" not in first.split(b"created", 1)[1]:
            first += connection.recv(65536)
        response_id = first.split(b'"id":"', 1)[1].split(b'"', 1)[0].decode()
        connection.setsockopt(
            socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
        )
        connection.close()  # a reset, as a killed client leaves it
        api = Api(emulator.base_url)
        status = "in_progress"
        for _ in range(200):
            status = api.get(f"responses/{response_id}").json["status"]
            if status != "in_progress":
                break
            time.sleep(0.05)
        log = emulator.stop()
    assert status == "cancelled"
    assert "socket.send() raised exception" not in log
    assert len(log.splitlines()) <= 2, log


@pytest.mark.slow
def test_ctrl_c_while_a_request_waits_prints_no_traceback() -> None:
    emulator = EmulatorProcess(command=["emulator", "--port", "0"])
    replies: list[bytes] = []

    def wait_for_reply() -> None:
        with emulator.connect(timeout=30) as connection:
            connection.sendall(_post({"model": "m", "input": "[[fault:slow_first_byte:8000]]"}))
            replies.append(read_until_closed(connection, deadline=30))

    waiting = threading.Thread(target=wait_for_reply)
    waiting.start()
    api = Api(emulator.base_url)
    for _ in range(200):  # until the server holds the request
        logged = api.get("/_emulator/requests", validate=False).json
        if any(entry["path"] == API for entry in logged):
            break
        time.sleep(0.02)
    log = emulator.stop(signal.SIGINT)
    waiting.join(timeout=30)
    assert emulator.process.returncode in (0, 130)
    assert "Traceback" not in log and "Exception in ASGI application" not in log, log
    assert "CancelledError" not in log
    assert replies and (replies[0] == b"" or replies[0].startswith(b"HTTP/1.1 503 "))


def test_a_condition_is_logged_once_then_once_a_minute_with_a_count() -> None:
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    logger = logging.getLogger("test.condition_log")
    logger.addHandler(Collect())
    now = [1000.0]
    log = ConditionLog(logger, clock=lambda: now[0])
    for _ in range(500):  # e.g. EMFILE on every accept attempt
        log.loop_errors(None, {"message": "socket.accept() out of system resource"})  # type: ignore[arg-type]
    now[0] += 61
    log.loop_errors(None, {"message": "socket.accept() out of system resource"})  # type: ignore[arg-type]
    assert records == [
        "emulator: socket.accept() out of system resource",
        "emulator: socket.accept() out of system resource (499 more times since the last report)",
    ]


def test_accepted_connections_send_small_writes_at_once(emulator: RunningEmulator) -> None:
    """TCP_NODELAY on the server's side: a kept-alive client is not held up by delayed ACKs."""
    api = Api(emulator.base_url)
    connection = http.client.HTTPConnection(api.host, api.port, timeout=30)
    try:
        connection.request("GET", api.url_path("files"), headers=KEY)
        assert connection.getresponse().read()
        served = list(emulator._server.server_state.connections)
        sockets = [protocol.transport.get_extra_info("socket") for protocol in served]
        assert sockets and all(
            sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) for sock in sockets
        )
    finally:
        connection.close()
