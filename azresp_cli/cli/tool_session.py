"""Setting a chat's tools up from its flags, and asking for approval on a terminal.

Both run before any request: a bad tool file, MCP spec or attachment stops the command with a
usage error. The one-shot approver reads a line from the terminal (the REPL has its own, built on
prompt_toolkit); without a terminal on stdin and stderr there is nobody to ask, and the engine
refuses the calls (unless --yes).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from azresp_cli.cli.state import AppState
from azresp_cli.cli.tool_options import ToolOptions
from azresp_cli.core.approval import Approve, Decision, parse_answer
from azresp_cli.core.attachments import Attachment, load_attachments
from azresp_cli.core.config import Settings
from azresp_cli.core.environment import Environment
from azresp_cli.core.events import ToolCall
from azresp_cli.core.mcp_local import LocalServerSpec
from azresp_cli.core.tool_setup import (
    APPROVED_TOOLS_KEY,
    build_tool_kit,
    with_approved_tool,
    with_profile_tools,
)
from azresp_cli.core.tools import ToolKit
from azresp_cli.render.writers import TurnWriter


def prepare_tools(
    state: AppState, settings: Settings, options: ToolOptions
) -> tuple[ToolKit, list[Attachment]]:
    """The session's ToolKit and the checked attachments; raises UsageError."""
    env = state.env
    profile = _profile_values(env, settings)
    flags = with_profile_tools(options.flags, profile)
    local: tuple[LocalServerSpec, ...] = ()
    if flags.mcp_local or _has_local_config(env):
        from azresp_cli.core.mcp_local_config import session_servers

        local = session_servers(env, flags.mcp_local)
    names = [spec.name for spec in local]

    def save(key: str) -> None:
        if not _remember_local(env, names, key, allow=True):
            save_approval(env, settings, key)

    def save_denied(key: str) -> None:
        _remember_local(env, names, key, allow=False)

    kit = build_tool_kit(
        flags,
        settings,
        profile,
        cwd=Path.cwd(),
        save=save,
        variables=env.variables,
        local_servers=local,
        save_denied=save_denied,
    )
    kit.data_dir = env.data_dir
    if kit.config.web_search is not None:
        from azresp_cli.core.web_search import notice_once

        notice = notice_once(env.data_dir)
        if notice:
            env.stderr.write(notice + "\n")
    attachments = load_attachments(
        options.attach, cwd=Path.cwd(), code_interpreter=kit.config.code_interpreter
    )
    return kit, attachments


def _has_local_config(env: Environment) -> bool:
    from azresp_cli.core.config import config_path

    path = config_path(env)
    try:
        return "mcp_local" in path.read_text(encoding="utf-8")
    except OSError:
        return False


def _remember_local(env: Environment, names: list[str], key: str, *, allow: bool) -> bool:
    """A local MCP tool's "save" or "deny always" goes to its ``[mcp_local.NAME]`` table."""
    from azresp_cli.core.mcp_local_config import is_local_key, remember

    return is_local_key(key, names) and remember(env, key, allow=allow)


def save_approval(env: Environment, settings: Settings, key: str) -> None:
    """Remember ``key`` in the profile's ``approved_tools`` (the "save" answer)."""
    from azresp_cli.core.config_file import active_profile_name, profile_values, set_value

    profile = settings.profile or active_profile_name(env, None)
    value = with_approved_tool(profile_values(env, profile), key)
    set_value(env, profile, APPROVED_TOOLS_KEY, value)


def can_ask(env: Environment) -> bool:
    """A person can answer: the question goes to stderr, the answer comes from stdin."""
    return env.stdin_isatty and env.stderr_isatty


def line_approver(env: Environment, writer: TurnWriter) -> Approve:
    """Ask on stderr and read the answer from stdin, one line; end of input means no."""
    from azresp_cli.core.mcp_local import local_server_of
    from azresp_cli.core.terminal_text import discard_typeahead
    from azresp_cli.render.approval import approval_question, decision_note

    def approve(call: ToolCall) -> Decision:
        writer.settle()  # the live answer must not redraw over the question
        question = approval_question(call)
        # Keys typed while the answer streamed are not an answer to a question not yet asked.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            discard_typeahead(env.stdin.fileno())
        while True:
            env.stderr.write(question)
            env.stderr.flush()
            line = env.stdin.readline()
            if not line:
                env.stderr.write("\n")
                decision = Decision.DENY
            else:
                parsed = parse_answer(line)
                if parsed is None:
                    continue
                decision = parsed
            server = local_server_of(call.name) if call.kind == "function" else None
            env.stderr.write(f"{decision_note(decision, server)}\n")
            env.stderr.flush()
            return decision

    return approve


def _profile_values(env: Environment, settings: Settings) -> dict[str, object]:
    if settings.profile is None:
        return {}
    from azresp_cli.core.config_file import profile_values

    with contextlib.suppress(OSError):
        return profile_values(env, settings.profile)
    return {}
