"""Starting the chat session: preferences, history, the session, a greeting, then the loop."""

from __future__ import annotations

import contextlib
import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from azresp_cli.core.attachments import Attachment
from azresp_cli.core.config import Settings
from azresp_cli.core.environment import Environment
from azresp_cli.core.preferences import load_preferences
from azresp_cli.core.session import ChatSession, ClientProvider
from azresp_cli.core.session_start import SessionStart, start_session
from azresp_cli.core.tools import ToolKit
from azresp_cli.repl.shell import ReplOptions, prompt_history_path, run_repl
from azresp_cli.repl.toolbar import chain_label


@dataclass(frozen=True)
class ReplStart:
    session: SessionStart
    vi_mode: bool = False  # --vi; the profile's vi_mode = true turns it on too
    first_prompt: str | None = None  # -i PROMPT
    debug: bool = False
    tools: ToolKit = field(default_factory=ToolKit)
    attachments: tuple[Attachment, ...] = ()  # -a: sent with the first prompt
    fill_first: Callable[[str], str] | None = None  # -t NAME: its prompt, $input to fill


def run_chat(
    env: Environment, settings: Settings, client: ClientProvider, start: ReplStart
) -> None:
    """Open the interactive session; returns on /exit or Ctrl-D, raises Interrupted on Ctrl-C
    twice, and UsageError when what was asked to resume cannot be."""
    preferences = load_preferences(env, settings)
    keep_history = start.session.history and preferences.history
    session = start_session(
        settings,
        client,
        replace(start.session, history=keep_history),
        data_dir=env.data_dir,
        warn=lambda text: _warn(env, text),
    )
    session.tools = start.tools
    session.config_dir = env.config_dir
    session.pending.extend(start.attachments)
    warm_up(client)
    options = ReplOptions(
        vi_mode=start.vi_mode or preferences.vi_mode,
        prompt_history=prompt_history_path(env.data_dir) if keep_history else None,
        first_prompt=start.first_prompt,
        fill_first=start.fill_first,
        greeting=greeting(session, resumed=start.session.resume or bool(start.session.previous)),
        debug=start.debug,
    )
    try:
        run_repl(env, session, options)
    finally:
        if session.history is not None:
            session.history.close()


def greeting(session: ChatSession, *, resumed: bool) -> str:
    line = f"azresp chat · {session.settings.deployment} on {session.endpoint_host}"
    if resumed:
        count = len(session.turns)
        line += f" · continuing {chain_label(session)}"
        if count:
            line += f", {count} earlier turn{'s' if count != 1 else ''}"
    return line + " · /help lists commands, Ctrl-D leaves"


def warm_up(client: ClientProvider) -> None:
    """Build the client (importing openai) and load the answer's renderer (rich Markdown)
    while the user types the first prompt.

    Failures are left for the first turn to raise and report."""

    def work() -> None:
        with contextlib.suppress(Exception):
            client()
            # rich.markdown, markdown-it and pygments: ~0.1 s the first answer would wait for.
            importlib.import_module("azresp_cli.render.markdown_writer")

    thread = threading.Thread(target=work, name="azresp-warm-up", daemon=True)
    _warm_ups.append(thread)
    thread.start()


_warm_ups: list[threading.Thread] = []


def settle(timeout: float = 5.0) -> None:
    """Before the process exits (cli/main.py): wait for a warm-up still running. Building an
    https client loads certificates inside OpenSSL without the GIL, and a thread still there
    when OpenSSL's exit handler frees its state crashes the process. Only a session left
    within its first second or so waits at all."""
    for thread in _warm_ups:
        thread.join(timeout)


def _warn(env: Environment, text: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        env.stderr.write(f"warning: {text}\n")
        env.stderr.flush()
