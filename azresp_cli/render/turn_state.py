"""What every writer tracks about a turn, and the stderr lines made from it.

``TextParts`` turns text events into the text to show; ``TurnSummary`` remembers the response
id, the final record and the elapsed time, and words the footer, the status warning and the
partial-answer marker. The writers differ only in where and how they print these.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from azresp_cli.core.errors import AzrespError, Interrupted, OutputClosed
from azresp_cli.core.events import (
    Completed,
    ResponseRecord,
    ResponseStarted,
    ToolRound,
    TurnEvent,
    Usage,
)
from azresp_cli.core.meter import Meter, budget_words, records_bill, usage_words

Clock = Callable[[], float]

INTERRUPTED_MARK = "[interrupted — partial answer above]"
INTERRUPTED_EMPTY_MARK = "[interrupted]"
BROKEN_MARK = "[stream broken — partial answer above]"


@dataclass(frozen=True)
class Outcome:
    """How a turn ended, as the caller of ``TurnWriter.finish`` saw it."""

    kind: Literal["completed", "interrupted", "failed", "closed"]
    error: AzrespError | None = None

    @classmethod
    def completed(cls) -> Outcome:
        return cls("completed")

    @classmethod
    def interrupted(cls) -> Outcome:
        return cls("interrupted")

    @classmethod
    def failed(cls, error: AzrespError) -> Outcome:
        """A failure; an ``Interrupted`` error (Ctrl-C, classified) counts as interrupted."""
        if isinstance(error, Interrupted):
            return cls("interrupted", error)
        if isinstance(error, OutputClosed):
            return cls("closed", error)  # `| head`: the reader left; nothing to mark
        return cls("failed", error)


class NoteKind(enum.Enum):
    """What a stderr line is, so each writer can style it (or not)."""

    FOOTER = "footer"
    WARNING = "warning"
    MARKER = "marker"


@dataclass(frozen=True)
class Note:
    kind: NoteKind
    text: str


class TextParts:
    """Text to show for TextDelta and TextDone events.

    Deltas are shown as they come. A part whose deltas never came (a non-streamed answer) is
    shown whole at its TextDone; a later part is set apart from the one before by a blank line.
    """

    def __init__(self) -> None:
        self._streamed = False  # the current part came as deltas
        self._after_part = False  # a part has ended; the next text starts a new one

    def delta(self, text: str) -> str:
        if not text:
            return ""
        separator = "\n\n" if self._after_part else ""
        self._after_part = False
        self._streamed = True
        return separator + text

    def done(self, text: str) -> str:
        shown = "" if self._streamed else self.delta(text)
        self._streamed = False
        self._after_part = True
        return shown


class TurnSummary:
    """The facts behind the footer: id, usage, status and time since the writer was made."""

    def __init__(self, clock: Clock, meter: Meter | None = None) -> None:
        self._clock = clock
        self._meter = meter
        self._started = clock()
        self.response_id: str | None = None
        self.record: ResponseRecord | None = None
        self.elapsed: float | None = None
        self.earlier: list[ResponseRecord] = []  # tool rounds before the last response

    def observe(self, event: TurnEvent) -> None:
        if isinstance(event, ResponseStarted):
            self.response_id = event.response_id
        elif isinstance(event, ToolRound):
            self.earlier.append(event.response)
        elif isinstance(event, Completed):
            self.record = event.response
            self.response_id = event.response.id or self.response_id
            self.elapsed = self._clock() - self._started

    def closing_notes(
        self, outcome: Outcome, *, answer_shown: bool, show_footer: bool
    ) -> list[Note]:
        """The stderr lines after the answer, in order."""
        notes: list[Note] = []
        if outcome.kind == "closed":
            return notes  # whoever read stdout stopped early: end quietly
        if outcome.kind == "interrupted":
            mark = INTERRUPTED_MARK if answer_shown else INTERRUPTED_EMPTY_MARK
            notes.append(Note(NoteKind.MARKER, mark))
        elif outcome.kind == "failed" and self.record is None and answer_shown:
            # After a Completed the stream was whole; the error line says what went wrong.
            notes.append(Note(NoteKind.MARKER, BROKEN_MARK))
        if self.record is not None and outcome.kind == "completed":
            warning = status_warning(self.record)
            if warning:
                notes.append(Note(NoteKind.WARNING, warning))
        if show_footer and self.record is not None:
            footer = footer_text(self.record, self.elapsed, earlier=self.earlier, meter=self._meter)
            notes.append(Note(NoteKind.FOOTER, footer))
        return notes


def footer_text(
    record: ResponseRecord,
    elapsed: float | None,
    *,
    earlier: list[ResponseRecord] | None = None,
    meter: Meter | None = None,
) -> str:
    """``resp_… · 1,217 in (1,024 cached) · 96 reasoning · 35 out · $0.0031 · priority · 0.9 s``
    and, with a budget, ``· $0.9969 of $1.00 left``; missing facts are left out.

    After tool rounds (``earlier`` responses) the tokens and cost are those of all the turn's
    responses, and the footer says how many there were. The figures come from the session's
    meter, the same the REPL toolbar and ``/usage`` show. Without a meter there is no cost."""
    parts = [record.id] if record.id else []
    records = [*(earlier or ()), record]
    if earlier:
        parts.append(f"{len(records)} responses")
    if meter is not None:
        bill = records_bill(meter, records)
        if bill.usage is not None:
            parts.append(usage_words(bill.usage))
        parts.append(meter.prices.format(bill.cost))
    else:
        usages = [r.usage for r in records if r.usage is not None]
        if usages:
            parts.append(usage_words(_sum(usages)))
    if record.service_tier:
        parts.append(record.service_tier)
    if elapsed is not None:
        parts.append(_seconds(elapsed))
    left = budget_words(meter) if meter is not None else None
    if left:
        parts.append(left)
    return " · ".join(parts)


def status_warning(record: ResponseRecord) -> str | None:
    """A line for a response that did not simply complete (failed ones raise instead)."""
    if record.status == "incomplete":
        return f"warning: response incomplete ({record.incomplete_reason or 'no reason given'})"
    if record.status == "cancelled":
        return "warning: response cancelled"
    return None


def _sum(usages: list[Usage]) -> Usage:
    return Usage(
        input_tokens=sum(u.input_tokens for u in usages),
        output_tokens=sum(u.output_tokens for u in usages),
        reasoning_tokens=sum(u.reasoning_tokens for u in usages),
        cached_tokens=sum(u.cached_tokens for u in usages),
    )


def _seconds(elapsed: float) -> str:
    if elapsed < 60:
        return f"{elapsed:.1f} s"
    minutes, seconds = divmod(round(elapsed), 60)
    return f"{minutes} min {seconds:02d} s"
