"""Peak RSS of ``azresp chat`` after a long streamed answer (VmHWM, see ``rss_probe``).

On a pty the answer is rendered live (rich, Live, Markdown); on a pipe it is written plain.
The bare SDK script and ``python -c pass`` are there for scale.
"""

from __future__ import annotations

import fcntl
import os
import struct
import subprocess
import sys
import termios
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

from bench.harness import (
    Context,
    Options,
    Section,
    Stats,
    Table,
    Target,
    azresp_environment,
    scratch_dirs,
)

RSS_TARGET_MIB = 130.0
BARE_SDK = Path(__file__).with_name("bare_sdk.py")
PROBE = Path(__file__).with_name("rss_probe.py")
COLUMNS, LINES = 100, 40


def peak_rss_mib(
    program: Sequence[str], env: Mapping[str, str], workdir: Path, *, tty: bool
) -> float:
    """Run ``python PROGRAM`` to the end, its output drained; return its peak RSS in MiB."""
    report = workdir / "peak-rss"
    report.unlink(missing_ok=True)
    env = {**env, "COLUMNS": str(COLUMNS), "LINES": str(LINES), "BENCH_RSS_FILE": str(report)}
    argv = [sys.executable, str(PROBE), *program]
    if tty:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        process = subprocess.Popen(
            argv, env=env, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave
        )
        os.close(slave)
        source = master
    else:
        process = subprocess.Popen(
            argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        assert process.stdout is not None
        source = process.stdout.fileno()
    drain = threading.Thread(target=_drain, args=(source,), daemon=True)
    drain.start()
    process.wait()
    drain.join(timeout=10)
    if tty:
        os.close(source)
    elif process.stdout is not None:
        process.stdout.close()
    if process.returncode != 0:
        raise RuntimeError(f"{argv} exited {process.returncode}")
    return int(report.read_text()) / 1024


def _drain(source: int) -> None:
    while True:
        try:
            if not os.read(source, 65536):
                return
        except OSError:  # EIO: the pty's other side closed
            return


def run(options: Options, context: Context) -> Section:
    size = 2000 if options.smoke else 32000
    prompt = f"[[long:{size}]]"
    runs = options.repeat(3, smoke=1)
    table = Table(
        f"Peak RSS after a `{prompt}` streamed answer ({runs} runs each)",
        ["process", "min", "median"],
    )
    results: dict[str, Stats] = {}
    with scratch_dirs() as dirs:
        env = azresp_environment(context.emulator, dirs)
        azresp = ["-m", "azresp_cli", "chat", prompt]
        cases = {
            "python -c pass": (["-c", "pass"], False),
            "bare SDK script, pipe": ([str(BARE_SDK), prompt], False),
            "azresp chat, pipe": (azresp, False),
            "azresp chat, pty (live Markdown)": (azresp, True),
        }
        for name, (program, tty) in cases.items():
            samples = [peak_rss_mib(program, env, context.workdir, tty=tty) for _ in range(runs)]
            results[name] = Stats.of(samples)
            table.add(name, f"{results[name].minimum:.1f} MiB", f"{results[name].median:.1f} MiB")
    worst = max(
        results["azresp chat, pipe"].median, results["azresp chat, pty (live Markdown)"].median
    )
    return Section(
        [table],
        [Target(f"peak RSS after {size // 1000}k tokens", worst, RSS_TARGET_MIB, "at most", "MiB")],
    )
