"""Which stored turn ``--resume`` / ``resume()`` goes on from, looked up in the local history."""

from __future__ import annotations

from dataclasses import dataclass

from azresp_cli.core.config import Settings
from azresp_cli.core.endpoint import endpoint_host
from azresp_cli.core.errors import NotFoundError, UsageError
from azresp_cli.core.history import (
    COMPACTED,
    EMULATOR_ENDPOINT,
    HistoryStore,
    StoredTurn,
    recorded_endpoint,
)
from azresp_cli.core.ids import check_id


@dataclass(frozen=True)
class ResumeTarget:
    turn: StoredTurn
    # Whether the conversation goes on stored (chained by id) or stateless (replayed items).
    stored: bool


def find_resume_target(
    store: HistoryStore | None, identifier: str | None, settings: Settings
) -> ResumeTarget:
    """The turn to continue: the last conversation's, a conversation's, or a response's own."""
    if store is None:
        raise UsageError(
            "there is no local history to resume from",
            hint="history is off (--no-history or history = false) or unreadable",
        )
    if identifier is None:
        last = store.last_conversation()
        if last is None:
            raise UsageError(
                "there is no earlier conversation to resume",
                hint="start one with azresp chat; `azresp history list` shows them",
            )
        response_id = last.last_response_id
    elif found := store.conversation(check_id(identifier, "conversation or response")):
        response_id = found.last_response_id
    elif store.turn(identifier) is not None:
        response_id = identifier
    else:
        raise NotFoundError(
            f"no conversation or response '{identifier}' in the local history",
            hint="`azresp history list` shows the conversations",
        )
    turn = store.turn(response_id)
    if turn is None:  # the conversation lists a turn the table no longer has
        raise NotFoundError(f"response '{response_id}' is missing from the local history")
    if turn.status == "partial":
        raise UsageError(
            f"'{response_id}' is an answer that was cut short; it cannot be continued",
            hint=f"resume its conversation instead: --resume {turn.conversation_id}",
        )
    if turn.stored and turn.endpoint != recorded_endpoint(settings):
        on_emulator = turn.endpoint == EMULATOR_ENDPOINT
        raise UsageError(
            f"that conversation is on {turn.endpoint_host}, not {endpoint_host(settings.endpoint)}",
            hint="it was made with --emulator: add --emulator to continue it"
            if on_emulator
            else "use the same endpoint (--endpoint or --profile) to continue it",
        )
    stored = turn.stored
    if turn.status == COMPACTED:  # kept as a stateless turn; it goes on as its parent did
        parent = store.turn(turn.parent_id) if turn.parent_id else None
        stored = parent.stored if parent else True
    return ResumeTarget(turn, stored)
