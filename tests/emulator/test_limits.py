"""The service's limits, enforced while a request arrives, and memory that stays bounded.

Memory is measured on an emulator in its own process (/proc/PID/status), never timed.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest
from emulator.processes import EmulatorProcess, read_until_closed, request_head
from emulator.support import TEST_KEY, Api, EmulatorFactory

from azresp_cli.emulator import intake, request_log
from azresp_cli.emulator.runner import EmulatorConfig, RunningEmulator

MIB = 1024 * 1024
API = "/openai/v1/responses"
KEY = {"api-key": TEST_KEY}


@pytest.fixture(scope="module")
def process() -> Iterator[EmulatorProcess]:
    with EmulatorProcess() as running:
        yield running


def _status_and_body(raw: bytes) -> tuple[int, dict[str, object]]:
    head, _, body = raw.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), json.loads(body)


@pytest.mark.slow
def test_a_declared_oversized_body_is_refused_before_it_is_read(process: EmulatorProcess) -> None:
    size = 200 * 1000 * 1000
    with process.connect() as connection:
        headers = {**KEY, "content-type": "application/json", "content-length": str(size)}
        connection.sendall(request_head("POST", API, headers))
        status, body = _status_and_body(read_until_closed(connection))  # nothing of the body sent
    assert status == 413
    error = body["error"]
    assert isinstance(error, dict) and error["code"] == "request_body_too_large"
    assert f"{intake.MAX_JSON_BODY_BYTES:,} bytes" in str(error["message"])


@pytest.mark.slow
def test_an_upload_over_the_files_limit_is_refused_before_it_is_read(
    process: EmulatorProcess,
) -> None:
    size = 700 * 1000 * 1000
    with process.connect() as connection:
        headers = {
            **KEY,
            "content-type": "multipart/form-data; boundary=x",
            "content-length": str(size),
        }
        connection.sendall(request_head("POST", "/openai/v1/files", headers))
        status, body = _status_and_body(read_until_closed(connection))
    assert status == 413
    assert f"{intake.MAX_MULTIPART_BODY_BYTES:,} bytes" in json.dumps(body)


@pytest.mark.slow
def test_a_chunked_body_is_cut_off_at_the_limit_without_buffering_it_all(
    process: EmulatorProcess,
) -> None:
    """100 MiB sent without a length: refused once past 72 MiB, the process grows less."""
    before = process.status("VmRSS")
    chunk = b"a" * MIB
    with process.connect(timeout=60) as connection:
        headers = {**KEY, "content-type": "application/json", "transfer-encoding": "chunked"}
        connection.sendall(request_head("POST", API, headers))
        connection.sendall(b'%x\r\n{"model":"m","input":"\r\n' % len(b'{"model":"m","input":"'))
        try:
            for _ in range(100):
                connection.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused and closed while we were still sending: the point
        status, _ = _status_and_body(read_until_closed(connection))
    assert status == 413
    peak_growth = process.status("VmHWM") - before
    assert peak_growth < 100 * 1024, f"grew by {peak_growth} KiB for a 100 MiB body"


@pytest.mark.parametrize(
    "raw",
    [
        b'{"model": "m", "input": "x", "temperature": NaN}',
        b'{"model": "m", "input": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        b'{"model": "m", "input": ' + b"[" * 500 + b"]" * 500 + b"}",
        b'{"model": "m", "input": "\xff\xfe"}',
    ],
    ids=["nan", "nesting-5000", "nesting-500", "not-utf8"],
)
def test_bad_json_is_the_services_400_not_a_500(api: Api, raw: bytes) -> None:
    reply = api.post("responses", raw_body=raw, validate=False)
    assert reply.status == 400, reply.text
    assert reply.headers["content-type"] == "application/json"
    assert reply.error["message"].startswith("We could not parse the JSON body")


def test_refused_requests_are_logged_without_their_bodies(
    emulator_factory: EmulatorFactory,
) -> None:
    running = emulator_factory(EmulatorConfig(api_keys=frozenset({"right"})))
    api = Api(running.base_url, headers={"api-key": "wrong"})
    big = {"model": "m", "input": "x" * MIB}
    for _ in range(3):
        assert api.post("responses", big, validate=False).status == 401
    assert [(r.rejected, r.json) for r in running.requests] == [(401, None)] * 3


def test_the_request_log_keeps_the_newest_requests_only(
    emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(request_log, "MAX_LOGGED_REQUESTS", 20)  # 1,000 by default
    host, port = emulator.base_url.split("//")[1].split("/")[0].split(":")
    total = 20 + 50
    body = json.dumps({"model": "m", "input": "x"}).encode()
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        reader = connection.makefile("rb")
        for number in range(total):
            headers = {**KEY, "content-type": "application/json", "content-length": str(len(body))}
            head = request_head("POST", f"{API}/input_tokens?n={number}", headers)
            connection.sendall(head + body)
            _read_reply(reader)
    logged = emulator.requests
    assert len(logged) == 20
    assert logged[-1].query == {"n": str(total - 1)} and logged[0].query == {"n": "50"}


def test_a_large_body_is_logged_without_its_json(emulator: RunningEmulator, api: Api) -> None:
    text = "x" * (request_log.MAX_LOGGED_BODY_BYTES + 10)
    assert api.post("responses/input_tokens", {"model": "m", "input": text}).status == 200
    [logged] = emulator.requests
    assert logged.json is None and logged.path.endswith("/input_tokens")


@pytest.mark.slow
def test_finished_responses_do_not_keep_their_event_logs(process: EmulatorProcess) -> None:
    """200 stored answers of ~2,000 tokens: their ~550 events each are not kept."""
    api = Api(process.base_url)
    for _ in range(20):  # warm up: imports, caches, the allocator's first arenas
        api.create(input="[[long:2000]]", stream=True)
    before = process.status("VmRSS")
    for _ in range(200):
        api.post(
            "responses", {"model": "m", "input": "[[long:2000]]", "stream": True}, validate=False
        )
    growth = process.status("VmRSS") - before
    # Their events would be ~30 MB; the answers themselves (~10 kB each) about 2 MB.
    assert growth < 12 * 1024, f"grew by {growth} KiB"


def _read_reply(reader: socket.SocketIO | object) -> None:
    """Read one HTTP/1.1 reply with a content-length from a buffered socket file."""
    length = 0
    while True:
        line = reader.readline()  # type: ignore[attr-defined]
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
    reader.read(length)  # type: ignore[attr-defined]


@pytest.mark.slow
def test_a_chunked_upload_is_refused_as_it_crosses_the_limit(
    emulator: RunningEmulator, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Uploads are read by their route through the same limit (513 MiB, lowered here)."""
    monkeypatch.setattr(intake, "MAX_MULTIPART_BODY_BYTES", MIB)
    host, port = emulator.base_url.split("//")[1].split("/")[0].split(":")
    opening = (
        b'--b\r\ncontent-disposition: form-data; name="purpose"\r\n\r\nassistants\r\n'
        b'--b\r\ncontent-disposition: form-data; name="file"; filename="big.bin"\r\n'
        b"content-type: application/octet-stream\r\n\r\n"
    )
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        headers = {**KEY, "content-type": "multipart/form-data; boundary=b"}
        head = request_head("POST", "/openai/v1/files", {**headers, "transfer-encoding": "chunked"})
        connection.sendall(head + b"%x\r\n" % len(opening) + opening + b"\r\n")
        try:
            for _ in range(8):
                connection.sendall(b"%x\r\n" % (256 * 1024) + b"z" * 256 * 1024 + b"\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        status, body = _status_and_body(read_until_closed(connection))
    assert status == 413 and f"{MIB:,} bytes" in json.dumps(body)
    assert api.get("files").json["data"] == []
