"""StreamingMarkdown: printed block by block, the answer looks exactly as printed in one go."""

from __future__ import annotations

import random
import time
from typing import Any

import pytest
from rich.console import Console, ConsoleOptions, RenderResult
from rich.markdown import Markdown

from azresp_cli.render.markdown_join import Joined, Trimmed, trim_line_end
from azresp_cli.render.markdown_stream import BottomAligned, StreamingMarkdown

from .support import MIXED_DOCUMENT, make_console, output, screen


def feed_in_chunks(
    stream: StreamingMarkdown, text: str, *, seed: int, pause_every: int = 0
) -> None:
    """Feed 1-7 characters at a time, as a model's deltas come; optionally let Live draw."""
    rng = random.Random(seed)
    start = 0
    chunks = 0
    while start < len(text):
        size = rng.randint(1, 7)
        stream.feed(text[start : start + size])
        start += size
        chunks += 1
        if pause_every and chunks % pause_every == 0:
            time.sleep(0.001)  # room for Live's refresh thread to draw a frame of this tail


def one_shot(text: str, **console_options: Any) -> str:
    """azresp's one-shot render of the whole answer (Markdown without line-end padding)."""
    console = make_console(**console_options)
    console.print(Trimmed(Markdown(text)))
    return output(console)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_equals_one_shot_on_a_plain_console(seed: int) -> None:
    console = make_console(terminal=False)
    stream = StreamingMarkdown(console)
    feed_in_chunks(stream, MIXED_DOCUMENT, seed=seed)
    stream.finish()
    assert output(console) == one_shot(MIXED_DOCUMENT, terminal=False)


def test_incremental_equals_one_shot_with_colours() -> None:
    # Colour escapes included; a non-interactive terminal console has no live region.
    console = make_console(terminal=True)
    stream = StreamingMarkdown(console)
    feed_in_chunks(stream, MIXED_DOCUMENT, seed=4)
    stream.finish()
    # screen() drops OSC 8 hyperlinks: rich gives each link a random id per render.
    assert screen(output(console)) == screen(one_shot(MIXED_DOCUMENT, terminal=True))


@pytest.mark.parametrize("height", [12, 40])
def test_live_terminal_ends_showing_exactly_the_one_shot_render(height: int) -> None:
    # A fast refresh and short pauses let Live draw (and erase) many frames of the tail,
    # including tails taller than a 12-line screen; the emulated terminal must end up showing
    # what a single print of the whole answer shows.
    console = make_console(terminal=True, live=True, height=height)
    stream = StreamingMarkdown(console, refresh_per_second=1000)
    document = MIXED_DOCUMENT * 2
    feed_in_chunks(stream, document, seed=5, pause_every=40)
    stream.finish()
    assert "\x1b[1A" in output(console), "no multi-line live frame was ever drawn"
    shown = screen(output(console), height=height)
    assert shown == screen(one_shot(document, terminal=True))


def test_finishing_a_tail_taller_than_the_screen_leaves_no_debris() -> None:
    # Live.stop() draws one last frame uncropped; taller than the screen, it could not be
    # erased. The stream blanks that frame, then prints the tail into scrollback.
    console = make_console(terminal=True, live=True, height=12)
    stream = StreamingMarkdown(console, refresh_per_second=1000)
    code = "Intro.\n\n```python\n" + "".join(f"x_{number} = {number}\n" for number in range(40))
    feed_in_chunks(stream, code, seed=9, pause_every=10)
    stream.finish()
    assert screen(output(console), height=12) == screen(one_shot(code, terminal=True))


class RecordingConsole(Console):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.blocks: list[str] = []

    def print(self, *objects: Any, **kwargs: Any) -> None:
        self.blocks.extend(item.markdown.markup for item in objects if isinstance(item, Joined))
        super().print(*objects, **kwargs)


def test_each_settled_block_is_printed_once() -> None:
    console = RecordingConsole(
        file=make_console(terminal=True).file,
        width=80,
        height=25,
        force_terminal=True,
        force_interactive=True,
        _environ={},
    )
    stream = StreamingMarkdown(console, refresh_per_second=1000)
    feed_in_chunks(stream, MIXED_DOCUMENT, seed=6, pause_every=40)
    stream.finish()
    # Every character but the newlines of blank-only blocks (never printed) exactly once, in order.
    assert "".join(console.blocks).replace("\n", "") == MIXED_DOCUMENT.replace("\n", "")
    assert len(console.blocks) > 15, "the answer was not printed block by block"


class CountingMarkdown(Markdown):
    """Counts the characters it is asked to parse; renders nothing, to keep the test fast."""

    parsed_sizes: list[int]

    def __init__(self, markup: str) -> None:
        super().__init__(markup)
        CountingMarkdown.parsed_sizes.append(len(markup))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        return iter(())


TWENTY_THOUSAND_TOKENS = MIXED_DOCUMENT * 55  # ~82,000 characters, ~4 per token


@pytest.mark.slow  # renders a 20,000-token answer: seconds by design
def test_total_parsing_work_is_linear_in_the_answer() -> None:
    CountingMarkdown.parsed_sizes = []
    stream = StreamingMarkdown(make_console(terminal=False), markdown=CountingMarkdown)
    feed_in_chunks(stream, TWENTY_THOUSAND_TOKENS, seed=7)
    stream.finish()
    # Every character is parsed once, when its block is printed (blank-only blocks are skipped).
    # Re-parsing the answer so far on each of its ~20,000 deltas would be ~10^9 characters.
    total = sum(CountingMarkdown.parsed_sizes)
    assert 0.99 * len(TWENTY_THOUSAND_TOKENS) <= total <= len(TWENTY_THOUSAND_TOKENS)


