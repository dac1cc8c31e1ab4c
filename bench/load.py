"""The emulator under load: concurrent streaming clients, event latency percentiles.

A fresh emulator process is pinned to CPU 0 and the load client (``bench.load_client``) to
CPU 1. Each client streams ``[[long:N]] [[slow:PACE]]``: the emulator pauses PACE ms between
text deltas, so a delta's *latency* is how much later than that it arrived (what the server
and the wire added). Clients connect over a short ramp; all stream at once after it.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

from bench.harness import (
    REPO,
    Context,
    Options,
    Section,
    Table,
    Target,
    cpu_seconds_of,
    emulator_process,
)

LATENCY_TARGET_MS = 50.0  # p99 at 200 concurrent streams
TARGET_CLIENTS = 200


@dataclass(frozen=True)
class Level:
    clients: int
    tokens: int
    pace_ms: int
    ramp: float


FULL = (Level(50, 300, 50, 1.0), Level(200, 300, 50, 1.0), Level(500, 300, 50, 1.0))
SMOKE = (Level(10, 60, 20, 0.2),)


def percentile(values: Sequence[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run(options: Options, context: Context) -> Section:
    two_cores = len(os.sched_getaffinity(0)) >= 2
    table = Table(
        "Emulator under load (server pinned to one core, clients on the other)"
        if two_cores
        else "Emulator under load (one core shared by server and clients)",
        ["streams", "completed", "events/s", "server CPU", "first event p50 / p99",
         "delta latency p50", "p90", "p99", "max"],
    )  # fmt: skip
    targets = []
    with emulator_process(cpu=0 if two_cores else None) as emulator:
        for level in SMOKE if options.smoke else FULL:
            prompt = f"[[long:{level.tokens}]] [[slow:{level.pace_ms}]]"
            deadline = level.ramp + level.tokens * level.pace_ms / 1000 * 2 + 30
            cpu_before, started = cpu_seconds_of(emulator.pid), time.perf_counter()
            report = _load(emulator.base_url, level, prompt, deadline, cpu=1 if two_cores else None)
            busy = (cpu_seconds_of(emulator.pid) - cpu_before) / (time.perf_counter() - started)
            delays = report["delta_delay_ms"]
            first = report["first_event_ms"]
            p99 = percentile(delays, 0.99)
            table.add(
                level.clients, f"{report['completed']}/{level.clients}",
                f"{report['events'] / report['wall']:,.0f}", f"{busy:.0%}",
                f"{percentile(first, 0.5):.1f} / {percentile(first, 0.99):.1f} ms",
                f"{statistics.median(delays) if delays else float('nan'):.1f} ms",
                f"{percentile(delays, 0.9):.1f} ms", f"{p99:.1f} ms",
                f"{max(delays, default=float('nan')):.1f} ms",
            )  # fmt: skip
            if report["errors"]:
                table.notes.append(f"{level.clients} streams, errors: {report['errors']}")
            if level.clients == TARGET_CLIENTS:
                targets.append(
                    Target(
                        f"emulator p99 delta latency at {TARGET_CLIENTS} streams",
                        p99 if report["completed"] == level.clients else float("inf"),
                        LATENCY_TARGET_MS,
                        "at most",
                        "ms",
                    )
                )
    level = (SMOKE if options.smoke else FULL)[0]
    table.notes.append(
        f"Each stream: `[[long:{level.tokens}]] [[slow:{level.pace_ms}]]` "
        f"(a delta every {level.pace_ms} ms), clients connecting over {level.ramp:g} s. "
        "Latency: a delta's arrival after the previous one, minus the scripted pause. "
        "Server CPU: the emulator's CPU time over wall time (100% = its whole core)."
    )
    return Section([table], targets)


def _load(url: str, level: Level, prompt: str, deadline: float, cpu: int | None) -> dict:  # type: ignore[type-arg]
    def pin() -> None:
        if cpu is not None:
            os.sched_setaffinity(0, {cpu})

    argv = [
        sys.executable, "-m", "bench.load_client", url, str(level.clients), prompt,
        str(level.pace_ms), str(level.ramp), str(deadline),
    ]  # fmt: skip
    completed = subprocess.run(
        argv,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=deadline + 30,
        preexec_fn=pin,  # only sets the CPU affinity
    )
    report: dict = json.loads(completed.stdout)  # type: ignore[type-arg]
    return report
