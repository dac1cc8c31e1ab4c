"""Issue 12 item 2: every read of user input and of the service's answers is bounded.

Each test runs the real azresp in a subprocess under an address-space cap (conftest.py): what
used to grow without end (an endless SSE line, /dev/zero attached, a 2 GB download in memory)
now ends with one clear error and a small peak RSS.
"""

from __future__ import annotations

import os
import resource
import sys
from pathlib import Path

import pexpect
import pytest
from hostile.capped import ADDRESS_SPACE_LIMIT, Capped
from hostile.hostile_server import endless_data_lines, endless_sse_line, hostile_server, sized_body

MB = 1_000_000
READY = "\x1b[?2004h"  # prompt_toolkit's bracketed paste on: the prompt is ready
# azresp itself peaks near 130 MB here (python, openai, pydantic, one 64 MB event at most).
PEAK_RSS_LIMIT = 400 * MB


def _service(url: str) -> dict[str, str]:
    return {
        "AZURE_OPENAI_ENDPOINT": url,
        "AZURE_OPENAI_API_KEY": "test-key",
        "AZURE_OPENAI_DEPLOYMENT": "gpt-test",
    }


@pytest.mark.parametrize("handler", [endless_sse_line, endless_data_lines])
def test_an_endless_stream_event_ends_with_exit_7_in_bounded_memory(
    capped: Capped, handler: object
) -> None:
    with hostile_server(handler) as (url, seen):  # type: ignore[arg-type]
        run = capped("chat", "hello", env=_service(url))
    assert seen and seen[0][0] == "POST"
    assert run.exit_code == 7, run.stderr
    assert run.stderr.startswith(
        "error: the stream broke off: the service sent an event larger than 64 MB"
    )
    assert "hint: " in run.stderr and "Traceback" not in run.stderr
    assert run.peak_rss < PEAK_RSS_LIMIT


def test_a_large_download_streams_to_disk(capped: Capped, tmp_path: Path) -> None:
    size = 300 * MB
    with hostile_server(sized_body(size)) as (url, seen):
        run = capped(
            "files", "download", "file-big", "-o", str(tmp_path / "big.bin"), env=_service(url)
        )
    assert run.exit_code == 0, run.stderr
    assert seen == [("GET", "/openai/v1/files/file-big/content")]
    assert (tmp_path / "big.bin").stat().st_size == size
    assert run.peak_rss < 250 * MB  # the file is 300 MB: it never was in memory
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".azresp-")] == []


def test_a_broken_download_leaves_nothing_behind(capped: Capped, tmp_path: Path) -> None:
    def cut(method: str, path: str, out: object) -> None:
        from hostile.hostile_server import send_headers

        send_headers(out, "200 OK", {"content-length": str(10 * MB)})  # type: ignore[arg-type]
        out.write(b"z" * 1000)  # type: ignore[attr-defined]

    target = tmp_path / "out"
    target.mkdir()
    with hostile_server(cut) as (url, _seen):
        run = capped("files", "download", "file-cut", "-o", str(target), env=_service(url))
    assert run.exit_code == 7, run.stderr
    assert run.stderr.startswith("error: the download broke off")
    assert list(target.iterdir()) == []


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    return path


@pytest.fixture
def device_link(tmp_path: Path) -> Path:
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    return link


@pytest.mark.parametrize(
    ("target", "kind"),
    [
        (lambda fifo, link: "/dev/zero", "is a character device"),
        (lambda fifo, link: "/dev/urandom", "is a character device"),
        (lambda fifo, link: str(link), "is a character device"),
        (lambda fifo, link: str(fifo), "is a FIFO (named pipe)"),
    ],
    ids=["dev-zero", "dev-urandom", "symlink-to-device", "fifo"],
)
@pytest.mark.parametrize(
    "command",
    [
        ("chat", "--emulator", "-a", "{}", "describe it"),
        ("files", "upload", "--emulator", "{}"),
        ("chat", "--emulator", "--tool", "{}", "hi"),
    ],
    ids=["attach", "upload", "tool"],
)
def test_special_files_are_refused_at_once(
    capped: Capped,
    fifo: Path,
    device_link: Path,
    target: object,
    kind: str,
    command: tuple[str, ...],
) -> None:
    path = target(fifo, device_link)  # type: ignore[operator]
    run = capped(*(part.format(path) for part in command))
    assert run.exit_code == 2, run.stderr
    assert run.stderr.startswith(f"error: {path} {kind}\nhint: ")
    assert run.peak_rss < PEAK_RSS_LIMIT


def test_a_file_larger_than_its_limit_is_refused_without_reading_it_all(
    capped: Capped, tmp_path: Path
) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as file:
        file.truncate(3 * 1024**3)  # sparse: 3 GB that st_size reports honestly
    run = capped("chat", "--emulator", "-a", str(big), "hi")
    assert run.exit_code == 2
    assert run.stderr.startswith(f"error: {big} is too large (3.2 GB; at most 1 MB)")


def test_piped_stdin_is_bounded(capped: Capped) -> None:
    run = capped("chat", "--emulator", stdin="/dev/zero")
    assert run.exit_code == 2, run.stderr
    assert run.stderr.startswith(
        "error: stdin holds more than 10 MB; azresp reads at most that from a pipe"
    )
    assert run.peak_rss < PEAK_RSS_LIMIT


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_LIMIT, ADDRESS_SPACE_LIMIT))


@pytest.mark.pty
def test_attach_dev_zero_in_the_chat_session_is_refused(tmp_path: Path, fifo: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AZURE_OPENAI")},
        "AZRESP_CONFIG_DIR": str(tmp_path / "config"),
        "AZRESP_DATA_DIR": str(tmp_path / "data"),
        "TERM": "xterm",
    }
    child = pexpect.spawn(
        sys.executable,
        ["-m", "azresp_cli", "chat", "--emulator"],
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 120),
        preexec_fn=_cap,
    )
    try:
        child.expect_exact(READY)
        child.send("/attach /dev/zero\r")
        child.expect_exact("/dev/zero is a character device")
        child.expect_exact(READY)
        child.send(f"/attach {fifo}\r")
        child.expect_exact("is a FIFO")
        child.expect_exact(READY)
        child.send("/exit\r")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