@pytest.mark.slow  # renders a 20,000-token answer: seconds by design
def test_a_live_frame_parses_only_the_tail() -> None:
    CountingMarkdown.parsed_sizes = []
    stream = StreamingMarkdown(make_console(terminal=False), markdown=CountingMarkdown)
    feed_in_chunks(stream, TWENTY_THOUSAND_TOKENS, seed=8)
    stream.finish()
    blocks = len(CountingMarkdown.parsed_sizes)

    CountingMarkdown.parsed_sizes = []
    console = make_console(terminal=True, live=True)
    stream = StreamingMarkdown(console, refresh_per_second=1000, markdown=CountingMarkdown)
    feed_in_chunks(stream, TWENTY_THOUSAND_TOKENS, seed=8, pause_every=200)
    stream.finish()
    assert len(CountingMarkdown.parsed_sizes) > blocks, "no live frame was parsed"
    # However long the answer grows, a frame parses at most the longest unfinished block
    # (the ten-item list in MIXED_DOCUMENT, ~560 characters), never the answer so far.
    assert max(CountingMarkdown.parsed_sizes) <= 600


def test_a_tail_taller_than_the_screen_shows_its_newest_lines() -> None:
    console = make_console(terminal=False, height=10)
    code = "```\n" + "".join(f"line {number}\n" for number in range(1, 41))
    lines = screen(_render(console, BottomAligned(Markdown(code), fallback=code)))
    assert len(lines) == 9  # the screen's height, less the cursor's line
    assert "more lines above" in lines[0]
    assert lines[-2].strip() == "line 40"  # the code block's padding row comes last


def _render(console: Console, renderable: Any) -> str:
    console.print(renderable)
    return output(console)


def test_settle_prints_the_tail_and_feeding_continues_below() -> None:
    console = make_console(terminal=False)
    stream = StreamingMarkdown(console)
    stream.feed("First paragraph.\n\nSecond, cut at a pro")
    stream.settle()
    assert output(console) == one_shot("First paragraph.\n\nSecond, cut at a pro", terminal=False)
    stream.feed("mpt.\n\nThird.\n")
    stream.finish()
    expected = one_shot(
        "First paragraph.\n\nSecond, cut at a pro\n\nmpt.\n\nThird.", terminal=False
    )
    assert output(console) == expected


def test_settle_inside_a_code_fence_keeps_the_rest_as_code() -> None:
    console = make_console(terminal=False)
    stream = StreamingMarkdown(console)
    stream.feed("```python\nx = 1\n")
    stream.settle()
    stream.feed("y = 2\n```\n\nDone.\n")
    stream.finish()
    first = one_shot("```python\nx = 1\n", terminal=False)
    rest = one_shot("```python\ny = 2\n```\n\nDone.\n", terminal=False)
    assert output(console) == first + "\n" + rest


def test_settle_stops_the_live_region() -> None:
    stream = StreamingMarkdown(make_console(terminal=True, live=True))
    stream.feed("Streaming")
    assert stream.is_live
    stream.settle()
    assert not stream.is_live
    assert stream.has_output


def test_nothing_fed_prints_nothing() -> None:
    console = make_console(terminal=True, live=True)
    stream = StreamingMarkdown(console)
    stream.finish()
    assert output(console) == ""
    assert not stream.has_output


JOINS = [
    "Para A\n\nPara B",
    "Para\n\n---\n\nAfter the rule",
    "---\n\n---",
    "![image](a.png)\n\nText after an image",
    "Text\n\n![image](a.png) then text",
    "- a\n\n- b\n\nAfter a loose list",
    "9. nine\n\n10. ten\n\n11. eleven",
    "> quote\n\nPara\n\n> quote",
    "# H1\n\n## H2\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode\n```\nText",
    "    indented\n\n    code\n\nPara",
    "<!-- comment\n\nstill -->\n\nPara",
    "- item\n\n  ```\n  code\n\n  more\n  ```\n\nAfter",
]


@pytest.mark.parametrize("document", JOINS)
def test_blocks_join_like_one_document(document: str) -> None:
    for chunk_seed in range(3):
        console = make_console(terminal=False, width=40)
        stream = StreamingMarkdown(console)
        feed_in_chunks(stream, document + "\n", seed=chunk_seed)
        stream.finish()
        assert output(console) == one_shot(document, terminal=False, width=40)


def test_paragraph_lines_carry_no_trailing_padding_but_code_keeps_its_background() -> None:
    text = "A short line.\n\n```python\nx = 1\n```\n"
    console = make_console(terminal=True)
    stream = StreamingMarkdown(console)
    stream.feed(text)
    stream.finish()
    lines = output(console).splitlines()
    paragraph = next(line for line in lines if "A short line." in line)
    assert not paragraph.rstrip("\x1b[0m").endswith(" ")
    code = next(line for line in lines if "x" in line and "=" in line)
    assert len(code) > 40  # background-coloured padding of the code block stays


def test_trim_line_end_drops_plain_spaces_only() -> None:
    from rich.segment import Segment
    from rich.style import Style

    plain = [Segment("text"), Segment("     ")]
    assert trim_line_end(plain) == [Segment("text")]
    shaded = [Segment("code", Style(bgcolor="blue")), Segment("   ", Style(bgcolor="blue"))]
    assert trim_line_end(shaded) == shaded
