"""A chain of turns: which response the next turn continues from, or which items it replays.

Stored conversations (store=true) chain by ``previous_response_id``: the service holds the context
and nothing is resent. Stateless ones (store=false) keep every input and output item here and
replay them whole on the next turn, encrypted reasoning included.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from azresp_cli.core.events import ResponseRecord
from azresp_cli.core.request import TurnRequest, user_message


@dataclass
class Conversation:
    store: bool = True
    previous_response_id: str | None = None
    items: list[Mapping[str, Any]] = field(default_factory=list)

    def prepare(self, request: TurnRequest) -> TurnRequest:
        """Attach the chain to a turn's request."""
        if self.store:
            stored = request.with_options(store=True)
            return replace(stored, previous_response_id=self.previous_response_id)
        return replace(request.with_options(store=False), replay_items=tuple(self.items))

    def record(self, request: TurnRequest, response: ResponseRecord) -> None:
        """Advance the chain after a turn that completed (an interrupted one is never recorded)."""
        self.previous_response_id = response.id
        if not self.store:
            self.items = [
                *self.items,
                user_message(request),
                *response.output_items,
            ]

    def reset(self) -> None:
        self.previous_response_id = None
        self.items = []
