"""Starting, stopping and binding: start_in_thread, serve, the loopback rule."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from emulator.support import Api

from azresp_cli.emulator.runner import NonLoopbackHostError, serve, start_in_thread


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.com", "::"])  # noqa: S104
def test_non_loopback_hosts_are_refused(host: str) -> None:
    with pytest.raises(NonLoopbackHostError):
        start_in_thread(host)
    with pytest.raises(NonLoopbackHostError):
        serve(host, 0)


def test_loopback_names_work_and_stop_closes_the_port() -> None:
    with start_in_thread("localhost") as running:
        assert running.base_url.startswith("http://127.0.0.1:") and running.base_url.endswith(
            "/openai/v1/"
        )
        assert Api(running.base_url).create(input="x").status == 200
    port = int(running.base_url.split(":")[2].split("/")[0])
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/openai/v1/responses", timeout=2)


def test_ipv6_loopback() -> None:
    probe = socket.socket(socket.AF_INET6)
    try:
        probe.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback here")
    finally:
        probe.close()
    with start_in_thread("::1") as running:
        assert running.base_url.startswith("http://[::1]:")
        assert Api(running.base_url).create(input="x").status == 200


def test_thread_mode_is_quiet(capfd: pytest.CaptureFixture[str]) -> None:
    with start_in_thread() as running:
        api = Api(running.base_url)
        api.create(input="x")
        api.get("responses/resp_missing")
        api.post("responses", {"model": "m", "input": "x [[fault:cut:2]]", "stream": True})
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


SERVE_SCRIPT = """
from azresp_cli.emulator.runner import serve
try:
    serve("127.0.0.1", 0, on_ready=lambda url: print(url, flush=True))
except KeyboardInterrupt:
    print("stopped", flush=True)
"""


@pytest.mark.slow
def test_serve_runs_in_the_foreground_until_ctrl_c() -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE_SCRIPT],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/openai/v1/")
        assert Api(base_url).create(input="x").status == 200
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    finally:
        process.kill()
    assert out.strip() == "stopped" and process.returncode == 0
    assert "INFO" not in err and "GET" not in err and "POST" not in err  # no access log


def test_stop_does_not_wait_for_open_streams() -> None:
    running = start_in_thread()
    api = Api(running.base_url)
    response = api.open_stream(
        "POST", "responses", {"model": "m", "input": "[[slow:1000]] a b c d e f g", "stream": True}
    )
    response.readline()
    running.stop()  # returns although the stream has seconds to go
    response.close()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((api.host, api.port), timeout=2)


def test_the_control_route_counts_accepted_connections() -> None:
    with start_in_thread() as running:
        api = Api(running.base_url)
        for _ in range(3):  # http.client: one connection per request here
            api.create(input="[[reply:hi]]")
        counted = api.get("/_emulator/connections", validate=False)
        assert counted.status == 200
        assert counted.json == {"accepted": 4}  # the three creates and this request
        assert running.connections_accepted == 4
        running.reset()  # its own request, counted before the reset zeroes the count
        assert running.connections_accepted == 0
