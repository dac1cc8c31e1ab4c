"""``batch run --live`` throughput against the emulator's requests-per-minute limit.

The emulator (its own process, ``azresp emulator --rpm N``) admits at most N/60 requests in
any one-second window and answers the rest with 429. azresp paces itself from the
``x-ratelimit-limit-requests`` header; the goal is at least 90% of the allowed rate, measured
from the first request the emulator accepted to the last (the process start is left out).
"""

from __future__ import annotations

import json
import subprocess
import time
import urllib.request
from pathlib import Path

from bench.harness import (
    Context,
    Options,
    Section,
    Table,
    Target,
    azresp_command,
    azresp_environment,
    clean_environment,
    scratch_dirs,
)

GOAL = 0.90


def run(options: Options, context: Context) -> Section:
    rpm, lines, jobs = (1200, 20, 4) if options.smoke else (1200, 600, 8)
    table = Table(
        "batch run --live against a rate-limited emulator",
        ["limit (rpm)", "lines", "-j", "accepted rpm", "share of limit", "429s", "wall"],
    )
    section = Section([table])
    process = subprocess.Popen(
        [*azresp_command(), "emulator", "--port", "0", "--rpm", str(rpm)],
        env=clean_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().decode().strip()
        source = context.workdir / "live-prompts.txt"
        source.write_text("".join(f"live bench prompt {n}\n" for n in range(lines)))
        with scratch_dirs() as dirs:
            env = azresp_environment(_Emulator(base_url), dirs, NO_COLOR="1")
            out = Path(dirs["AZRESP_DATA_DIR"]).parent / "out.jsonl"
            started = time.perf_counter()
            client = subprocess.Popen(
                [*azresp_command(), "batch", "run", str(source), "--live", "-j", str(jobs),
                 "-o", str(out)],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            first = last = 0.0
            while client.poll() is None or not last:
                accepted, refused = _served(base_url)
                now = time.perf_counter()
                if accepted and not first:
                    first = now
                if accepted >= lines and not last:
                    last = now
                if client.poll() is not None and not last:
                    raise RuntimeError(f"batch run exited {client.returncode} early")
                time.sleep(0.02)
            client.wait()
            wall = time.perf_counter() - started
        span = last - first
        achieved = (lines - 1) / span * 60 if span > 0 else 0.0
        share = achieved / rpm
        table.add(rpm, lines, jobs, f"{achieved:.0f}", f"{share:.1%}", refused, f"{wall:.1f} s")
        table.notes.append(
            "accepted rpm: lines answered per minute, from the emulator's first admitted request "
            "to its last (polled every 20 ms; process start-up left out)."
        )
        section.targets.append(
            Target("batch run --live: share of the allowed rpm", share * 100, GOAL * 100,
                   "at least", "%")
        )  # fmt: skip
    finally:
        process.terminate()
        process.wait(timeout=10)
    return section


class _Emulator:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.pid = 0


def _served(base_url: str) -> tuple[int, int]:
    """(requests the emulator admitted on POST /responses, requests it refused with 429).

    Counted by the emulator (``GET /_emulator/rate``): its request log keeps only the newest
    1,000 requests, fewer than a run sends with its polls."""
    root = base_url.removesuffix("openai/v1/")
    request = urllib.request.Request(  # noqa: S310  # our own loopback emulator
        root + "_emulator/rate", headers={"api-key": "bench-key"}
    )
    with urllib.request.urlopen(request, timeout=10) as reply:  # noqa: S310
        counts = json.loads(reply.read())
    return int(counts["admitted"]), int(counts["refused"])
