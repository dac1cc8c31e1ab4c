"""What every benchmark shares: options, statistics, Markdown tables, targets, subprocesses.

A benchmark is a function ``run(options, context) -> Section``: it measures azresp and a
baseline *in the same run*, several times each (interleaved, so both see the same machine
noise), and reports min and median of each plus their ratio: the median of the ratios of each
round (see ``Stats.ratio_to``).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Options:
    """How hard to measure; ``--smoke`` proves the plumbing with tiny sizes and counts."""

    smoke: bool = False
    runs: int | None = None  # repetitions; None: each benchmark's own default
    tokens_per_second: float = 100.0  # the simulated model speed that paces live frames

    def repeat(self, full: int, smoke: int = 1) -> int:
        if self.runs is not None:
            return self.runs
        return smoke if self.smoke else full


@dataclass(frozen=True)
class Stats:
    minimum: float
    median: float
    samples: tuple[float, ...] = ()  # in the order taken: round i of every case lines up

    @classmethod
    def of(cls, values: Sequence[float]) -> Stats:
        if not values:
            raise ValueError("no samples")
        return cls(min(values), statistics.median(values), tuple(values))

    def ratio_to(self, baseline: Stats) -> float:
        """The median of the per-round ratios to ``baseline`` (measured in the same rounds).

        Each round runs both cases back to back, so a burst of load on a shared machine slows
        both; the ratio of one round cancels it where a ratio of medians would not.
        """
        pairs = zip(self.samples, baseline.samples, strict=True)
        return statistics.median(value / base for value, base in pairs)


@dataclass(frozen=True)
class Target:
    """One line of the issue's targets: ``measured`` must stay at or below (or above) ``limit``."""

    name: str
    measured: float
    limit: float
    direction: Literal["at most", "at least"]
    unit: str = "x"

    @property
    def holds(self) -> bool:
        if self.direction == "at most":
            return self.measured <= self.limit
        return self.measured >= self.limit


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *cells: object) -> None:
        self.rows.append([str(cell) for cell in cells])

    def markdown(self) -> str:
        lines = [f"### {self.title}", ""]
        lines.append("| " + " | ".join(self.columns) + " |")
        lines.append("|" + "|".join("---" for _ in self.columns) + "|")
        lines.extend("| " + " | ".join(row) + " |" for row in self.rows)
        if self.notes:
            lines.append("")
            lines.extend(self.notes)
        return "\n".join(lines)


@dataclass
class Section:
    """What one benchmark reports."""

    tables: list[Table] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def stats_ms(stats: Stats) -> tuple[str, str]:
    return ms(stats.minimum), ms(stats.median)


def ratio(value: Stats, baseline: Stats) -> str:
    return f"{value.ratio_to(baseline):.2f}x"


def interleaved(
    runs: int, cases: Mapping[str, Callable[[], float]], *, warmup: bool = True
) -> dict[str, Stats]:
    """Run each case ``runs`` times, round-robin; each call returns one sample in seconds."""
    measured = interleaved_tuples(
        runs, {name: _one_sample(case) for name, case in cases.items()}, warmup=warmup
    )
    return {name: stats[0] for name, stats in measured.items()}


def _one_sample(case: Callable[[], float]) -> Callable[[], tuple[float, ...]]:
    return lambda: (case(),)


def interleaved_tuples(
    runs: int, cases: Mapping[str, Callable[[], tuple[float, ...]]], *, warmup: bool = True
) -> dict[str, tuple[Stats, ...]]:
    """As ``interleaved``, for cases that measure several things per call (same arity)."""
    if warmup:  # fills the page cache and the .pyc files, so run 1 is not an outlier
        for case in cases.values():
            case()
    samples: dict[str, list[tuple[float, ...]]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, case in cases.items():
            samples[name].append(case())
    return {
        name: tuple(Stats.of(column) for column in zip(*values, strict=True))
        for name, values in samples.items()
    }


def azresp_command() -> list[str]:
    """The console script next to this interpreter (what users run), else ``-m azresp_cli``."""
    script = Path(sys.executable).parent / "azresp"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "azresp_cli"]


def clean_environment(**extra: str) -> dict[str, str]:
    """The process environment without azresp or Azure settings, plus ``extra``."""
    base = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("AZURE_", "AZRESP_", "OPENAI_", "PYTHON"))
    }
    base.pop("NO_COLOR", None)
    return {**base, **extra}


def wall_seconds(argv: Sequence[str], env: Mapping[str, str]) -> float:
    """Start ``argv``, wait for it, return the elapsed wall time; a failure raises."""
    started = time.perf_counter()
    completed = subprocess.run(
        list(argv), env=dict(env), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        raise RuntimeError(f"{argv} exited {completed.returncode}: {completed.stderr.decode()}")
    return elapsed


@dataclass(frozen=True)
class Emulator:
    base_url: str
    pid: int


@dataclass(frozen=True)
class Context:
    """What the runner hands every benchmark: a scratch dir and a shared emulator process."""

    workdir: Path
    emulator: Emulator


@contextmanager
def emulator_process(cpu: int | None = None) -> Iterator[Emulator]:
    """The emulator in its own process (``azresp emulator --port 0``), optionally on one CPU.

    A separate process keeps the server off the measured client's core and out of its GIL.
    """

    def pin() -> None:
        if cpu is not None:
            os.sched_setaffinity(0, {cpu})

    process = subprocess.Popen(
        [*azresp_command(), "emulator", "--port", "0"],
        env=clean_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        preexec_fn=pin,  # only sets the CPU affinity; no threads in this process yet
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().decode().strip()
        if not line.startswith("http://"):
            raise RuntimeError(f"the emulator did not start: {line!r}")
        yield Emulator(line, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def scratch_dirs() -> Iterator[dict[str, str]]:
    """A throw-away config and data dir, so runs neither read nor fill the user's history."""
    with tempfile.TemporaryDirectory(prefix="azresp-bench-") as root:
        yield {
            "AZRESP_CONFIG_DIR": str(Path(root) / "config"),
            "AZRESP_DATA_DIR": str(Path(root) / "data"),
        }


def azresp_environment(emulator: Emulator, dirs: Mapping[str, str], **extra: str) -> dict[str, str]:
    return clean_environment(
        AZURE_OPENAI_ENDPOINT=emulator.base_url,
        AZURE_OPENAI_API_KEY="bench-key",
        AZURE_OPENAI_DEPLOYMENT="emulator",
        **dirs,
        **extra,
    )


def cpu_seconds_of(pid: int) -> float:
    """User plus system CPU time a process has used so far (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks
