"""What the history keeps: a turn as the session hands it over (`NewTurn`), as it is read
back (`StoredTurn`), a conversation's summary, and what follows from a chain of turns.

The database itself is core/history.py (the store) and core/history_db.py (the file).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from azresp_cli.core.events import Usage
from azresp_cli.core.turn_extras import FragmentUse

if TYPE_CHECKING:
    from azresp_cli.core.config import Settings

EMULATOR_ENDPOINT = "emulator://in-process/openai/v1/"
# The status of the turn a compaction is kept as: it stands for every turn before it.
COMPACTED = "compacted"


@dataclass(frozen=True)
class NewTurn:
    """A finished turn, as the chat session hands it to the store."""

    conversation_id: str
    response_id: str
    parent_id: str | None
    previous_response_id: str | None
    prompt: str
    answer: str
    instructions: str | None
    deployment: str
    endpoint: str
    status: str
    stored: bool
    usage: Usage | None
    started_at: float
    finished_at: float
    # Stateless turns only: what this turn added to the replayed items (its input, its output).
    items: Sequence[Mapping[str, Any]] = ()
    # --schema: the text.format the turn was asked with (JSON); its answer is structured.
    schema: str | None = None
    # -f / --sf: the fragments the turn sent, stored once per content (core/turn_extras.py).
    fragments: Sequence[FragmentUse] = ()
    # What the turn cost (None: no price for it), in which currency, on which tier, by which
    # model, and over how many responses (tool rounds bill each one).
    cost: float | None = None
    currency: str = "USD"
    service_tier: str | None = None
    model: str | None = None
    responses: int = 1


@dataclass(frozen=True)
class StoredTurn:
    conversation_id: str
    response_id: str
    parent_id: str | None
    previous_response_id: str | None
    prompt: str
    answer: str
    instructions: str | None
    deployment: str
    endpoint: str
    endpoint_host: str
    status: str
    stored: bool
    usage: Usage
    started_at: float
    finished_at: float
    items: tuple[Mapping[str, Any], ...]
    cost: float | None = None
    currency: str | None = None
    service_tier: str | None = None
    model: str | None = None
    responses: int | None = None
    # False for turns recorded before azresp kept costs, and turns whose usage never came:
    # their cost is unknown (and their usage too when ``usage_known`` is False).
    metered: bool = False
    usage_known: bool = True


@dataclass(frozen=True)
class ConversationSummary:
    id: str
    created_at: float
    updated_at: float
    turns: int
    first_prompt: str
    last_response_id: str
    stored: bool
    deployment: str
    endpoint: str


def recorded_endpoint(settings: Settings) -> str:
    """The endpoint a turn or job is recorded under.

    The in-process emulator (``--emulator``) listens on a new port in every process, but its
    responses live on in the data dir (emulator/persistence.py): its turns are recorded under
    one stable name, so ``azresp chat --emulator -c`` continues them."""
    return EMULATOR_ENDPOINT if settings.is_emulator else settings.endpoint


def new_conversation_id() -> str:
    return "conv_" + secrets.token_hex(6)


def iter_segment_items(chain: Sequence[StoredTurn]) -> Iterator[Mapping[str, Any]]:
    """The items a stateless continuation of ``chain`` replays: those of its trailing run of
    stateless turns, oldest first."""
    start = len(chain)
    while start > 0 and not chain[start - 1].stored:
        start -= 1
        if chain[start].status == COMPACTED:
            break  # its items stand for everything before it
    for turn in chain[start:]:
        yield from turn.items
