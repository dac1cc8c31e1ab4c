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
    Completed,
    ReasoningDelta,
    RefusalDelta,
    ResponseStarted,
    TextDelta,
    TextDone,
    TurnEvent,
    WireEvent,
)
from azresp_cli.render.markdown_stream import StreamingMarkdown
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
        answer: StreamingMarkdown | None = None,
    ) -> None:
        self._out = out
        self._err = err
        self._show_footer = show_footer
        self._answer = answer or StreamingMarkdown(out)
        self._summary = TurnSummary(clock)
        self._parts = TextParts()
        self._reasoning_index: int | None = None  # summary_index of the reasoning being shown
        self._reasoning_at_line_start = True
        self._refusal_open = False  # refusal text printed without its final newline
        self._refusal_shown = False

    def handle(self, event: TurnEvent) -> None:
        self._summary.observe(event)
        match event:
            case TextDelta(text=text):
                self._show_answer(self._parts.delta(text))
            case TextDone(text=text):
                self._show_answer(self._parts.done(text))
            case RefusalDelta(text=text):
                self._show_refusal(self._parts.delta(text))
            case ReasoningDelta():
                self._show_reasoning(event)
            case ResponseStarted() | Completed() | WireEvent():
                pass
            case _:
                assert_never(event)

    def settle(self) -> None:
        self._answer.settle()
        self._close_refusal()
        self._close_reasoning()

    def finish(self, outcome: Outcome) -> None:
        self._answer.finish()
        self._close_refusal()
        self._close_reasoning()
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

    def _show_reasoning(self, event: ReasoningDelta) -> None:
        if self._answer.is_live:
            self._answer.settle()
        self._close_refusal()
        if self._reasoning_index is None:
            self._err.print(Text(REASONING_LABEL, style=STYLES["reasoning_label"]))
        elif event.summary_index != self._reasoning_index:
            self._err.print("\n" if self._reasoning_at_line_start else "\n\n", end="")
            self._reasoning_at_line_start = True
        self._reasoning_index = event.summary_index
        if event.text:
            text = Text(event.text, style=STYLES["reasoning"])
            self._err.print(text, end="", soft_wrap=True)
            self._reasoning_at_line_start = event.text.endswith("\n")

    def _close_reasoning(self) -> None:
        if self._reasoning_index is None:
            return
        # End the last line, then one blank line between the reasoning and the answer.
        self._err.print("\n" if self._reasoning_at_line_start else "\n\n", end="")
        self._reasoning_index = None
        self._reasoning_at_line_start = True
