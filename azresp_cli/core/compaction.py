"""Compaction: ``POST /responses/compact`` shrinks a conversation's context (docs/protocol.md §10).

The service answers with the user's messages and one opaque ``compaction`` item standing for
everything else. The conversation then goes on from those items: the next turn sends them as
its input, with no ``previous_response_id`` (Azure's sample), and chains by id after that.
Azure lists compact as unsupported on some resources; a 404 or 405 there is a
``NotSupportedError`` and the conversation stays as it was.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from azresp_cli.core.config import Settings
from azresp_cli.core.errors import AzrespError, NotSupportedError, classify
from azresp_cli.core.events import Usage
from azresp_cli.core.history import COMPACTED, NewTurn, recorded_endpoint
from azresp_cli.core.ids import check_id
from azresp_cli.core.records import usage_from_json

if TYPE_CHECKING:
    from openai import OpenAI

UNSUPPORTED_STATUSES = (404, 405)


@dataclass(frozen=True)
class Compaction:
    id: str
    items: tuple[Mapping[str, Any], ...]  # what the next turn sends before its own message
    tokens_before: int  # the context's input tokens before compacting
    tokens_after: int | None  # the compacted items' input tokens (None: could not count)
    usage: Usage | None = None  # what the compaction itself was billed for, as the service said
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


def compact(
    client: OpenAI,
    settings: Settings,
    *,
    previous_response_id: str | None = None,
    items: Sequence[Mapping[str, Any]] = (),
    instructions: str | None = None,
) -> Compaction:
    """Compact the chain ending at ``previous_response_id`` (and/or ``items``)."""
    if previous_response_id:
        check_id(previous_response_id)
    body: dict[str, Any] = {"model": settings.deployment}
    if previous_response_id:
        body["previous_response_id"] = previous_response_id
    if items:
        body["input"] = [dict(item) for item in items]
    if instructions:
        body["instructions"] = instructions
    try:
        # Raw JSON: the SDK's model types the user messages it returns as output messages and
        # warns while converting them back.
        data: dict[str, Any] = json.loads(client.responses.with_raw_response.compact(**body).text)
    except Exception as exc:
        error = classify(exc)
        if error.status in UNSUPPORTED_STATUSES:
            raise _unsupported(error) from exc
        raise error from exc
    output = tuple(item for item in data.get("output") or () if isinstance(item, Mapping))
    usage = usage_from_json(data.get("usage"))
    return Compaction(
        id=str(data.get("id") or ""),
        items=output,
        tokens_before=usage.input_tokens if usage else 0,
        tokens_after=_count(client, settings, output, instructions),
        usage=usage,
        raw=data,
    )


def _count(
    client: OpenAI,
    settings: Settings,
    items: Sequence[Mapping[str, Any]],
    instructions: str | None,
) -> int | None:
    """What the compacted context costs as the next turn's input (the service counts it)."""
    try:
        counted = client.responses.input_tokens.count(
            model=settings.deployment,
            input=[dict(item) for item in items],  # type: ignore[misc]
            instructions=instructions,
        )
    except Exception as exc:
        openai = sys.modules.get("openai")
        if openai is not None and isinstance(exc, openai.APIError):
            return None
        raise
    return int(counted.input_tokens)


def compaction_turn(
    compaction: Compaction, settings: Settings, conversation_id: str, parent_id: str | None
) -> NewTurn:
    """The history turn a compaction is kept as, so ``-c`` and ``--resume`` go on from it.

    Stateless (the service holds no response by this id): continuing replays its items once,
    then the conversation chains by id again."""
    now = time.time()
    return NewTurn(
        conversation_id=conversation_id,
        response_id=compaction.id,
        parent_id=parent_id,
        previous_response_id=None,
        prompt="/compact",
        answer=summary_text(compaction),
        instructions=None,
        deployment=settings.deployment,
        endpoint=recorded_endpoint(settings),
        status=COMPACTED,
        stored=False,
        usage=compaction.usage,
        started_at=now,
        finished_at=now,
        items=compaction.items,
        cost=settings.prices.cost(compaction.usage, deployment=settings.deployment),
        currency=settings.prices.currency,
    )


def summary_text(compaction: Compaction, source: str | None = None) -> str:
    """``compacted resp_…: 1234 → 210 input tokens`` (``compacted: …`` without a source)."""
    after = "?" if compaction.tokens_after is None else str(compaction.tokens_after)
    what = f"compacted {source}" if source else "compacted"
    return f"{what}: {compaction.tokens_before} → {after} input tokens"


def _unsupported(error: AzrespError) -> NotSupportedError:
    return NotSupportedError(
        "this endpoint does not support compaction (POST /responses/compact)",
        status=error.status,
        request_id=error.request_id,
        hint="the conversation is unchanged; Azure lists compact as unsupported on some resources",
    )
