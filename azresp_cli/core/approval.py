"""Whether a tool call may run: the policy, what was approved "always", and who is asked.

The engine never prompts. It asks an ``Approve`` callback (the REPL and a terminal show a panel
and read y / n / always), approves on its own for ``--yes`` or a remembered "always", and refuses
when there is nobody to ask. What a refusal says is sent to the model as the call's output.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # The policy enum is part of the command line (--approve): `azresp --help` imports this
    # module, and need not load the event types.
    from azresp_cli.core.events import ToolCall


class Decision(enum.StrEnum):
    APPROVE = "approve"
    DENY = "deny"
    ALWAYS = "always"  # approve, and approve this tool without asking for the rest of the session
    ALWAYS_SAVED = "always-saved"  # as ALWAYS, and remembered in the profile for later sessions
    NEVER = "never"  # refuse, and refuse this tool without asking (saved for a local MCP tool)


class ApprovalPolicy(enum.StrEnum):
    """``--approve``: ask before each call, approve every call, or refuse every call."""

    ASK = "ask"
    ALWAYS = "always"
    NEVER = "never"


Approve = Callable[["ToolCall"], Decision]

DENIED = "The user declined this tool call."
NOBODY_TO_ASK = (
    "Tool calls need approval and azresp was not run on a terminal, so nobody could be asked "
    "(rerun with --yes to allow tool calls)."
)
POLICY_NEVER = "The user's settings refuse tool calls (--approve never)."


@dataclass
class Approvals:
    """The approval state of a session; the CLI or the REPL sets ``approver``."""

    policy: ApprovalPolicy = ApprovalPolicy.ASK
    approver: Approve | None = None
    remembered: set[str] = field(default_factory=set)  # approval keys (see ``key``)
    # Called with a key the user wants remembered in the profile (ALWAYS_SAVED).
    save: Callable[[str], None] | None = None
    # Function name -> the file it was loaded from (FunctionTool.origin).
    origins: dict[str, str] = field(default_factory=dict)
    denied: set[str] = field(default_factory=set)  # keys answered "never" this session
    # Called with a key answered "never" (a local MCP server saves it in its deny list).
    save_denied: Callable[[str], None] | None = None

    def key(self, call: ToolCall) -> str:
        """What an "always" remembers: an MCP server's tool, or a function *of one file*
        (``function:/abs/tools.py:helper``), so another file's ``helper`` is asked about again."""
        origin = self.origins.get(call.name) if call.kind == "function" else None
        if not origin:
            return call.approval_key
        # approved_tools is a comma-separated list: a comma in a path must not split it.
        return f"function:{origin.replace('%', '%25').replace(',', '%2C')}:{call.name}"

    def decide(self, call: ToolCall) -> str | None:
        """None when ``call`` may run, else the reason it may not (for the model and the user)."""
        if self.policy is ApprovalPolicy.NEVER:
            return POLICY_NEVER
        key = self.key(call)
        if key in self.denied:
            return DENIED
        if self.policy is ApprovalPolicy.ALWAYS or key in self.remembered:
            return None
        if self.approver is None:
            return NOBODY_TO_ASK
        decision = self.approver(call)
        if decision in (Decision.ALWAYS, Decision.ALWAYS_SAVED):
            self.remembered.add(key)
            if decision is Decision.ALWAYS_SAVED and self.save is not None:
                self.save(key)
        if decision is Decision.NEVER:
            self.denied.add(key)
            if self.save_denied is not None:
                self.save_denied(key)
        return DENIED if decision in (Decision.DENY, Decision.NEVER) else None

    def remembered_mcp_tools(self, server_label: str) -> list[str]:
        """The tools of one MCP server approved "always", for its ``require_approval`` filter."""
        prefix = f"mcp:{server_label}:"
        return sorted(key[len(prefix) :] for key in self.remembered if key.startswith(prefix))


def parse_answer(text: str) -> Decision | None:
    """The decision typed at an approval prompt (y, n, a, s or the words); None if unclear."""
    answer = text.strip().lower()
    return _ANSWERS.get(answer)


_ANSWERS = {
    "y": Decision.APPROVE,
    "yes": Decision.APPROVE,
    "n": Decision.DENY,
    "no": Decision.DENY,
    "a": Decision.ALWAYS,
    "always": Decision.ALWAYS,
    "s": Decision.ALWAYS_SAVED,
    "save": Decision.ALWAYS_SAVED,
    "d": Decision.NEVER,
    "never": Decision.NEVER,
}
