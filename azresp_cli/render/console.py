"""rich Consoles for an Environment: one for stdout (the answer), one for stderr (the rest).

Everything rich would otherwise read from the process (``os.environ`` for COLUMNS, LINES, TERM,
NO_COLOR, FORCE_COLOR; ``isatty()`` on the stream) comes from the ``Environment`` instead, so a
test's fake TTY or pipe is exactly what the console sees.
"""

from __future__ import annotations

import errno
from typing import TextIO

from rich.console import Console

from azresp_cli.core.environment import Environment


class _Console(Console):
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
    return _Console(
        file=file,
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
