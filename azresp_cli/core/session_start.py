"""Building a chat session from the chat options: one-shot answers and the REPL alike.

Flags win over the profile's chat defaults; ``-p`` continues from a response id, ``-c`` and
``--resume`` reopen a conversation from the local history.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from azresp_cli.core.config import Settings
from azresp_cli.core.errors import UsageError
from azresp_cli.core.history import HistoryStore, history_path
from azresp_cli.core.safe_history import SafeHistory
from azresp_cli.core.session import ChatSession, ClientProvider, TurnSettings


@dataclass(frozen=True)
class SessionStart:
    system: str | None = None
    effort: str | None = None
    summary: str | None = None
    verbosity: str | None = None
    max_output_tokens: int | None = None
    stream: bool = True
    store: bool = True
    previous: str | None = None  # -p ID
    resume: bool = False  # -c, or --resume
    resume_id: str | None = None  # --resume CONV (a conversation or response id)
    history: bool = True  # record turns (and read them for -c / --resume)


def start_session(
    settings: Settings,
    client: ClientProvider,
    start: SessionStart,
    *,
    data_dir: Path,
    warn: Callable[[str], None],
) -> ChatSession:
    """A ChatSession set up as ``start`` asks; raises UsageError for what cannot be resumed."""
    if start.previous and start.resume:
        raise UsageError("-p/--previous and -c/--continue (or --resume) cannot be combined")
    history = None
    if start.history:
        path = history_path(data_dir)
        history = SafeHistory(lambda: HistoryStore.open(path), warn)
    session = ChatSession(
        settings, client, turn_settings=turn_settings(start, settings.defaults), history=history
    )
    session.conversation.store = start.store
    if start.resume:
        session.resume(start.resume_id)
        if not start.store:
            session.set_store(False)
    elif start.previous:
        session.continue_from(start.previous)
    return session


def turn_settings(start: SessionStart, defaults: Mapping[str, Any]) -> TurnSettings:
    """The flags, else the profile's chat defaults (``effort = "low"`` and the like)."""
    return TurnSettings(
        system=start.system or defaults.get("system"),
        effort=start.effort or defaults.get("effort"),  # type: ignore[arg-type]
        summary=start.summary or defaults.get("summary"),  # type: ignore[arg-type]
        verbosity=start.verbosity or defaults.get("verbosity"),  # type: ignore[arg-type]
        max_output_tokens=start.max_output_tokens or defaults.get("max_output_tokens"),
        stream=start.stream,
    )
