"""What a chat session keeps of its turns: the finished turns it lists, the chain a retry goes
back to, and the history row of a finished turn."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from azresp_cli.core.attachments import Attachment
from azresp_cli.core.config import Settings
from azresp_cli.core.events import ResponseRecord, Usage
from azresp_cli.core.history import NewTurn, recorded_endpoint
from azresp_cli.core.meter import TurnBill
from azresp_cli.core.request import TurnRequest
from azresp_cli.core.safe_history import SafeHistory
from azresp_cli.core.structured import schema_record
from azresp_cli.core.turn_extras import FragmentUse


@dataclass(frozen=True)
class SessionTurn:
    """One finished turn, as ``/history`` lists it and ``/save`` writes it."""

    response_id: str
    prompt: str
    answer: str
    usage: Usage | None
    status: str
    stored: bool


@dataclass(frozen=True)
class Chain:
    """Everything that says where the next turn continues from, so /retry can go back to it."""

    head: str | None
    store: bool
    previous_response_id: str | None
    items: tuple[Mapping[str, Any], ...]
    anchor: str | None
    carry: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True)
class Ask:
    prompt: str
    attachments: tuple[Attachment, ...]
    chain: Chain
    turn_count: int
    fragments: tuple[FragmentUse, ...] = ()


def finished_turn(
    conversation_id: str,
    parent_id: str | None,
    request: TurnRequest,
    record: ResponseRecord,
    *,
    answer: str,
    instructions: str | None,
    settings: Settings,
    times: tuple[float, float],
    items: tuple[Mapping[str, Any], ...],
    fragments: tuple[FragmentUse, ...],
    bill: TurnBill,
    currency: str,
) -> NewTurn:
    """The history row of a turn that finished: ``times`` is (started, finished)."""
    schema = request.options.schema
    return NewTurn(
        conversation_id=conversation_id,
        response_id=record.id,
        parent_id=parent_id,
        previous_response_id=request.previous_response_id,
        prompt=request.prompt,
        answer=answer,
        instructions=instructions,
        deployment=settings.deployment,
        endpoint=recorded_endpoint(settings),
        status=record.status,
        stored=request.store,
        usage=bill.usage,
        started_at=times[0],
        finished_at=times[1],
        items=items,
        schema=schema_record(schema) if schema is not None else None,
        fragments=fragments,
        cost=bill.cost,
        currency=currency,
        service_tier=bill.tier,
        model=record.model or None,
        responses=bill.responses,
    )


def stored_turns(history: SafeHistory | None, conversation_id: str) -> list[SessionTurn]:
    """A conversation's turns as the history has them (none without a history)."""
    found = history.read(lambda s: s.turns(conversation_id)) if history else None
    return [
        SessionTurn(t.response_id, t.prompt, t.answer, t.usage, t.status, t.stored)
        for t in found or ()
    ]
