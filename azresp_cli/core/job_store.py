"""The local record of background jobs, in the history database (table ``jobs``, m003).

A job is recorded the moment its id is known, before anything waits on it, so an id is never
lost to a closed terminal or a dropped network. Each command that sees the job again updates
its status; when it has finished with an answer, the answer becomes an ordinary turn of the
history, so ``azresp chat -c`` continues from it like from any other answer.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from azresp_cli.core.config import Settings
from azresp_cli.core.events import Completed, ResponseRecord, ResponseStarted, TurnEvent
from azresp_cli.core.history import (
    HistoryError,
    HistoryStore,
    NewTurn,
    new_conversation_id,
    recorded_endpoint,
)
from azresp_cli.core.pricing import PriceTable
from azresp_cli.core.redact import redact
from azresp_cli.core.request import TurnRequest
from azresp_cli.core.safe_history import SafeHistory
from azresp_cli.core.structured import echoed_schema, refusal_text, schema_record
from azresp_cli.core.turn_extras import FragmentUse, record_extras

TERMINAL = frozenset({"completed", "failed", "cancelled", "incomplete"})
_COLUMNS = (
    "response_id, conversation_id, previous_response_id, prompt, instructions, deployment, "
    "endpoint, status, reason, created_at, updated_at"
)


@dataclass(frozen=True)
class Job:
    response_id: str
    prompt: str
    deployment: str
    endpoint: str  # as history records it (core.history.recorded_endpoint)
    status: str
    created_at: float
    updated_at: float
    conversation_id: str | None = None  # set when a chat session started it
    previous_response_id: str | None = None
    instructions: str | None = None
    reason: str | None = None  # why it failed or is incomplete
    # -f / --sf fragments the job was started with: linked to its response id at once, so the
    # turn it becomes finds them (stored once per content, as for any turn)
    fragments: tuple[FragmentUse, ...] = field(default=(), compare=False)

    @property
    def is_finished(self) -> bool:
        return self.status in TERMINAL


def note_job(
    history: SafeHistory,
    event: TurnEvent,
    request: TurnRequest,
    settings: Settings,
    conversation_id: str | None,
) -> None:
    """A chat session's background turn in the record: added once the service names it,
    updated when it ends; other events are not about the job."""
    if isinstance(event, Completed):
        prices = settings.prices
        history.read(lambda store: JobStore(store, prices=prices).observe(event.response))
    elif isinstance(event, ResponseStarted):
        now = time.time()
        job = Job(
            response_id=event.response_id,
            prompt=request.prompt,
            deployment=settings.deployment,
            endpoint=recorded_endpoint(settings),
            status=event.status,
            created_at=now,
            updated_at=now,
            conversation_id=conversation_id,
            previous_response_id=request.previous_response_id,
            instructions=request.instructions,
        )
        history.read(lambda store: JobStore(store).add(job))


class JobStore:
    """Jobs in the history database; every method raises ``HistoryError`` when SQLite fails."""

    def __init__(
        self,
        history: HistoryStore,
        clock: Callable[[], float] = time.time,
        *,
        prices: PriceTable | None = None,
    ) -> None:
        self.prices = prices  # without a table, a finished job's cost is recorded as unknown
        self.history = history
        self._clock = clock

    def add(self, job: Job) -> None:
        with self._errors():
            self.history.db.execute(
                f"INSERT OR IGNORE INTO jobs ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",  # noqa: S608 - constant columns
                (
                    job.response_id,
                    job.conversation_id,
                    job.previous_response_id,
                    redact(job.prompt),
                    redact(job.instructions) if job.instructions else None,
                    job.deployment,
                    job.endpoint,
                    job.status,
                    job.reason,
                    job.created_at,
                    job.updated_at,
                ),
            )
            if job.fragments:
                record_extras(self.history.db, job.response_id, None, job.fragments)

    def get(self, response_id: str) -> Job | None:
        found = self._select("WHERE response_id = ?", (response_id,))
        return found[0] if found else None

    def jobs(self, limit: int = 50) -> list[Job]:
        """The most recently started jobs first."""
        return self._select("ORDER BY created_at DESC, rowid DESC LIMIT ?", (limit,))

    def observe(self, record: ResponseRecord) -> Job | None:
        """Note the status ``record`` shows; a finished answer becomes a turn of the history.

        Returns the updated job, or None when the job is not in the local record."""
        job = self.get(record.id)
        if job is None:
            return None
        reason = record.error_message or record.error_code or record.incomplete_reason
        with self._errors():
            self.history.db.execute(
                "UPDATE jobs SET status = ?, reason = ?, updated_at = ? WHERE response_id = ?",
                (record.status, reason, self._clock(), record.id),
            )
        if record.status in ("completed", "incomplete") and self.history.turn(record.id) is None:
            self.history.record(self._turn(job, record))
        return self.get(record.id)

    def _turn(self, job: Job, record: ResponseRecord) -> NewTurn:
        conversation = job.conversation_id or self.history.conversation_of(job.previous_response_id)
        schema = echoed_schema(record)  # a structured answer: `history show --json-data` finds it
        return NewTurn(
            conversation_id=conversation or new_conversation_id(),
            response_id=record.id,
            parent_id=job.previous_response_id,
            previous_response_id=job.previous_response_id,
            prompt=job.prompt,
            # a refusal has no output text: the refusal is what the history keeps as the answer
            answer=record.output_text or refusal_text(record.output_items) or "",
            instructions=job.instructions,
            deployment=job.deployment,
            endpoint=job.endpoint,
            status=record.status,
            stored=True,  # a background response is always stored
            usage=record.usage,
            started_at=job.created_at,
            finished_at=self._clock(),
            cost=self.prices.cost(
                record.usage,
                deployment=job.deployment,
                model=record.model,
                tier=record.service_tier,
            )
            if self.prices is not None
            else None,
            currency=self.prices.currency if self.prices is not None else "USD",
            service_tier=record.service_tier,
            model=record.model or None,
            schema=schema_record(schema) if schema is not None else None,
        )

    def _select(self, tail: str, params: tuple[object, ...]) -> list[Job]:
        with self._errors():
            rows = self.history.db.execute(f"SELECT {_COLUMNS} FROM jobs {tail}", params)  # noqa: S608 - constant columns
            return [_job(row) for row in rows.fetchall()]

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as exc:
            raise HistoryError(f"{self.history.path}: {exc}", detail=repr(exc)) from exc


def _job(row: tuple[object, ...]) -> Job:
    return Job(
        response_id=str(row[0]),
        conversation_id=_text(row[1]),
        previous_response_id=_text(row[2]),
        prompt=str(row[3]),
        instructions=_text(row[4]),
        deployment=str(row[5]),
        endpoint=str(row[6]),
        status=str(row[7]),
        reason=_text(row[8]),
        created_at=float(row[9]),  # type: ignore[arg-type]
        updated_at=float(row[10]),  # type: ignore[arg-type]
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)
