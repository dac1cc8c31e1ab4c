"""The bottom toolbar: where the session talks to, and where the chain stands.

Plain ``(style, text)`` fragments, which prompt_toolkit takes as formatted text; built from the
session alone so tests read it without a terminal.
"""

from __future__ import annotations

from azresp_cli.core.config import AuthMethod, Settings
from azresp_cli.core.session import ChatSession
from azresp_cli.core.terminal_text import neutralize

Fragments = list[tuple[str, str]]


def auth_label(settings: Settings) -> str:
    if settings.is_emulator:
        return "emulator"
    if settings.api_key and settings.auth in (AuthMethod.AUTO, AuthMethod.KEY):
        return "api key"
    return f"Entra ID ({settings.auth.value})"


def chain_label(session: ChatSession, *, short: bool = False) -> str:
    mode = "stored" if session.store else "stateless"
    head = session.head
    if head is None:
        return f"new chain ({mode})"
    return f"{abbreviate(head) if short else head} ({mode})"


def abbreviate(response_id: str) -> str:
    """``resp_5843ef94…ffe7``: enough to tell ids apart at a glance; /id prints it whole."""
    return response_id if len(response_id) <= 20 else f"{response_id[:13]}…{response_id[-4:]}"


def toolbar_fragments(session: ChatSession, notice: str | None = None) -> Fragments:
    """deployment · host · auth · chain · tokens, or a notice (e.g. "Ctrl-C again leaves")."""
    if notice:
        return [("class:bottom-toolbar.notice", f" {notice} ")]
    totals = session.totals
    parts = [
        session.settings.deployment,
        session.endpoint_host,
        auth_label(session.settings),
        chain_label(session, short=True),
        f"{totals.input_tokens:,} in / {totals.output_tokens:,} out tokens",
    ]
    if session.pending:
        count = len(session.pending)
        parts.append(f"{count} attachment{'s' if count != 1 else ''}")
    # prompt_toolkit turns ESC into "?" but passes BEL and C1: the ids come from the service.
    return [("class:bottom-toolbar", neutralize(" " + " │ ".join(parts) + " "))]
