"""Building a chat session from the command line: one-shot answers, the REPL and ``bg start``.

The turn options come from layers, lowest first: the profile's chat defaults, a template's
values (``-t NAME``), then the flags (core/turn_options.py resolves them, in one place). ``-p``
continues from a response id, ``-c`` and ``--resume`` reopen a conversation from the local
history; every command that starts a turn goes through ``start_session``, so they all check
the same things the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from azresp_cli.core.config import Settings
from azresp_cli.core.errors import UsageError
from azresp_cli.core.turn_extras import FragmentUse
from azresp_cli.core.turn_options import TurnOptions, profile_layer, resolve

if TYPE_CHECKING:
    # Imported when a session starts: the commands' option tables import this module, and
    # `azresp --help` need not load the engine (bench/startup.py measures it).
    from azresp_cli.core.session import ChatSession, ClientProvider


@dataclass(frozen=True)
class SessionStart:
    # The turn options the command line set (option name -> value); the rest come from the
    # profile's chat defaults, else TurnOptions' own defaults.
    flags: Mapping[str, Any] = field(default_factory=dict)
    previous: str | None = None  # -p ID
    resume: bool = False  # -c, or --resume
    resume_id: str | None = None  # --resume CONV (a conversation or response id)
    history: bool = True  # record turns (and read them for -c / --resume)
    # -t NAME: the template's option values (between the profile's and the flags)
    template: Mapping[str, Any] = field(default_factory=dict)
    # -f / --sf: fragments sent with the first turn (core/fragments.py)
    fragments: tuple[FragmentUse, ...] = ()


def session_options(start: SessionStart, settings: Settings) -> TurnOptions:
    """The flags, else the template's values, else the profile's chat defaults."""
    source = f"profile '{settings.profile}'" if settings.profile else "the profile"
    return resolve(profile_layer(settings.defaults, source=source), start.template, start.flags)


def start_session(
    settings: Settings,
    client: ClientProvider,
    start: SessionStart,
    *,
    data_dir: Path,
    warn: Callable[[str], None],
) -> ChatSession:
    """A ChatSession set up as ``start`` asks; raises UsageError for what cannot be resumed."""
    from azresp_cli.core.history import HistoryStore, history_path
    from azresp_cli.core.meter import Meter
    from azresp_cli.core.safe_history import SafeHistory
    from azresp_cli.core.session import ChatSession

    if start.previous and start.resume:
        raise UsageError("-p/--previous and -c/--continue (or --resume) cannot be combined")
    options = session_options(start, settings)
    history = None
    if start.history:
        path = history_path(data_dir)
        history = SafeHistory(lambda: HistoryStore.open(path), warn)
    session = ChatSession(
        settings,
        client,
        options=options,
        history=history,
        meter=Meter(prices=settings.prices, max_cost=options.max_cost),
    )
    session.conversation.store = options.store
    session.fragments.extend(start.fragments)
    if start.resume:
        session.resume(start.resume_id)
        if not options.store:
            session.set_store(False)
    elif start.previous:
        session.continue_from(start.previous)
    return session
