"""Rendering CPU: the live renderer over a streamed answer vs printing the final text once.

The answers are the emulator's ``[[long:N]]`` Markdown (headings, prose, lists, tables, code
fences) cut into its own stream deltas. The live renderer gets every delta back to back, with
Live's refresh thread drawing at its real rate; a paced variant adds the frames Live would draw
while a model streams at ``--tokens-per-second`` (10 a second, so one per tokens_per_second/10
tokens), drawn synchronously at those points so a run is deterministic and does not last
minutes. CPU is this process's user+system time, all threads included. The live output, played
on a model terminal, must leave exactly what the one-shot print leaves.
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
    """(CPU seconds, output) of azresp's one-shot render: the whole answer printed at once.

    As ``azresp get`` prints a stored answer: rich's Markdown without its line-end padding.
    """
    from azresp_cli.render.markdown_join import Trimmed

    target = console(live=False)
    started = cpu_seconds()
    target.print(Trimmed(Markdown(answer.text)))
    return cpu_seconds() - started, _output(target)


def render_live(answer: Answer, *, paced: bool) -> tuple[float, str]:
    """(CPU seconds, output) of streaming the answer through StreamingMarkdown.

    Not paced: the deltas come back to back (as fast as a local stream delivers them) and
    Live's own thread draws at its real 10 Hz. Paced: Live's thread is idle and a frame is
    drawn after each delta where a model streaming at the chosen speed would get one.
    """
    from azresp_cli.render.markdown_stream import REFRESH_PER_SECOND, StreamingMarkdown

    target = console(live=True)
    refresh = _NO_THREAD_FRAMES if paced else REFRESH_PER_SECOND
    stream = StreamingMarkdown(target, refresh_per_second=refresh)
    frame_after = answer.frame_after if paced else frozenset()
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
    runs = options.repeat(5, smoke=1)
    speed = f"{options.tokens_per_second:g} tokens/s"
    table = Table(
        f"Rendering CPU, live vs one-shot ({runs} runs each, medians unless marked)",
        ["answer", "deltas", "one-shot min", "one-shot", "live min", "live", "ratio",
         "live µs/token", f"frames at {speed}", "live, paced", "paced ratio",
         "frame CPU per streamed s", "same output"],
    )  # fmt: skip
    targets = []
    for size in SMOKE_SIZES if options.smoke else SIZES:
        answer = make_answer(size, tokens_per_frame)
        samples: dict[str, list[float]] = {"once": [], "live": [], "paced": []}
        identical = True
        for _ in range(runs):
            once_cpu, once_output = render_once(answer)
            live_cpu, live_output = render_live(answer, paced=False)
            paced_cpu, paced_output = render_live(answer, paced=True)
            samples["once"].append(once_cpu)
            samples["live"].append(live_cpu)
            samples["paced"].append(paced_cpu)
            identical = identical and same_screen(live_output, once_output)
            identical = identical and same_screen(paced_output, once_output)
        once, live, paced = (Stats.of(samples[name]) for name in ("once", "live", "paced"))
        streamed_seconds = answer.tokens / options.tokens_per_second
        table.add(
            f"{answer.tokens:,} tokens", len(answer.deltas),
            _seconds(once.minimum), _seconds(once.median),
            _seconds(live.minimum), _seconds(live.median),
            f"{live.ratio_to(once):.2f}x", f"{live.median / answer.tokens * 1e6:.0f}",
            len(answer.frame_after), _seconds(paced.median),
            f"{paced.ratio_to(once):.2f}x",
            f"{max(paced.median - live.median, 0) / streamed_seconds * 1000:.1f} ms",
            "yes" if identical else "**NO**",
        )  # fmt: skip
        if size == SIZES[-1]:
            targets.append(
                Target(
                    "live render CPU vs one-shot at 32k tokens",
                    live.ratio_to(once),
                    RENDER_TARGET,
                    "at most",
                )
            )
        if not identical:
            raise AssertionError(f"the live render of {size} tokens differs from the one-shot")
    table.notes.extend(
        [
            "One-shot: azresp's render of the whole final text in one print. Live: every "
            "delta through `StreamingMarkdown` back to back, Live's thread drawing at its real "
            "10 Hz (all threads' CPU). Ratio: live over one-shot (median of the runs' ratios).",
            f"Paced: the same, plus one frame wherever a model streaming at {speed} would get "
            "one (Live draws 10 a second), drawn synchronously. Those frames cost CPU per "
            "second of streaming, not per token: the last column is that cost.",
            "Same output: the live terminal output, played on a model terminal, leaves exactly "
            "the lines the one-shot print leaves.",
        ]
    )
    return Section([table], targets)


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms"


def _output(target: Console) -> str:
    file = target.file
    assert isinstance(file, io.StringIO)
    return file.getvalue()
