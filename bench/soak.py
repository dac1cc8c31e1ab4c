"""Soak: the emulator's resident memory over many requests must stay flat.

    .venv/bin/python -m bench.soak                       # 20,000 requests, a sample every 1,000
    .venv/bin/python -m bench.soak --requests 2000       # shorter
    .venv/bin/python -m bench.soak --source /path/to/other/checkout   # the same, on other code

Run on demand, never in CI (a full run takes about a minute). A fresh `azresp emulator` process
serves a rotating mix over loopback, each request on its own connection:

- a stored response (the default answer, no streaming);
- a stored, streamed response of ~300 tokens (its events are what used to pile up);
- a request refused 401 (no key) carrying a 100 kB body (refused bodies used to be logged).

VmRSS of the emulator (/proc/PID/status) is sampled every `--sample-every` requests and
printed as a Markdown table, with the growth from the first sample to the last. `--source`
runs the emulator from another checkout (PYTHONPATH and working directory), so the same soak
gives before/after figures for two versions of the code.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

KIB_PER_MIB = 1024
REFUSED_BODY_BYTES = 100_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.soak", description="The emulator's RSS over many requests."
    )
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--sample-every", type=int, default=1_000)
    parser.add_argument("--source", type=Path, help="run the emulator from this checkout")
    options = parser.parse_args(argv)
    emulator, port = _start(options.source)
    try:
        samples = [(0, _rss_kib(emulator.pid))]
        started = time.perf_counter()
        for number in range(1, options.requests + 1):
            _request(port, number)
            if number % options.sample_every == 0 or number == options.requests:
                samples.append((number, _rss_kib(emulator.pid)))
        elapsed = time.perf_counter() - started
    finally:
        emulator.terminate()
        emulator.wait(timeout=30)
    _report(samples, elapsed, options.source)
    return 0


def _start(source: Path | None) -> tuple[subprocess.Popen[str], int]:
    env = dict(os.environ)
    cwd = None
    if source is not None:
        env["PYTHONPATH"] = str(source.resolve())
        cwd = str(source.resolve())
    process = subprocess.Popen(  # our own interpreter and module
        [sys.executable, "-m", "azresp_cli", "emulator", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=cwd,
    )
    assert process.stdout is not None
    base_url = process.stdout.readline().strip()
    return process, int(base_url.split(":")[2].split("/")[0])


def _request(port: int, number: int) -> None:
    kind = number % 3
    headers = {"host": "127.0.0.1", "content-type": "application/json", "connection": "close"}
    if kind == 0:
        body = json.dumps({"model": "m", "input": f"soak {number}"}).encode()
        headers["api-key"] = "soak"
    elif kind == 1:
        streamed = {"model": "m", "input": f"[[long:300]] {number}", "stream": True}
        body = json.dumps(streamed).encode()
        headers["api-key"] = "soak"
    else:
        body = json.dumps({"model": "m", "input": "x" * REFUSED_BODY_BYTES}).encode()
    headers["content-length"] = str(len(body))
    path = "/openai/v1/responses"
    head = f"POST {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    with socket.create_connection(("127.0.0.1", port), timeout=60) as connection:
        connection.sendall(head.encode() + b"\r\n" + body)
        reply = b""
        while chunk := connection.recv(65536):
            reply += chunk
    expected = b"HTTP/1.1 401 " if kind == 2 else b"HTTP/1.1 200 "
    if not reply.startswith(expected):
        raise RuntimeError(f"request {number}: {reply[:200]!r}")


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def _report(samples: list[tuple[int, int]], elapsed: float, source: Path | None) -> None:
    print(f"## Emulator soak ({samples[-1][0]:,} requests, {elapsed:.0f} s)\n")
    print(f"Code: {source or 'this checkout'}\n")
    print("| requests | VmRSS (MiB) |")
    print("|---:|---:|")
    for number, rss in samples:
        print(f"| {number:,} | {rss / KIB_PER_MIB:.1f} |")
    # From the first full sample: what start-up and first requests load is not growth. The
    # second half shows whether it levels off (the store's in-memory bound fills first).
    first = samples[1] if len(samples) > 2 else samples[0]
    middle = samples[len(samples) // 2]
    for start in (first, middle):
        growth = (samples[-1][1] - start[1]) / KIB_PER_MIB
        print(f"\nGrowth from {start[0]:,} to {samples[-1][0]:,} requests: {growth:+.1f} MiB")


if __name__ == "__main__":
    sys.exit(main())
