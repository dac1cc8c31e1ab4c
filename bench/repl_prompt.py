"""Time to the first prompt of ``azresp chat`` in a pseudo-terminal, against ``python -c pass``.

Both are spawned the same way (pexpect, a 100x40 pty); the clock stops when the prompt text
("› ") appears. Then, from Enter to the answer's first text: a prompt typed the moment the
prompt shows (the first turn pays for whatever the warm-up thread has not finished: openai
import, client, models, connection), one typed after a pause, and a second, fully warm turn.
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
    interleaved_tuples,
    ms,
    ratio,
    scratch_dirs,
)

PROMPT = "› ".encode()
ACCEPTED = b"\x1b[?2004l"  # prompt_toolkit turns bracketed paste off when a line is accepted
ANSWER = b"pong-from-the-emulator"
THINK_SECONDS = 2.0  # how long "the user types" before the first prompt is sent
PROMPT_TARGET = 25.0  # the prompt within ~25x `python -c pass`
TERMINAL = {"TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1"}  # pexpect answers no CPR


def _spawn(argv: Sequence[str], env: Mapping[str, str]) -> pexpect.spawn:
    child = pexpect.spawn(argv[0], list(argv[1:]), env=dict(env), timeout=30, dimensions=(40, 100))
    child.delaybeforesend = None  # pexpect sleeps 50 ms before each send by default
    return child


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
        return _answer(child)
    finally:
        _close(child)


def seconds_to_answers(
    argv: Sequence[str], env: Mapping[str, str], think: float
) -> tuple[float, float]:
    """Enter → first text of the first answer, typed ``think`` seconds after the prompt
    appeared (the warm-up has had that long), then of the second answer."""
    child = _spawn(argv, env)
    try:
        child.expect_exact(PROMPT)
        time.sleep(think)
        first = _answer(child)
        child.expect_exact(PROMPT)
        return first, _answer(child)
    finally:
        _close(child)


def _answer(child: pexpect.spawn) -> float:
    started = time.perf_counter()
    child.send(f"[[reply:{ANSWER.decode()}]]\r")
    child.expect_exact(ACCEPTED)
    child.expect_exact(ANSWER)
    return time.perf_counter() - started


def run(options: Options, context: Context) -> Section:
    runs = options.repeat(8, smoke=1)
    think = 0.5 if options.smoke else THINK_SECONDS
    azresp = [*azresp_command(), "chat"]
    floor_env = clean_environment(**TERMINAL)
    with scratch_dirs() as dirs:
        env = azresp_environment(context.emulator, dirs, **TERMINAL)
        stats = interleaved_tuples(
            runs,
            {
                "floor": lambda: (seconds_to_exit([sys.executable, "-c", "pass"], floor_env),),
                "prompt": lambda: (seconds_to_prompt(azresp, env),),
                "at once": lambda: (seconds_to_first_answer(azresp, env),),
                "answers": lambda: seconds_to_answers(azresp, env, think),
            },
        )
    floor = stats["floor"][0]
    table = Table(
        f"REPL start ({runs} runs each, pty 100x40, emulator endpoint)",
        ["measure", "min", "median", "vs python -c pass"],
    )
    rows = {
        "python -c pass (pty), start to exit": stats["floor"][0],
        "`azresp chat`: start to prompt shown": stats["prompt"][0],
        "first answer typed at once: Enter → first text": stats["at once"][0],
        f"first answer typed after {think:g} s: Enter → first text": stats["answers"][0],
        "second answer: Enter → first text": stats["answers"][1],
    }
    for name, result in rows.items():
        table.add(name, ms(result.minimum), ms(result.median), ratio(result, floor))
    table.notes.append(
        "The prompt appears before openai is imported; a background thread warms the client "
        "while the user types. Typed at once is its worst case; the second answer is fully warm."
    )
    prompt = stats["prompt"][0].ratio_to(floor)
    return Section(
        [table], [Target("REPL prompt vs `python -c pass`", prompt, PROMPT_TARGET, "at most")]
    )
