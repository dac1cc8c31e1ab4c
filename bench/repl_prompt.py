"""Time to the first prompt of ``azresp chat`` in a pseudo-terminal, against ``python -c pass``.

Both are spawned the same way (pexpect, a 100x40 pty); the clock stops when the prompt text
("› ") appears. A second measure types a prompt the moment the prompt shows and stops when the
answer's first text appears: the first turn pays for whatever the warm-up thread has not
finished yet (openai import, client, connection).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping, Sequence

import pexpect

from bench.harness import (
    Context,
    Options,
    Section,
    Table,
    Target,
    azresp_command,
    azresp_environment,
    clean_environment,
    interleaved,
    ms,
    ratio,
    scratch_dirs,
)

PROMPT = "› ".encode()
ACCEPTED = b"\x1b[?2004l"  # prompt_toolkit turns bracketed paste off when a line is accepted
ANSWER = b"pong-from-the-emulator"
PROMPT_TARGET = 25.0  # the prompt within ~25x `python -c pass`
TERMINAL = {"TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1"}  # pexpect answers no CPR


def _spawn(argv: Sequence[str], env: Mapping[str, str]) -> pexpect.spawn:
    return pexpect.spawn(argv[0], list(argv[1:]), env=dict(env), timeout=30, dimensions=(40, 100))


def _close(child: pexpect.spawn) -> None:
    # Ctrl-D would leave politely, but the clock has stopped: end this one child at once.
    child.close(force=True)


def seconds_to_prompt(argv: Sequence[str], env: Mapping[str, str]) -> float:
    started = time.perf_counter()
    child = _spawn(argv, env)
    try:
        child.expect_exact(PROMPT)
        return time.perf_counter() - started
    finally:
        _close(child)


def seconds_to_exit(argv: Sequence[str], env: Mapping[str, str]) -> float:
    started = time.perf_counter()
    child = _spawn(argv, env)
    try:
        child.expect(pexpect.EOF)
        return time.perf_counter() - started
    finally:
        _close(child)


def seconds_to_first_answer(argv: Sequence[str], env: Mapping[str, str]) -> float:
    """From pressing Enter at the first prompt (typed at once) to the answer's first text."""
    child = _spawn(argv, env)
    try:
        child.expect_exact(PROMPT)
        started = time.perf_counter()
        child.send(f"[[reply:{ANSWER.decode()}]]\r")
        child.expect_exact(ACCEPTED)
        child.expect_exact(ANSWER)
        return time.perf_counter() - started
    finally:
        _close(child)


def run(options: Options, context: Context) -> Section:
    runs = options.repeat(10, smoke=1)
    azresp = [*azresp_command(), "chat"]
    floor_env = clean_environment(**TERMINAL)
    with scratch_dirs() as dirs:
        env = azresp_environment(context.emulator, dirs, **TERMINAL)
        stats = interleaved(
            runs,
            {
                "python -c pass (pty)": lambda: seconds_to_exit(
                    [sys.executable, "-c", "pass"], floor_env
                ),
                "azresp chat: prompt shown": lambda: seconds_to_prompt(azresp, env),
                "azresp chat: Enter → first answer text": lambda: seconds_to_first_answer(
                    azresp, env
                ),
            },
        )
    floor = stats["python -c pass (pty)"].median
    table = Table(
        f"REPL start ({runs} runs each, pty 100x40, emulator endpoint)",
        ["measure", "min", "median", "vs python -c pass"],
    )
    for name, result in stats.items():
        table.add(name, ms(result.minimum), ms(result.median), ratio(result.median, floor))
    table.notes.append(
        "The first answer is typed the moment the prompt appears: the worst case for the "
        "background warm-up (a person takes seconds to type)."
    )
    prompt = stats["azresp chat: prompt shown"].median
    return Section(
        [table],
        [Target("REPL prompt vs `python -c pass`", prompt / floor, PROMPT_TARGET, "at most")],
    )
