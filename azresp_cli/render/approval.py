"""The words of an approval prompt: the same question on a terminal line and in the REPL."""

from __future__ import annotations

from azresp_cli.core.events import ToolCall
from azresp_cli.render.tool_lines import call_name

CHOICES = "[y]es, [n]o, [a]lways for this tool, [s]ave always in the profile"


def approval_question(call: ToolCall) -> str:
    """``Run get_weather? [y]es, [n]o, ...: `` (the panel above shows the arguments)."""
    verb = "Allow MCP call" if call.kind == "mcp" else "Run"
    return f"{verb} {call_name(call)}? {CHOICES}: "
