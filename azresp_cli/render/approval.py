"""The words of an approval prompt: the same question on a terminal line and in the REPL."""

from __future__ import annotations

from azresp_cli.core.approval import Decision
from azresp_cli.core.events import ToolCall
from azresp_cli.core.terminal_text import neutralize
from azresp_cli.render.tool_lines import call_name

CHOICES = "[y]es, [n]o, [a]lways for this tool, [s]ave always, [d]eny always"


def approval_question(call: ToolCall) -> str:
    """``Run get_weather? [y]es, [n]o, ...: `` (the panel above shows the arguments)."""
    verb = "Allow MCP call" if call.kind == "mcp" else "Run"
    # The name comes from the model or an MCP server; the question goes to a terminal.
    return neutralize(f"{verb} {call_name(call)}? {CHOICES}: ")


_DECIDED = {
    Decision.APPROVE: "yes: runs once",
    Decision.DENY: "no: not run",
    Decision.ALWAYS: "always: this tool runs without asking for the rest of the session",
    Decision.ALWAYS_SAVED: "always, saved in the profile (approved_tools)",
    Decision.NEVER: "deny always: refused without asking for the rest of the session",
}
# A local MCP server's tool (NAME__tool) keeps its answers in [mcp_local.NAME] instead.
_DECIDED_LOCAL = {
    Decision.ALWAYS_SAVED: "always, saved in [mcp_local.{server}] allow",
    Decision.NEVER: "deny always, saved in [mcp_local.{server}] deny",
}


def decision_note(decision: Decision, local_server: str | None = None) -> str:
    """What the answer decided, shown after the question (a stray key is seen at once);
    ``local_server``: the call is that local MCP server's tool."""
    if local_server is not None and decision in _DECIDED_LOCAL:
        return "→ " + _DECIDED_LOCAL[decision].format(server=neutralize(local_server))
    return f"→ {_DECIDED[decision]}"
