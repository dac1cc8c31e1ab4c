"""The one way errors reach the user: ``error: <headline>`` and ``hint: <hint>`` on stderr.

Cheap to import (no rich.markdown, no rich.live): ``cli/main.py`` loads it only after a
command failed, and the REPL prints through it too. With ``debug`` the error's detail (already
redacted by core) and the traceback of the original exception follow, redacted again here
because exception messages can quote URLs with keys in them.
"""

from __future__ import annotations

import traceback

from rich.console import Console
from rich.text import Text

from azresp_cli.core.environment import Environment
from azresp_cli.core.errors import AzrespError
from azresp_cli.core.redact import redact


def print_error(
    target: Console | Environment,
    error: AzrespError,
    *,
    debug: bool = False,
    exception: BaseException | None = None,
) -> None:
    """Print ``error`` to stderr (or to ``target`` when it is a Console).

    The traceback of ``exception`` is shown only with ``debug``; without it, never. Lines are
    soft-wrapped: a log file gets each one whole rather than cut at 80 columns.
    """
    console = target if isinstance(target, Console) else _stderr_console(target)
    console.print(Text.assemble(("error:", "bold red"), " ", error.headline()), soft_wrap=True)
    if error.hint:
        console.print(Text.assemble(("hint:", "bold"), " ", redact(error.hint)), soft_wrap=True)
    if not debug:
        return
    if error.detail:
        console.print(
            Text.assemble(("detail:", "bold"), "\n", redact(error.detail)),
            style="dim",
            soft_wrap=True,
        )
    if exception is not None:
        trace = "".join(traceback.format_exception(exception)).rstrip("\n")
        console.print(Text(redact(trace)), style="dim", soft_wrap=True)


def _stderr_console(env: Environment) -> Console:
    from azresp_cli.render.console import stderr_console

    return stderr_console(env)
