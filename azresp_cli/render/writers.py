"""Turn writers: where each TurnEvent of an answer goes, chosen from the Environment.

Like httpie's ``write_message``: the caller collects events from core and hands each to a
writer; the writer alone decides what reaches stdout and stderr. ``writer_for`` picks live
Markdown on a colour TTY, plain streaming text on a pipe or under NO_COLOR, and JSON or JSON
Lines when asked. Importing this module imports neither rich.markdown nor rich.live.
"""

from __future__ import annotations

import enum
import time
from typing import Protocol

from azresp_cli.core.environment import Environment
from azresp_cli.core.events import TurnEvent
from azresp_cli.render.turn_state import Clock, Outcome

__all__ = ["Outcome", "OutputFormat", "TurnWriter", "writer_for"]


class OutputFormat(enum.StrEnum):
    TEXT = "text"
    JSON = "json"
    JSONL = "jsonl"


class TurnWriter(Protocol):
    """Shows one turn. ``finish`` must run (in ``finally``) however the turn ended."""

    def handle(self, event: TurnEvent) -> None:
        """Show one event as it arrives."""

    def settle(self) -> None:
        """Make the screen static (before an interactive prompt); later events continue below."""

    def finish(self, outcome: Outcome) -> None:
        """Print what is left, then the stderr lines: marker, warning, footer."""


def writer_for(
    env: Environment,
    fmt: OutputFormat,
    *,
    show_footer: bool = True,
    clock: Clock = time.monotonic,
) -> TurnWriter:
    """The writer for ``fmt`` in ``env``; the elapsed time in the footer starts now."""
    if fmt is OutputFormat.TEXT:
        if env.color:
            from azresp_cli.render.console import stderr_console, stdout_console
            from azresp_cli.render.markdown_writer import MarkdownWriter

            return MarkdownWriter(
                stdout_console(env), stderr_console(env), show_footer=show_footer, clock=clock
            )
        from azresp_cli.render.plain_writer import PlainWriter

        return PlainWriter(env.stdout, env.stderr, show_footer=show_footer, clock=clock)

    from azresp_cli.render.console import stderr_console  # rich: not for the plain writer
    from azresp_cli.render.json_writers import JsonlWriter, JsonWriter

    # A script reading the JSON does not want a footer; a person at a terminal does.
    footer = show_footer and env.stderr_isatty
    if fmt is OutputFormat.JSON:
        return JsonWriter(env.stdout, stderr_console(env), show_footer=footer, clock=clock)
    return JsonlWriter(env.stdout, stderr_console(env), show_footer=footer, clock=clock)
