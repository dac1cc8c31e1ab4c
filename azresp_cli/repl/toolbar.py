"""The bottom toolbar: where the session talks to, and where the chain stands.

Plain ``(style, text)`` fragments, which prompt_toolkit takes as formatted text; built from the
session alone so tests read it without a terminal.
"""

from __future__ import annotations

from azresp_cli.core.config import AuthMethod, Settings
from azresp_cli.core.session import ChatSession

Fragments = list[tuple[str, str]]


def auth_label(settings: Settings) -> str:
    if settings.is_emulator:
        return "emulator"
    if settings.api_key and settings.auth in (AuthMethod.AUTO, AuthMethod.KEY):
        return "api key"
    return f"Entra ID ({settings.auth.value})"


def chain_label(session: ChatSession) -> str:
    mode = "stored" if session.store else "stateless"
    return f"{session.head or 'new chain'} ({mode})"


def toolbar_fragments(session: ChatSession, notice: str | None = None) -> Fragments:
    """deployment · host · auth · chain · tokens, or a notice (e.g. "Ctrl-C again leaves")."""
    if notice:
        return [("class:bottom-toolbar.notice", f" {notice} ")]
    totals = session.totals
    parts = [
        session.settings.deployment,
        session.endpoint_host,
        auth_label(session.settings),
        chain_label(session),
        f"{totals.input_tokens:,} in / {totals.output_tokens:,} out tokens",
    ]
    if session.pending:
        count = len(session.pending)
        parts.append(f"{count} attachment{'s' if count != 1 else ''}")
    return [("class:bottom-toolbar", " " + " │ ".join(parts) + " ")]
