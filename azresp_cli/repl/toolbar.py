"""The bottom toolbar: where the session talks to, and where the chain stands.

Plain ``(style, text)`` fragments, which prompt_toolkit takes as formatted text; built from the
session alone so tests read it without a terminal.
"""

from __future__ import annotations

from azresp_cli.core.config import AuthMethod, Settings
from azresp_cli.core.meter import Meter, budget_words, usage_words
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
    """deployment · host · auth · chain · last turn · session · budget · rate limits, or a
    notice (e.g. "Ctrl-C again leaves")."""
    if notice:
        return [("class:bottom-toolbar.notice", f" {notice} ")]
    parts = [
        session.settings.deployment,
        session.endpoint_host,
        auth_label(session.settings),
        chain_label(session, short=True),
        *spending_parts(session.meter),
    ]
    if session.pending:
        count = len(session.pending)
        parts.append(f"{count} attachment{'s' if count != 1 else ''}")
    # prompt_toolkit turns ESC into "?" but passes BEL and C1: the ids come from the service.
    return [("class:bottom-toolbar", neutralize(" " + " │ ".join(parts) + " "))]


def spending_parts(meter: Meter) -> list[str]:
    """``last 1,217 in (1,024 cached) · 35 out · $0.0031`` (the words of the turn's footer),
    ``session 3,352 in · 120 out · $0.0100``, the budget left and the rate limits left."""
    money = meter.prices.format
    bills = meter.turn_bills()
    if not bills:
        return ["no tokens yet"]
    last = bills[-1][1]
    parts = [
        f"last {usage_words(last.usage) if last.usage else 'usage unknown'} · {money(last.cost)}"
    ]
    total = meter.total
    if len(bills) > 1 and total.usage is not None:
        parts.append(
            f"session {total.usage.input_tokens:,} in · {total.usage.output_tokens:,} out · "
            f"{money(total.cost)}"
        )
    left = budget_words(meter)
    if left:
        parts.append(left)
    limits = meter.limits.summary() if meter.limits else None
    if limits:
        parts.append(limits)
    return parts
