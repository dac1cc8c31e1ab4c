"""Where a chat session's next turn continues from: the head, the anchor and the carry.

Stored conversations chain by ``previous_response_id``; stateless ones (store=false) replay their
items, and switching between the two mid-conversation keeps the context:

- stored → stateless: the last stored response becomes the *anchor* every stateless turn sends
  as ``previous_response_id``, and the new items are replayed after it;
- stateless → stored: the first stored turn replays the items kept so far (the *carry*) on top
  of the anchor; from then on the service holds them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from azresp_cli.core.conversation import Conversation
from azresp_cli.core.events import ResponseRecord
from azresp_cli.core.history import StoredTurn, iter_segment_items
from azresp_cli.core.request import TurnRequest
from azresp_cli.core.session_turns import Chain

Items = tuple[Mapping[str, Any], ...]


@dataclass
class ChainState:
    conversation: Conversation = field(default_factory=Conversation)
    head: str | None = None  # the last response of the chain (None: a new chain)
    anchor: str | None = None
    carry: Items = ()

    @property
    def store(self) -> bool:
        return self.conversation.store

    def reset(self) -> None:
        """Forget the chain (the store flag stays): the next turn starts a new conversation."""
        self.conversation.reset()
        self.head = None
        self.anchor = None
        self.carry = ()

    def continue_at(self, response_id: str, segment: Sequence[StoredTurn] | None) -> None:
        """Go on from ``response_id``, keeping the store flag. ``segment`` is the history's chain
        up to it (None or empty where unknown); a stateless last turn is continued by replaying
        its items on top of its own previous response."""
        store = self.conversation.store
        self.reset()
        self.head = response_id
        if segment and not segment[-1].stored:
            items = tuple(iter_segment_items(segment))
            anchor = segment[-1].previous_response_id
            if store:
                self.conversation.previous_response_id = anchor
                self.carry = items
            else:
                self.conversation.items = list(items)
                self.anchor = anchor
        elif store:
            self.conversation.previous_response_id = response_id
        else:
            self.anchor = response_id
        self.conversation.store = store

    def set_store(self, store: bool) -> None:
        if store == self.conversation.store:
            return
        if store:
            self.carry = tuple(self.conversation.items)
            self.conversation.items = []
            self.conversation.previous_response_id = self.anchor
            self.anchor = None
        else:
            self.anchor = self.conversation.previous_response_id
            self.conversation.items = list(self.carry)
            self.carry = ()
        self.conversation.store = store

    def context(self) -> tuple[str | None, Items]:
        """What the service would be given to stand for the conversation so far: a previous
        response id and the items replayed after it."""
        if self.store:
            return self.conversation.previous_response_id, self.carry
        return self.anchor, tuple(self.conversation.items)

    def adopt(self, response_id: str, items: Items) -> None:
        """Go on from ``items`` alone (a compaction's), with no previous id; ``response_id``
        becomes the head."""
        if self.store:
            self.conversation.previous_response_id = None
            self.carry = items
        else:
            self.conversation.items = list(items)
            self.anchor = None
        self.head = response_id

    def prepare(self, request: TurnRequest) -> TurnRequest:
        """Attach the chain to a turn's request."""
        if self.conversation.store:
            prepared = self.conversation.prepare(request)
            return replace(prepared, replay_items=tuple(self.carry))
        return self.conversation.prepare(replace(request, previous_response_id=self.anchor))

    def advance(self, request: TurnRequest, record: ResponseRecord) -> Items:
        """Move the head to a finished turn's response; returns the items it added to a
        stateless chain (none for a stored one)."""
        before = len(self.conversation.items)
        self.conversation.record(request, record)
        added: Items = ()
        if not request.store:
            added = tuple(self.conversation.items[before:])
        self.carry = ()
        self.head = record.id
        return added

    def snapshot(self) -> Chain:
        return Chain(
            head=self.head,
            store=self.conversation.store,
            previous_response_id=self.conversation.previous_response_id,
            items=tuple(self.conversation.items),
            anchor=self.anchor,
            carry=self.carry,
        )

    def restore(self, chain: Chain) -> None:
        self.head = chain.head
        self.conversation.store = chain.store
        self.conversation.previous_response_id = chain.previous_response_id
        self.conversation.items = list(chain.items)
        self.anchor = chain.anchor
        self.carry = chain.carry
