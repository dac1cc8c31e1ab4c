"""Live Markdown for a streaming answer: finished blocks go to scrollback once, the tail is live.

``rich.markdown.Markdown`` parses its whole source in the constructor and renders every token on
every frame, so redrawing ``Markdown(answer_so_far)`` costs O(n) per frame and O(n^2) per answer,
and an answer taller than the screen loses its top to Live's ellipsis. Instead
``BlockScanner`` finds where top-level blocks are final; each finished block is printed once
with ``console.print`` (above the live region, into scrollback) and only the unfinished tail is in
a transient ``rich.live.Live``, parsed by ``get_renderable`` at most once per frame.

A tail taller than the screen (a long code block, a long list) is shown *bottom-aligned*: the
frame keeps its last lines, with a note that the rest is above. We chose this over flushing the
completed lines of a long code block into scrollback early: flushed chunks would each be rendered
as a separate Syntax block (padding rows mid-block, highlighting restarted at each chunk) and
would differ from the final answer, while cropping keeps the newest text in view and still prints
the whole block, exactly, the moment it is finished (or at settle()/finish()). Live's own
"ellipsis" would keep the *top* and hide the new lines; "visible" cannot be erased.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.live import Live
from rich.markdown import Markdown
from rich.segment import Segment
from rich.text import Text

from azresp_cli.render.markdown_blocks import BlockScanner, Cut
from azresp_cli.render.markdown_join import BlockJoin
from azresp_cli.render.markdown_parser import MarkdownFactory

REFRESH_PER_SECOND = 10.0  # smooth enough to read along, cheap enough for a long tail


class StreamingMarkdown:
    """Feed Markdown deltas; finished blocks are printed once, the unfinished tail is live.

    ``feed`` costs O(len(delta)) plus O(line) when a line completes, never O(answer so far).
    On a console that is not interactive (a file, a dumb terminal) nothing is live and each block
    appears when it is finished. Not thread-safe for callers: feed, settle and finish belong to
    one thread (Live's refresh thread only reads the tail, under a lock).
    """

    def __init__(
        self,
        console: Console,
        *,
        refresh_per_second: float = REFRESH_PER_SECOND,
        markdown: Callable[[str], Markdown] | None = None,
    ) -> None:
        self.console = console
        self._refresh_per_second = refresh_per_second
        self._markdown = markdown or MarkdownFactory()
        self._scanner = BlockScanner()
        self._join = BlockJoin()
        self._lock = threading.Lock()  # guards the tail against Live's refresh thread
        self._lines: list[str] = []  # complete lines of the tail
        self._partial: list[str] = []  # pieces of its unfinished last line
        self._unprinted: str | None = None  # a block cut from the tail but not yet printed
        self._version = 0
        self._frame: tuple[int, RenderableType] | None = None
        self._live: Live | None = None
        self._blank_frame = False
        self._fed = False

    @property
    def has_output(self) -> bool:
        """Whether any text has been fed (printed or still live)."""
        return self._fed

    @property
    def is_live(self) -> bool:
        """Whether a live region is on screen (anything else printed now would garble it)."""
        return self._live is not None

    def feed(self, delta: str) -> None:
        """Add a chunk of the answer."""
        if not delta:
            return
        self._fed = True
        starting = self._live is None
        self._start_live()
        start = 0
        while (end := delta.find("\n", start)) >= 0:
            with self._lock:
                line = "".join(self._partial) + delta[start : end + 1]
                self._partial.clear()
                self._lines.append(line)
                self._version += 1
            cut = self._scanner.push(line)
            if cut is not None:
                self._print_settled(len(self._lines) - (1 if cut is Cut.BEFORE else 0))
            start = end + 1
        if start < len(delta):
            with self._lock:
                self._partial.append(delta[start:])
                self._version += 1
        if starting and self._live is not None:
            # Live's own thread draws its first frame a whole refresh period after it starts;
            # the first words of an answer are what its speed is judged by, so draw them now.
            self._live.refresh()

    def settle(self) -> None:
        """Stop the live region and print the tail as it is (before a prompt, say).

        Feeding may continue afterwards: the new text starts a fresh tail below. If a code fence
        was open, the fresh tail reopens it so the rest still renders as code.
        """
        reopen = self._scanner.reopen_line
        self._print_tail()
        self._scanner = BlockScanner()
        if reopen is not None:
            self._scanner.push(reopen)
            with self._lock:
                self._lines.append(reopen)

    def finish(self) -> None:
        """Print whatever is left; the answer is complete (or will never be)."""
        self._print_tail()
        self._scanner = BlockScanner()

    def _print_settled(self, line_count: int) -> None:
        with self._lock:
            block = "".join(self._lines[:line_count])
            del self._lines[:line_count]
            self._version += 1
            # Kept until printed, so a Ctrl-C inside print() cannot lose the block.
            self._unprinted = block
        if self._live is not None:
            # Drop the block from the frame before it lands above. Live redraws this same
            # frame below the printed block; BottomAligned keeps its lines, so that is cheap.
            self._live.refresh()
        self._print_block(block)
        self._unprinted = None

    def _print_tail(self) -> None:
        self._stop_live()
        with self._lock:
            text = (self._unprinted or "") + "".join(self._lines) + "".join(self._partial)
            self._unprinted = None
            self._lines.clear()
            self._partial.clear()
            self._version += 1
        self._print_block(text)

    def _print_block(self, text: str) -> None:
        if not text.strip():
            return
        try:
            markdown = self._markdown(text)
            self.console.print(self._join.join(markdown))
        except OSError:
            raise  # a closed pipe or terminal: cli/main.py has a branch for it
        except Exception:  # noqa: BLE001 - a parser or rich bug must not eat the answer
            self.console.print(Text(text))
            return
        self._join.printed(markdown)

    def _start_live(self) -> None:
        if self._live is not None or not self.console.is_interactive:
            return
        # A new Live each time: a stopped one remembers its last height and would erase
        # that many lines of scrollback when restarted.
        self._live = Live(
            console=self.console,
            transient=True,
            refresh_per_second=self._refresh_per_second,
            get_renderable=self._current_frame,
            # Redirecting sys.stdout/stderr into our stdout console would move stray stderr
            # text to stdout; the writers settle before they write to stderr instead.
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self._live.start()

    def _stop_live(self) -> None:
        live, self._live = self._live, None
        if live is None:
            return
        # Live.stop() draws one last frame and, being transient, erases it at once; the caller
        # prints the tail in full right after. A blank last frame spares that render and the
        # flicker. (Its overflow is "visible", but BottomAligned keeps any frame on screen.)
        self._blank_frame = True
        try:
            live.stop()
        finally:
            self._blank_frame = False
            self._frame = None

    def _current_frame(self) -> RenderableType:
        """Live's get_renderable: the tail, parsed at most once per change, bottom-aligned."""
        if self._blank_frame:
            return Text()
        with self._lock:
            version = self._version
            if self._frame is not None and self._frame[0] == version:
                return self._frame[1]
            text = "".join(self._lines) + "".join(self._partial)
        try:
            tail: RenderableType = self._join.join(self._markdown(text))
        except Exception:  # noqa: BLE001 - on Live's thread a traceback would garble the screen
            tail = Text(text)
        frame = BottomAligned(tail, fallback=text)
        self._frame = (version, frame)
        return frame


class BottomAligned:
    """Renders at most the terminal's height minus one line, keeping the last lines.

    A frame is drawn again unchanged below each printed block and on every refresh while no
    text arrives, so its lines are kept for the size they were rendered at.
    """

    def __init__(self, renderable: RenderableType, *, fallback: str) -> None:
        self.renderable = renderable
        self.fallback = fallback
        self._rendered: tuple[tuple[int, int], list[list[Segment]]] | None = None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        size = (options.max_width, options.size.height)
        rendered = self._rendered
        if rendered is None or rendered[0] != size:
            rendered = (size, self._render(console, options))
            self._rendered = rendered
        for index, line in enumerate(rendered[1]):
            if index:
                yield Segment.line()
            yield from line

    def _render(self, console: Console, options: ConsoleOptions) -> list[list[Segment]]:
        height = max(options.size.height - 1, 2)
        render_options = options.update(height=None)
        try:
            lines = console.render_lines(self.renderable, render_options, pad=False)
        except Exception:  # noqa: BLE001 - runs on Live's thread; a traceback there helps no one
            lines = console.render_lines(Text(self.fallback), render_options, pad=False)
        if len(lines) > height:
            hidden = len(lines) - height + 1
            note = Text(
                f"⋮ {hidden} more lines above, printed when this block is complete",
                style="dim",
                no_wrap=True,
                overflow="ellipsis",
            )
            lines = [*console.render_lines(note, render_options, pad=False), *lines[-height + 1 :]]
        return lines
