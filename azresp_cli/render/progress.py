"""What a person sees while azresp waits: a retry countdown, a job's spinner, stream notes.

On a terminal (stderr a TTY, no NO_COLOR) each wait is one transient line that rich redraws from
its own refresh thread while core sleeps, so the seconds count down and the line is gone once
the wait is over. Anywhere else a wait is one plain line on stderr, written once, for logs.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from rich.console import Console, ConsoleOptions, RenderResult
from rich.live import Live
from rich.spinner import Spinner
from rich.text import Text

from azresp_cli.core.events import ResumeRefused, RetryScheduled, StreamResumed

Clock = Callable[[], float]
REFRESH_PER_SECOND = 8


def retry_text(event: RetryScheduled, seconds_left: float | None = None) -> str:
    """``HTTP 429 (rate limited): retrying in 4 s (retry 1 of 2, request id …)``."""
    left = event.delay if seconds_left is None else seconds_left
    facts = f"retry {event.attempt} of {event.max_retries}"
    if event.request_id:
        facts += f", request id {event.request_id}"
    when = "now" if event.delay == 0 else f"in {_seconds(left)}"
    change = f" {event.change}" if event.change else ""
    return f"{event.reason}: retrying {when}{change} ({facts})"


def resume_text(event: StreamResumed | ResumeRefused) -> str:
    if isinstance(event, StreamResumed):
        return f"the stream of {event.response_id} dropped; resuming after event {event.after}"
    return (
        f"the service would not resume the stream of {event.response_id}; "
        "polling it, the rest of the answer follows when it ends"
    )


def _seconds(value: float) -> str:
    if value < 1:
        return f"{value * 1000:.0f} ms"
    if value >= 10 or value == int(value):
        return f"{math.ceil(value)} s"
    return f"{value:.1f} s"


class _Ticking:
    """A renderable that words itself anew on every refresh (the time left keeps falling)."""

    def __init__(self, words: Callable[[], str], style: str, spinner: Spinner | None) -> None:
        self._words = words
        self._style = style
        self._spinner = spinner

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        text = Text(self._words(), style=self._style)
        if self._spinner is None:
            yield text
            return
        self._spinner.text = text
        yield self._spinner.render(console.get_time())


class LiveLine:
    """One transient line on a terminal console, redrawn until ``stop``."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self._live: Live | None = None

    @property
    def is_live(self) -> bool:
        return self._live is not None

    def start(self, words: Callable[[], str], *, style: str, spinner: bool = False) -> None:
        self.stop()
        renderable = _Ticking(words, style, Spinner("dots") if spinner else None)
        self._live = Live(
            renderable,
            console=self.console,
            transient=True,
            refresh_per_second=REFRESH_PER_SECOND,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self._live.start()

    def stop(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None


class RetryCountdown:
    """Shows each ``RetryScheduled``: counting down on a terminal, one line elsewhere."""

    def __init__(self, console: Console, *, clock: Clock = time.monotonic) -> None:
        self._console = console
        self._line = LiveLine(console)
        self._clock = clock

    def show(self, event: RetryScheduled) -> None:
        if not self._console.is_terminal:
            self._console.print(Text(f"note: {retry_text(event)}"), soft_wrap=True)
            return
        deadline = self._clock() + event.delay
        self._line.start(
            lambda: retry_text(event, max(deadline - self._clock(), 0.0)), style="yellow"
        )

    def clear(self) -> None:
        """The wait is over (the next event came, or the request failed for good)."""
        self._line.stop()


class WaitSpinner:
    """``⠋ in_progress · 42 s · resp_…`` while ``bg poll --wait`` polls (terminal only)."""

    def __init__(self, console: Console, response_id: str, *, clock: Clock = time.monotonic):
        self._line = LiveLine(console)
        self._console = console
        self._response_id = response_id
        self._clock = clock
        self._started = clock()
        self._status = "waiting"

    def update(self, status: str) -> None:
        self._status = status
        if self._console.is_terminal and not self._line.is_live:
            self._line.start(self._words, style="dim", spinner=True)

    def stop(self) -> None:
        self._line.stop()

    def _words(self) -> str:
        elapsed = self._clock() - self._started
        if elapsed < 60:
            shown = f"{elapsed:.0f} s"
        else:
            minutes, seconds = divmod(round(elapsed), 60)
            shown = f"{minutes} min {seconds:02d} s"
        return f"{self._status} · {shown} · {self._response_id} · Ctrl-C detaches"
