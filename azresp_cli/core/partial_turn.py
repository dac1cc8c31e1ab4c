"""Answers that ended early (Ctrl-C, a broken stream, a closed pipe) are kept in the history.

Such a turn is recorded with the status ``partial`` and the text shown so far. It does not
advance the chain: ``-c``, ``--resume`` and the next turn go on from the last complete answer
(core/history.py leaves partial turns out of "the latest turn").
"""

from __future__ import annotations

import secrets

from azresp_cli.core.config import Settings
from azresp_cli.core.events import Completed, ResponseStarted, TextDelta, TurnEvent
from azresp_cli.core.history import NewTurn, recorded_endpoint

PARTIAL = "partial"


class PartialAnswer:
    """What a turn showed until now, to record if it ends without ``Completed``."""

    def __init__(self) -> None:
        self._text: list[str] = []
        self._response_id: str | None = None
        self.completed = False

    def observe(self, event: TurnEvent) -> None:
        if isinstance(event, TextDelta):
            self._text.append(event.text)
        elif isinstance(event, ResponseStarted):
            self._response_id = event.response_id
        elif isinstance(event, Completed):
            self.completed = True

    def turn(
        self,
        *,
        conversation_id: str,
        parent_id: str | None,
        prompt: str,
        instructions: str | None,
        settings: Settings,
        stored: bool,
        started: float,
        finished: float,
    ) -> NewTurn | None:
        """The turn to record, or None when it completed or showed nothing."""
        answer = "".join(self._text)
        if self.completed or not answer:
            return None
        return NewTurn(
            conversation_id=conversation_id,
            # Unique in the table even when the service never named the response.
            response_id=self._response_id or f"partial_{secrets.token_hex(8)}",
            parent_id=parent_id,
            previous_response_id=None,
            prompt=prompt,
            answer=answer,
            instructions=instructions,
            deployment=settings.deployment,
            endpoint=recorded_endpoint(settings),
            status=PARTIAL,
            # Stored as the service keeps it (when it named it); -c never picks it (history.py).
            stored=stored and self._response_id is not None,
            usage=None,
            started_at=started,
            finished_at=finished,
        )
