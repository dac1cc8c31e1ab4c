"""A conversation as a Markdown document (``/save FILE``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from azresp_cli.core.session_turns import SessionTurn


def transcript_markdown(
    turns: Sequence[SessionTurn],
    *,
    conversation_id: str,
    deployment: str,
    saved_at: datetime,
) -> str:
    """Each prompt under "You", each answer under the deployment's name with its response id."""
    lines = [
        f"# Conversation {conversation_id}",
        "",
        f"_Saved {saved_at:%Y-%m-%d %H:%M} from azresp; deployment {deployment}._",
        "",
    ]
    for number, turn in enumerate(turns, start=1):
        lines += [f"## {number}. You", "", turn.prompt.strip(), ""]
        note = "" if turn.status == "completed" else f", {turn.status}"
        lines += [f"### Answer (`{turn.response_id}`{note})", "", turn.answer.strip(), ""]
    return "\n".join(lines).rstrip() + "\n"
