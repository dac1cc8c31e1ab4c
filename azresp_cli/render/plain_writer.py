"""The writer for a pipe or NO_COLOR: the answer's text exactly as it streams, nothing else.

No escape sequence reaches either stream. Each delta is written and flushed at once, so
``azresp chat ... | tee`` shows the answer while it arrives; the output ends with exactly one
newline however many the model sent.
"""

from __future__ import annotations

from typing import TextIO, assert_never

from azresp_cli.core.events import (
    Citations,
    CodeInterpreterCode,
    CodeInterpreterLogs,
    Completed,
    FileSaved,
    McpCallResult,
    McpListTools,
    ReasoningDelta,
    RefusalDelta,
    ResponseStarted,
    ResumeRefused,
    RetryScheduled,
    StreamResumed,
    TextDelta,
    TextDone,
    ToolCallRefused,
    ToolCallRequested,
    ToolCallResult,
    ToolRound,
    TurnEvent,
    WebSearched,
    WireEvent,
)
from azresp_cli.core.meter import Meter
from azresp_cli.render.citations import CitationList, markdown_links
from azresp_cli.render.tool_lines import tool_lines
from azresp_cli.render.turn_state import Clock, Outcome, TextParts, TurnSummary

REASONING_LABEL = "thinking:"


class PlainWriter:
    def __init__(
        self,
        stdout: TextIO,
        stderr: TextIO,
        *,
        show_footer: bool = True,
        clock: Clock,
        meter: Meter | None = None,
    ) -> None:
        self._out = stdout
        self._err = stderr
        self._saved: list[str] = []
        self._show_footer = show_footer
        self._summary = TurnSummary(clock, meter)
        self._parts = TextParts()
        self._answer = _TrailingNewlines(stdout)
        self._reasoning_index: int | None = None  # summary_index of the reasoning being shown
        self._reasoning_at_line_start = True
        self._citations = CitationList()

    def handle(self, event: TurnEvent) -> None:
        self._summary.observe(event)
        match event:
            case TextDelta(text=text):
                self._close_reasoning()
                self._answer.write(self._parts.delta(text))
            case TextDone(text=text):
                self._answer.write(self._parts.done(text))
            case RefusalDelta(text=text):
                self._close_reasoning()
                self._answer.write(self._parts.delta(text))
            case ReasoningDelta():
                self._reason(event)
            case FileSaved():
                # Files are saved as the answer ends; told after its last line, so a terminal
                # showing stdout and stderr together does not glue the note to the answer.
                self._saved.append(tool_lines(event))
            case (
                ToolCallRequested()
                | ToolCallRefused()
                | ToolCallResult()
                | McpListTools()
                | McpCallResult()
                | CodeInterpreterCode()
                | CodeInterpreterLogs()
                | WebSearched()
            ):
                # stdout stays the answer; what tools did goes to stderr.
                self._close_reasoning()
                self._answer.flush()
                self._err.write(tool_lines(event))
                self._err.flush()
            case RetryScheduled() | StreamResumed() | ResumeRefused():
                # Like a warning: said once, even with --quiet (a log should show the waits).
                # Imported here: render.progress loads rich, which plain output never needs.
                from azresp_cli.render.progress import resume_text, retry_text

                self._close_reasoning()
                self._answer.flush()
                if isinstance(event, RetryScheduled):
                    self._err.write(f"note: {retry_text(event)}\n")
                else:
                    self._err.write(f"note: {resume_text(event)}\n")
                self._err.flush()
            case Citations(sources=sources):
                self._citations.add(sources)
            case ResponseStarted() | Completed() | WireEvent() | ToolRound():
                pass
            case _:
                assert_never(event)

    def settle(self) -> None:
        self._close_reasoning()
        self._answer.flush()

    def finish(self, outcome: Outcome) -> None:
        self._close_reasoning()
        self._answer.end()
        sources = self._citations.take()
        if sources and self._answer.wrote_any:
            self._out.write(markdown_links(sources))
            self._out.flush()
        self._err.write("".join(self._saved))
        self._saved.clear()
        notes = self._summary.closing_notes(
            outcome, answer_shown=self._answer.wrote_any, show_footer=self._show_footer
        )
        for note in notes:
            self._err.write(note.text + "\n")
        self._err.flush()

    def _reason(self, event: ReasoningDelta) -> None:
        if self._reasoning_index is None:
            self._err.write(REASONING_LABEL + "\n")
        elif event.summary_index != self._reasoning_index:
            self._err.write("\n" if self._reasoning_at_line_start else "\n\n")
        self._reasoning_index = event.summary_index
        if event.text:
            self._err.write(event.text)
            self._reasoning_at_line_start = event.text.endswith("\n")
        self._err.flush()

    def _close_reasoning(self) -> None:
        if self._reasoning_index is None:
            return
        self._err.write("\n" if self._reasoning_at_line_start else "\n\n")
        self._err.flush()
        self._reasoning_index = None
        self._reasoning_at_line_start = True


class _TrailingNewlines:
    """Writes text through, holding back newlines beyond the first at the end of what came.

    Held newlines are written when more text follows, and dropped by ``end()``, which also adds
    the final newline if the text had none: a line consumer gets each line as soon as it ends.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._held = 0
        self._at_line_start = True
        self.wrote_any = False

    def write(self, text: str) -> None:
        if not text:
            return
        body = text.rstrip("\n")
        trailing = len(text) - len(body)
        out = ""
        if body:
            out = "\n" * self._held + body
            self._held = 0
            self._at_line_start = False
        if trailing:
            if self._at_line_start and self.wrote_any:
                self._held += trailing
            else:
                out += "\n"
                self._held += trailing - 1
                self._at_line_start = True
        if out:
            self._stream.write(out)
            self._stream.flush()
            self.wrote_any = True

    def flush(self) -> None:
        self._stream.flush()

    def end(self) -> None:
        if self.wrote_any and not self._at_line_start:
            self._stream.write("\n")
        self._held = 0
        self._at_line_start = True
        self._stream.flush()
