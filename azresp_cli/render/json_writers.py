"""Writers for scripts: the final Response as JSON, or every stream event as a JSON line.

stdout carries the JSON and nothing else. The footer goes to stderr only when a person is
watching it (``writer_for`` decides); warnings and the interrupted marker always do.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, TextIO

from rich.console import Console
from rich.text import Text

from azresp_cli.core.events import Completed, FileSaved, ToolCallRefused, TurnEvent, WireEvent
from azresp_cli.core.meter import Meter
from azresp_cli.render.turn_state import Clock, NoteKind, Outcome, TurnSummary

_NOTE_STYLES = {NoteKind.FOOTER: "dim", NoteKind.WARNING: "yellow", NoteKind.MARKER: "yellow"}


def to_json(value: Any, *, indent: int | None = None) -> str:
    """JSON text for wire objects; compact (no spaces) unless ``indent`` is given."""
    separators = None if indent is not None else (",", ":")
    return json.dumps(value, indent=indent, separators=separators, default=_plain)


def _plain(value: Any) -> Any:
    # Records hold Mappings and tuples; json handles only dict and list natively.
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


class _JsonBase:
    def __init__(
        self,
        stdout: TextIO,
        err: Console,
        *,
        show_footer: bool = False,
        clock: Clock,
        meter: Meter | None = None,
    ) -> None:
        self._out = stdout
        self._err = err
        self._show_footer = show_footer
        self._summary = TurnSummary(clock, meter)

    def settle(self) -> None:
        self._out.flush()

    def finish(self, outcome: Outcome) -> None:
        self._out.flush()
        notes = self._summary.closing_notes(
            outcome, answer_shown=False, show_footer=self._show_footer
        )
        for note in notes:
            self._err.print(Text(note.text, style=_NOTE_STYLES[note.kind]), soft_wrap=True)

    def _note_tool(self, event: TurnEvent) -> None:
        # stdout is the JSON; where files went and which calls were refused go to stderr.
        if isinstance(event, FileSaved | ToolCallRefused):
            from azresp_cli.render.tool_lines import tool_lines

            style = "yellow" if isinstance(event, ToolCallRefused) else ""
            self._err.print(Text(tool_lines(event).rstrip("\n"), style=style), soft_wrap=True)

    def _note_wait(self, event: TurnEvent) -> None:
        # stdout is the JSON; retries and stream resumes are told on stderr, like warnings.
        from azresp_cli.core.events import ResumeRefused, RetryScheduled, StreamResumed
        from azresp_cli.render.progress import resume_text, retry_text

        if isinstance(event, RetryScheduled):
            self._err.print(Text(f"note: {retry_text(event)}", style="yellow"), soft_wrap=True)
        elif isinstance(event, StreamResumed | ResumeRefused):
            self._err.print(Text(f"note: {resume_text(event)}", style="dim"), soft_wrap=True)

    def _write_line(self, text: str) -> None:
        self._out.write(text + "\n")
        self._out.flush()


class JsonWriter(_JsonBase):
    """Prints nothing while the answer streams, then the final Response object."""

    def handle(self, event: TurnEvent) -> None:
        self._summary.observe(event)
        self._note_wait(event)
        self._note_tool(event)
        if isinstance(event, Completed):
            self._write_line(to_json(event.response.raw, indent=2))


class JsonlWriter(_JsonBase):
    """One compact JSON line per stream event, as it came over the wire."""

    def handle(self, event: TurnEvent) -> None:
        self._summary.observe(event)
        self._note_wait(event)
        self._note_tool(event)
        if isinstance(event, WireEvent):
            self._write_line(to_json(event.payload))
