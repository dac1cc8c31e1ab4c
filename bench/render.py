"""Rendering CPU: the live renderer over a streamed answer vs printing the final text once.

The answers are the emulator's ``[[long:N]]`` Markdown (headings, prose, lists, tables, code
fences) cut into its own stream deltas. The live renderer gets every delta, and the frames
Live would draw while a model streams at ``--tokens-per-second`` (Live refreshes 10 times a
second, so one frame per tokens_per_second/10 tokens): drawn synchronously at those points, so
a run is deterministic and does not last minutes. CPU is this process's user+system time, all
threads included. The live output, played on a model terminal, must leave exactly what the
one-shot print leaves.
"""

from __future__ import annotations

import io
import re
import resource
from dataclasses import dataclass

from rich.console import Console
from rich.markdown import Markdown

from bench.harness import Context, Options, Section, Stats, Table, Target

SIZES = (500, 2000, 8000, 32000)
SMOKE_SIZES = (500,)
WIDTH, HEIGHT = 100, 40
RENDER_TARGET = 2.0  # live at 32k tokens at most 2x one-shot
_NO_THREAD_FRAMES = 0.001  # Live's own thread then waits 1000 s: only our frames are drawn
_TERMINAL_OUTPUT = re.compile(
    r"\x1b\[(?P<params>[0-9;?]*)(?P<final>[A-Za-z])"
    r"|\x1b\](?P<osc>.*?)(?:\x1b\\|\x07)"
    r"|(?P<control>[\r\n])"
    r"|(?P<text>[^\x1b\r\n]+)"
)


@dataclass(frozen=True)
class Answer:
    tokens: int
    text: str
    deltas: tuple[str, ...]
    frame_after: frozenset[int]  # indexes of the deltas after which Live draws a frame


def make_answer(tokens: int, tokens_per_frame: float) -> Answer:
    from azresp_cli.emulator import longform
    from azresp_cli.emulator import tokens as token_math

    text = longform.generate(tokens)
    deltas = tuple(token_math.deltas(text))
    frames = set()
    streamed = 0
    next_frame = tokens_per_frame
    for index, delta in enumerate(deltas):
        streamed += token_math.count(delta)
        if streamed >= next_frame:
            frames.add(index)
            next_frame += tokens_per_frame
    return Answer(token_math.count(text), text, deltas, frozenset(frames))


def console(*, live: bool) -> Console:
    return Console(
        file=io.StringIO(),
        width=WIDTH,
        height=HEIGHT,
        force_terminal=True,
        force_interactive=live,
        color_system="truecolor",
        _environ={},
    )


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def render_once(answer: Answer) -> tuple[float, str]:
    """(CPU seconds, output) of printing the whole answer in one go."""
    target = console(live=False)
    started = cpu_seconds()
    target.print(Markdown(answer.text))
    return cpu_seconds() - started, _output(target)


def render_live(answer: Answer, *, frames: bool = True) -> tuple[float, str]:
    """(CPU seconds, output) of streaming the answer through StreamingMarkdown."""
    from azresp_cli.render.markdown_stream import StreamingMarkdown

    target = console(live=True)
    stream = StreamingMarkdown(target, refresh_per_second=_NO_THREAD_FRAMES)
    frame_after = answer.frame_after if frames else frozenset()
    started = cpu_seconds()
    for index, delta in enumerate(answer.deltas):
        stream.feed(delta)
        if index in frame_after:
            live = stream._live  # what Live's refresh thread would call at this moment
            if live is not None:
                live.refresh()
    stream.finish()
    return cpu_seconds() - started, _output(target)


def screen(output: str, *, height: int | None = None) -> list[str]:
    """What a terminal shows after ``output`` (scrollback included), one string per line.

    Models what Live writes: text, CR, LF, erase line, cursor up, SGR (kept), cursor
    show/hide and OSC (dropped). Lines scrolled above a ``height``-line screen are out of the
    cursor's reach. Any other escape sequence raises: the model would be guessing.
    """
    lines = [""]
    row = 0
    at_column_zero = False  # after a CR: text written now would overwrite the line
    for match in _TERMINAL_OUTPUT.finditer(output):
        params, final = match["params"], match["final"]
        if match["text"] is not None or final == "m":
            if at_column_zero and lines[row]:
                raise ValueError(f"overwriting text in place is not modelled: {match[0]!r}")
            lines[row] += match[0]
            at_column_zero = False
        elif match["control"] == "\n":
            row += 1
            at_column_zero = False
            if row == len(lines):
                lines.append("")
        elif match["control"] == "\r":
            at_column_zero = True
        elif match["osc"] is not None:
            continue
        elif final == "K":
            lines[row] = ""
        elif final == "A":
            top = 0 if height is None else max(0, len(lines) - height)
            row = max(row - int(params or "1"), top)
        elif final in {"h", "l"} and params in {"?25", "?7"}:
            continue
        else:
            raise ValueError(f"unmodelled escape sequence {match[0]!r}")
    while lines and not lines[-1]:
        lines.pop()
    return lines


def same_screen(live_output: str, one_shot_output: str) -> bool:
    return screen(live_output, height=HEIGHT) == screen(one_shot_output)


def run(options: Options, context: Context) -> Section:
    tokens_per_frame = options.tokens_per_second / 10
    runs = options.repeat(3, smoke=1)
    table = Table(
        f"Rendering CPU, live vs one-shot ({runs} runs each; frames for a model at "
        f"{options.tokens_per_second:g} tokens/s)",
        ["answer", "deltas", "frames", "one-shot min", "one-shot median", "live min",
         "live median", "live µs/token", "live, no frames", "ratio", "same output"],
    )  # fmt: skip
    targets = []
    for size in SMOKE_SIZES if options.smoke else SIZES:
        answer = make_answer(size, tokens_per_frame)
        once: list[float] = []
        live: list[float] = []
        bare_live: list[float] = []
        identical = True
        for _ in range(runs):
            once_cpu, once_output = render_once(answer)
            live_cpu, live_output = render_live(answer)
            bare_cpu, _ = render_live(answer, frames=False)
            once.append(once_cpu)
            live.append(live_cpu)
            bare_live.append(bare_cpu)
            identical = identical and same_screen(live_output, once_output)
        once_stats, live_stats = Stats.of(once), Stats.of(live)
        table.add(
            f"{answer.tokens:,} tokens", len(answer.deltas), len(answer.frame_after),
            _seconds(once_stats.minimum), _seconds(once_stats.median),
            _seconds(live_stats.minimum), _seconds(live_stats.median),
            f"{live_stats.median / answer.tokens * 1e6:.0f}",
            _seconds(Stats.of(bare_live).median),
            f"{live_stats.median / once_stats.median:.2f}x", "yes" if identical else "**NO**",
        )  # fmt: skip
        if size == SIZES[-1]:
            targets.append(
                Target(
                    "live render CPU vs one-shot at 32k tokens",
                    live_stats.median / once_stats.median,
                    RENDER_TARGET,
                    "at most",
                )
            )
        if not identical:
            raise AssertionError(f"the live render of {size} tokens differs from the one-shot")
    table.notes.append(
        "Ratio: live median over one-shot median. `live, no frames`: deltas only, the frames "
        "Live draws while a block is printed still included."
    )
    return Section([table], targets)


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms"


def _output(target: Console) -> str:
    file = target.file
    assert isinstance(file, io.StringIO)
    return file.getvalue()
