"""The chat's view of the history: it never stops a chat.

When the database cannot be opened or written (damaged, locked, unwritable), ``SafeHistory``
says so once through ``warn`` and the session goes on without a history.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from azresp_cli.core.data_dir import already_reported
from azresp_cli.core.history import HistoryError, HistoryStore, NewTurn


class SafeHistory:
    """The chat's view of the history: when the database cannot be opened or written, it says
    so once through ``warn`` and the chat goes on without it."""

    def __init__(self, opener: Callable[[], HistoryStore], warn: Callable[[str], None]) -> None:
        self._opener = opener
        self._warn = warn
        self._store: HistoryStore | None = None
        self._failed = False

    @property
    def store(self) -> HistoryStore | None:
        if self._store is None and not self._failed:
            try:
                self._store = self._opener()
            except HistoryError as error:
                self._disable(error)
        return self._store

    def record(self, turn: NewTurn) -> None:
        store = self.store
        if store is None:
            return
        try:
            store.record(turn)
        except HistoryError as error:
            self._disable(error)

    def read(self, action: Callable[[HistoryStore], Any]) -> Any:
        """Run a lookup; None when the history is unavailable or the lookup failed."""
        store = self.store
        if store is None:
            return None
        try:
            return action(store)
        except HistoryError as error:
            self._disable(error)
            return None

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def _disable(self, error: HistoryError) -> None:
        self._failed = True
        self.close()
        if error.path is not None and already_reported(error.path):
            return  # the unwritable data dir was already reported, history included
        self._warn(f"history is off for this session: {error.message}")
