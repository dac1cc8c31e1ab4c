"""rich Consoles for an Environment: one for stdout (the answer), one for stderr (the rest).

Everything rich would otherwise read from the process (``os.environ`` for COLUMNS, LINES, TERM,
NO_COLOR, FORCE_COLOR; ``isatty()`` on the stream) comes from the ``Environment`` instead, so a
test's fake TTY or pipe is exactly what the console sees.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable
from typing import TextIO

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment

from azresp_cli.core.environment import Environment
from azresp_cli.core.terminal_text import has_controls, neutralize, raw_stream


class _Console(Console):
    neutralize_text = False  # set when the stream underneath is a terminal, colour or not

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterable[Segment]:
        """Every segment of text on its way to a terminal, made inert (core/terminal_text.py).

        rich's own escape sequences are control segments and colour styles, written to the
        raw stream untouched; the text, from the model or the service, is not trusted. A
        link's target (OSC 8) is text too."""
        for segment in super().render(renderable, options):
            text, style, control = segment
            if control is None and self.neutralize_text:
                if has_controls(text):
                    text = neutralize(text)
                if style is not None and style.link and has_controls(style.link):
                    style = style.update_link(neutralize(style.link))
                segment = Segment(text, style, control)
            yield segment

    def on_broken_pipe(self) -> None:
        # rich's default points the process's stdout at devnull and raises SystemExit(1),
        # bypassing cli/main.py, the one place that decides exit codes; it has a branch for a
        # closed pipe. Later output from this console (a finish() in finally) is dropped.
        self.quiet = True
        raise BrokenPipeError(errno.EPIPE, "output stream closed")


def stdout_console(
    env: Environment, *, width: int | None = None, height: int | None = None
) -> Console:
    """The console for the answer: terminal features only on a TTY without NO_COLOR."""
    return _console(env, env.stdout, is_tty=env.stdout_isatty, width=width, height=height)


def stderr_console(
    env: Environment, *, width: int | None = None, height: int | None = None
) -> Console:
    """The console for status, reasoning, footers, warnings and errors."""
    return _console(env, env.stderr, is_tty=env.stderr_isatty, width=width, height=height)


def _console(
    env: Environment, file: TextIO, *, is_tty: bool, width: int | None, height: int | None
) -> Console:
    # NO_COLOR turns off every escape sequence, not only colours: bold, cursor moves and Live
    # regions included, as the CLI contract asks ("no colour, no live widgets").
    is_terminal = is_tty and not env.no_color_requested
    # rich writes its colours and cursor moves to the raw terminal and neutralizes text itself
    # (_Console.render); a pipe gets the text byte-exact.
    console = _Console(
        file=raw_stream(file),
        force_terminal=is_terminal,  # Live and cursor moves follow; TERM=dumb still disables Live
        no_color=env.no_color_requested,
        highlight=False,  # never colour numbers or URLs inside answers and ids
        markup=False,  # text from the model or the service is never console markup
        emoji=False,  # nor ":emoji:" codes
        soft_wrap=False,
        width=width,
        height=height,
        # Private, but the documented way rich's own tests replace os.environ; COLUMNS, LINES,
        # TERM and COLORTERM then come from the Environment.
        _environ=dict(env.variables),
    )
    console.neutralize_text = is_tty
    return console
