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
from azresp_cli.core.events import CodeInterpreterCode, McpListTools, TurnEvent
from azresp_cli.core.meter import Meter
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


class _Quiet:
    """--quiet (docs/output.md): no progress notes (an MCP server's tool list) and no dump of
    the code interpreter's source. Tool calls, their results, saved files, warnings and errors
    still show: they are what happened, not progress."""

    _DROPPED = (CodeInterpreterCode, McpListTools)

    def __init__(self, inner: TurnWriter) -> None:
        self._inner = inner

    def handle(self, event: TurnEvent) -> None:
        if not isinstance(event, self._DROPPED):
            self._inner.handle(event)

    def settle(self) -> None:
        self._inner.settle()

    def finish(self, outcome: Outcome) -> None:
        self._inner.finish(outcome)


def writer_for(
    env: Environment,
    fmt: OutputFormat,
    *,
    show_footer: bool = True,
    clock: Clock = time.monotonic,
    meter: Meter | None = None,
) -> TurnWriter:
    """The writer for ``fmt`` in ``env``; the elapsed time in the footer starts now.

    ``show_footer=False`` is --quiet: no footer, no progress notes, no waiting spinner. With a
    ``meter`` (the session's) the footer shows the cost and what is left of the budget."""
    if fmt is OutputFormat.TEXT:
        writer: TurnWriter
        if env.color:
            from azresp_cli.render.console import stderr_console, stdout_console
            from azresp_cli.render.markdown_writer import MarkdownWriter

            writer = MarkdownWriter(
                stdout_console(env),
                stderr_console(env),
                show_footer=show_footer,
                clock=clock,
                meter=meter,
            )
        else:
            from azresp_cli.render.plain_writer import PlainWriter

            writer = PlainWriter(
                env.stdout, env.stderr, show_footer=show_footer, clock=clock, meter=meter
            )
        if not show_footer:  # --quiet
            writer = _Quiet(writer)
        if env.stderr_isatty and show_footer:  # a person is watching, and did not ask for -q
            from azresp_cli.core.terminal_text import raw_stream
            from azresp_cli.render.waiting import WaitingWriter, is_terminal

            stream = raw_stream(env.stderr)
            if is_terminal(stream):
                writer = WaitingWriter(writer, stream)
        return writer

    from azresp_cli.render.console import stderr_console  # rich: not for the plain writer
    from azresp_cli.render.json_writers import JsonlWriter, JsonWriter

    # A script reading the JSON does not want a footer; a person at a terminal does.
    footer = show_footer and env.stderr_isatty
    if fmt is OutputFormat.JSON:
        return JsonWriter(
            env.stdout, stderr_console(env), show_footer=footer, clock=clock, meter=meter
        )
    return JsonlWriter(
        env.stdout, stderr_console(env), show_footer=footer, clock=clock, meter=meter
    )
