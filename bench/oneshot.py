"""One-shot answers against the emulator: azresp versus a bare openai-SDK script.

Cold: ``azresp chat PROMPT`` and ``python bench/bare_sdk.py PROMPT`` as processes, on a pipe and
on a pty; the first token is the first text of the answer reaching the output, the total is the
process exit. Warm: turns in one process (the client and its connection already made),
azresp's turn engine against ``client.responses.create(stream=True)``.
"""

from __future__ import annotations

import fcntl
import os
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from bench.harness import (
    Context,
    Options,
    Section,
    Stats,
    Table,
    Target,
    azresp_command,
    azresp_environment,
    interleaved_tuples,
    ms,
    ratio,
    scratch_dirs,
)

PROMPT = "[[long:500]]"
FIRST_TEXT = b"Chaining"  # the answer opens with the heading "## 1. Chaining"
# Issue 18: the first byte on a pipe no later than the bare SDK script's. On a pty azresp
# also renders Markdown (rich, markdown-it and pygments to import), which the script does not.
FIRST_TOKEN_TARGETS = {"pipe": 1.0, "pty": 1.1}
BARE_SDK = Path(__file__).with_name("bare_sdk.py")
COLUMNS, LINES = 100, 40


def timed_process(argv: Sequence[str], env: Mapping[str, str], *, tty: bool) -> tuple[float, float]:
    """(seconds to the answer's first text on stdout, seconds to exit)."""
    env = {**env, "COLUMNS": str(COLUMNS), "LINES": str(LINES)}
    started = time.perf_counter()
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
    first = None
    window = b""
    try:
        while True:
            try:
                chunk = os.read(source, 65536)
            except OSError:  # EIO: the pty's other side closed
                chunk = b""
            if not chunk:
                break
            if first is None:
                window = window[-len(FIRST_TEXT) :] + chunk
                if FIRST_TEXT in window:
                    first = time.perf_counter() - started
        code = process.wait()
    finally:
        if tty:
            os.close(source)
        elif process.stdout is not None:
            process.stdout.close()
    total = time.perf_counter() - started
    if code != 0 or first is None:
        raise RuntimeError(f"{argv} exited {code}; first text seen: {first is not None}")
    return first, total


def run(options: Options, context: Context) -> Section:
    runs = options.repeat(10, smoke=1)
    section = Section()
    with scratch_dirs() as dirs:
        env = azresp_environment(context.emulator, dirs)
        azresp = [*azresp_command(), "chat", PROMPT]
        bare = [sys.executable, str(BARE_SDK), PROMPT]
        cold = interleaved_tuples(
            runs,
            {
                "bare SDK, pipe": lambda: timed_process(bare, env, tty=False),
                "azresp, pipe": lambda: timed_process(azresp, env, tty=False),
                "bare SDK, pty": lambda: timed_process(bare, env, tty=True),
                "azresp, pty": lambda: timed_process(azresp, env, tty=True),
            },
        )
    table = Table(
        f"One-shot answer, cold process ({runs} runs each, `{PROMPT}` from the emulator)",
        ["client", "first token min", "first token median", "total min", "total median",
         "first-token ratio", "total ratio"],
    )  # fmt: skip
    for name, (first, total) in cold.items():
        baseline = cold[name.replace("azresp", "bare SDK")]
        is_azresp = name.startswith("azresp")
        table.add(
            name, ms(first.minimum), ms(first.median), ms(total.minimum), ms(total.median),
            ratio(first, baseline[0]) if is_azresp else "",
            ratio(total, baseline[1]) if is_azresp else "",
        )  # fmt: skip
    table.notes.append(
        "First token: the answer's first word reaching stdout (on the pty, rendered); "
        "total: process exit. azresp also records the turn in its history database."
    )
    section.tables.append(table)
    for medium in ("pipe", "pty"):
        measured = cold[f"azresp, {medium}"][0].ratio_to(cold[f"bare SDK, {medium}"][0])
        section.targets.append(
            Target(
                f"first token vs bare SDK ({medium}, cold)",
                measured,
                FIRST_TOKEN_TARGETS[medium],
                "at most",
            )
        )
    section.tables.append(_warm_table(options, context.emulator.base_url))
    return section


def _warm_table(options: Options, base_url: str) -> Table:
    from openai import OpenAI

    from azresp_cli.core.client import make_client
    from azresp_cli.core.config import AuthMethod, Settings
    from azresp_cli.core.events import TextDelta
    from azresp_cli.core.request import TurnRequest
    from azresp_cli.core.turn import run_turn

    settings = Settings(
        endpoint=base_url, deployment="emulator", auth=AuthMethod.KEY, api_key="bench-key"
    )
    azresp_client = make_client(settings)
    bare_client = OpenAI(base_url=base_url, api_key="bench-key")

    def azresp_turn() -> tuple[float, float]:
        started = time.perf_counter()
        first = None
        for event in run_turn(azresp_client, settings, TurnRequest(PROMPT)):
            if first is None and isinstance(event, TextDelta):
                first = time.perf_counter() - started
        assert first is not None
        return first, time.perf_counter() - started

    def bare_turn() -> tuple[float, float]:
        started = time.perf_counter()
        first = None
        stream = bare_client.responses.create(model="emulator", input=PROMPT, stream=True)
        for event in stream:
            if first is None and event.type == "response.output_text.delta":
                first = time.perf_counter() - started
        assert first is not None
        return first, time.perf_counter() - started

    runs = options.repeat(30, smoke=2)
    try:
        warm = interleaved_tuples(runs, {"bare SDK": bare_turn, "azresp turn engine": azresp_turn})
    finally:
        azresp_client.close()
        bare_client.close()
    table = Table(
        f"One-shot answer, warm (turns in one process, connection kept; {runs} runs each)",
        ["client", "first token min", "first token median", "total min", "total median",
         "first-token ratio", "total ratio"],
    )  # fmt: skip
    base: tuple[Stats, ...] = warm["bare SDK"]
    for name, (first, total) in warm.items():
        table.add(
            name, ms(first.minimum), ms(first.median), ms(total.minimum), ms(total.median),
            ratio(first, base[0]), ratio(total, base[1]),
        )  # fmt: skip
    return table
