"""The fork server (tests/forkserver.py) stands in for `python -m azresp_cli` in most process
tests; these check that what a test sees of such a process is what it would see of a new one."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest
from cli_support import TESTS_DIR, python_command, spawn_azresp, start_fork_server
from forkserver import SOCKET_VARIABLE

pytestmark = pytest.mark.slow

PROBE = TESTS_DIR / "setup" / "forkserver_probe.py"


@pytest.fixture(scope="module")
def served() -> Iterator[dict[str, str]]:
    """An environment whose processes go through a fork server of this module's own, once it
    serves (it takes a moment to import what it preloads)."""
    previous = os.environ.pop(SOCKET_VARIABLE, None)  # "off" turns off the suite's, not this one
    server = start_fork_server()
    assert server is not None
    env = dict(os.environ)
    socket_path = Path(env[SOCKET_VARIABLE])
    deadline = time.monotonic() + 60
    while not socket_path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert socket_path.exists(), (server.directory / "log").read_text()
    yield env
    server.stop()
    if previous is None:
        os.environ.pop(SOCKET_VARIABLE, None)
    else:
        os.environ[SOCKET_VARIABLE] = previous


def served_runs(env: dict[str, str]) -> list[str]:
    log = Path(env[SOCKET_VARIABLE]).with_name("log")
    return [line for line in log.read_text().splitlines() if line.startswith("run ")]


def probe(env: dict[str, str], *args: str | bytes, stdin: bytes = b"") -> tuple[int, bytes]:
    done = subprocess.run(
        [*python_command(PROBE), *args],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


def test_a_run_sees_its_own_arguments_environment_directory_and_streams(
    served: dict[str, str], tmp_path: Path
) -> None:
    before = len(served_runs(served))
    env = {**served, "PROBE_VALUE": "from the caller"}
    code, output = probe(env, "report", b"caf\xe9", stdin=b"in \xff bytes")
    assert code == 0, output
    report = output.decode(errors="surrogateescape")
    assert "argv ['report', 'caf\\udce9']" in report  # undecodable bytes, as Python decodes them
    assert "env from the caller" in report
    assert "stdin b'in \\xff bytes'" in report
    assert "stdout-line-buffered False" in report  # a pipe, as for a new interpreter
    assert len(served_runs(served)) == before + 1  # it was a fork, not a new interpreter


def test_exit_codes_and_deaths_by_signal_come_through(served: dict[str, str]) -> None:
    assert probe(served, "exit", "7")[0] == 7
    assert probe(served, "kill", str(int(signal.SIGTERM)))[0] == -signal.SIGTERM


def test_signals_sent_to_the_stand_in_reach_the_run(served: dict[str, str]) -> None:
    process = subprocess.Popen(
        [*python_command(PROBE), "wait-for-sigint"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=served,
    )
    assert process.stdout is not None
    assert process.stdout.readline() == b"waiting\n"
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 42  # the run's handler chose the exit code


def test_a_killed_stand_in_takes_its_run_along(served: dict[str, str], tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    process = subprocess.Popen(
        [*python_command(PROBE), "sleep", str(pid_file)],
        stdout=subprocess.PIPE,
        env=served,
    )
    assert process.stdout is not None
    assert process.stdout.readline() == b"sleeping\n"
    run = int(pid_file.read_text())
    process.kill()
    process.wait(timeout=30)
    deadline = time.monotonic() + 30
    while _alive(run) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not _alive(run)


def test_another_locale_or_interpreter_setting_starts_anew(served: dict[str, str]) -> None:
    before = len(served_runs(served))
    code, output = probe({**served, "PYTHONIOENCODING": "latin-1"}, "encoding")
    assert code == 0 and b"stdout-encoding iso8859-1" in output
    assert len(served_runs(served)) == before  # not served: a new interpreter read the variable


def test_azresp_in_a_terminal_through_the_server(served: dict[str, str]) -> None:
    before = len(served_runs(served))
    child = spawn_azresp("--version", env=served, timeout=30)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and b"azresp " in child.before
    assert len(served_runs(served)) == before + 1


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return status != "Z"
