"""The writer for a colour terminal: live Markdown on stdout, reasoning and status on stderr.

Reasoning is streamed dim to stderr, apart from the answer; a refusal is shown in yellow on
stdout (it is the model's reply). stdout and stderr usually share the terminal, so before
anything is written to stderr while the answer's live region is up, the region is settled:
two writers moving one cursor would garble both.
"""

from __future__ import annotations

from typing import assert_never

from rich.console import Console
from rich.text import Text

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
    ToolEvent,
    ToolRound,
    TurnEvent,
    WebSearched,
    WireEvent,
)
from azresp_cli.core.meter import Meter
from azresp_cli.render.citations import CitationList, footnotes
from azresp_cli.render.emphasis import BoldMarkers
from azresp_cli.render.markdown_stream import StreamingMarkdown
from azresp_cli.render.progress import RetryCountdown, resume_text
from azresp_cli.render.turn_state import Clock, NoteKind, Outcome, TextParts, TurnSummary

REASONING_LABEL = "thinking"
STYLES = {
    "reasoning_label": "dim bold",
    "reasoning": "dim italic",
    "refusal": "yellow",
    NoteKind.FOOTER: "dim",
    NoteKind.WARNING: "yellow",
    NoteKind.MARKER: "yellow",
}


class MarkdownWriter:
    def __init__(
        self,
        out: Console,
        err: Console,
        *,
        show_footer: bool = True,
        clock: Clock,
        meter: Meter | None = None,
        answer: StreamingMarkdown | None = None,
    ) -> None:
        self._out = out
        self._err = err
        self._show_footer = show_footer
        self._answer = answer or StreamingMarkdown(out)
        self._summary = TurnSummary(clock, meter)
        self._parts = TextParts()
        self._reasoning_index: int | None = None  # summary_index of the reasoning being shown
        self._reasoning_at_line_start = True
        self._reasoning_bold = BoldMarkers()
        self._refusal_open = False  # refusal text printed without its final newline
        self._refusal_shown = False
        self._countdown = RetryCountdown(err)
        # Resumes are told after the answer: a line on the shared screen would split it.
        self._stream_notes: list[str] = []
        self._citations = CitationList()

    def handle(self, event: TurnEvent) -> None:
        self._summary.observe(event)
        self._countdown.clear()  # whatever comes next, the wait is over
        match event:
            case TextDelta(text=text):
                self._show_answer(self._parts.delta(text))
            case TextDone(text=text):
                self._show_answer(self._parts.done(text))
            case RefusalDelta(text=text):
                self._show_refusal(self._parts.delta(text))
            case ReasoningDelta():
                self._show_reasoning(event)
            case (
                ToolCallRequested()
                | ToolCallRefused()
                | ToolCallResult()
                | McpListTools()
                | McpCallResult()
                | CodeInterpreterCode()
                | CodeInterpreterLogs()
                | WebSearched()
                | FileSaved()
            ):
                self._show_tool(event)
            case RetryScheduled():
                self.settle()
                self._countdown.show(event)
            case StreamResumed() | ResumeRefused():
                self._stream_notes.append(resume_text(event))
            case Citations(sources=sources):
                self._citations.add(sources)
            case ResponseStarted() | Completed() | WireEvent() | ToolRound():
                pass
            case _:
                assert_never(event)

    def settle(self) -> None:
        self._answer.settle()
        self._close_refusal()
        self._close_reasoning()

    def finish(self, outcome: Outcome) -> None:
        self._countdown.clear()
        self._answer.finish()
        self._close_refusal()
        self._close_reasoning()
        sources = self._citations.take()
        if sources and self._answer.has_output:
            self._out.print()
            for line in footnotes(sources):
                self._out.print(Text(line, style="dim"), soft_wrap=True)
        for text in self._stream_notes:
            self._err.print(Text(text, style="dim"), soft_wrap=True)
        answer_shown = self._answer.has_output or self._refusal_shown
        notes = self._summary.closing_notes(
            outcome, answer_shown=answer_shown, show_footer=self._show_footer
        )
        for note in notes:
            # soft_wrap: a log file gets the line whole, not cut at 80 columns
            self._err.print(Text(note.text, style=STYLES[note.kind]), soft_wrap=True)

    def _show_answer(self, text: str) -> None:
        if not text:
            return
        self._close_reasoning()
        self._close_refusal()
        self._answer.feed(text)

    def _show_refusal(self, text: str) -> None:
        if not text:
            return
        self._close_reasoning()
        if self._answer.is_live:
            self._answer.settle()
        self._out.print(Text(text, style=STYLES["refusal"]), end="", soft_wrap=True)
        self._refusal_open = not text.endswith("\n")
        self._refusal_shown = True

    def _close_refusal(self) -> None:
        if self._refusal_open:
            self._out.print()
            self._refusal_open = False

    def _show_tool(self, event: ToolEvent) -> None:
        from azresp_cli.render.tool_panels import tool_renderable

        # Panels go to stderr, which shares the screen with the live answer: settle it first.
        self._answer.settle()
        self._close_refusal()
        self._close_reasoning()
        self._err.print(tool_renderable(event))

    def _show_reasoning(self, event: ReasoningDelta) -> None:
        if self._answer.is_live:
            self._answer.settle()
        self._close_refusal()
        if self._reasoning_index is None:
            self._err.print(Text(REASONING_LABEL, style=STYLES["reasoning_label"]))
        elif event.summary_index != self._reasoning_index:
            self._reasoning_bold.reset()
            self._err.print("\n" if self._reasoning_at_line_start else "\n\n", end="")
            self._reasoning_at_line_start = True
        self._reasoning_index = event.summary_index
        if event.text:
            text = Text()
            for piece, bold in self._reasoning_bold.feed(event.text):
                text.append(piece, style=STYLES["reasoning"] + (" bold" if bold else ""))
            self._err.print(text, end="", soft_wrap=True)
            if text.plain:
                self._reasoning_at_line_start = text.plain.endswith("\n")

    def _close_reasoning(self) -> None:
        if self._reasoning_index is None:
            return
        # End the last line, then one blank line between the reasoning and the answer.
        self._err.print("\n" if self._reasoning_at_line_start else "\n\n", end="")
        self._reasoning_index = None
        self._reasoning_bold.reset()
        self._reasoning_at_line_start = True
