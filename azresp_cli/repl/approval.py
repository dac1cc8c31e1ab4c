"""The REPL's approval prompt: one key answers (y, n, a, s, d); Ctrl-D means no.

Ctrl-C is not an answer: it stops the turn, as it stops an answer, and the calls are not run.
The panel with the call's name and arguments is already on the screen (the writer printed it),
so this only asks.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from prompt_toolkit import PromptSession
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.styles import Style

from azresp_cli.core.approval import Decision, parse_answer
from azresp_cli.core.events import ToolCall
from azresp_cli.render.approval import approval_question, decision_note

if TYPE_CHECKING:
    from prompt_toolkit.input import Input
    from prompt_toolkit.output import Output

ANSWER_KEYS = ("y", "n", "a", "s", "d")
STYLE = Style.from_dict({"approval": "bold ansiyellow"})


def ask_approval(
    call: ToolCall, *, input: Input | None = None, output: Output | None = None
) -> Decision:
    """Ask whether ``call`` may run; returns at the first answer key."""
    from azresp_cli.core.mcp_local import local_server_of

    server = local_server_of(call.name) if call.kind == "function" else None
    session: PromptSession[str] = PromptSession(
        key_bindings=_answer_keys(server), style=STYLE, input=input, output=output
    )
    message = FormattedText([("class:approval", approval_question(call))])
    _discard_typeahead(session.input)
    while True:
        try:
            text = session.prompt(message)
        except EOFError:
            return Decision.DENY
        decision = parse_answer(text)
        if decision is not None:
            return decision


def _discard_typeahead(input: Input) -> None:
    """Keys pressed while the answer streamed wait in the terminal: they are not an answer.

    Only a terminal is flushed; a pipe (tests, scripts) keeps what was sent ahead on purpose."""
    from azresp_cli.core.terminal_text import discard_typeahead

    try:
        fd = input.fileno()
    except (NotImplementedError, OSError, ValueError):
        return
    if os.isatty(fd):
        discard_typeahead(fd)
        input.flush_keys()  # and whatever prompt_toolkit read ahead of the last line


def _answer_keys(local_server: str | None = None) -> KeyBindings:
    bindings = KeyBindings()
    for key in ANSWER_KEYS:
        for typed in (key, key.upper()):
            bindings.add(typed)(_answer(key, local_server))
    return bindings


def _answer(key: str, local_server: str | None) -> Callable[[KeyPressEvent], None]:
    def handler(event: KeyPressEvent) -> None:
        """Answer with this key at once (no Enter needed), and leave what it decided on the
        question's line."""
        decision = parse_answer(key)
        note = f" {decision_note(decision, local_server)}" if decision is not None else ""
        event.app.current_buffer.text = key + note
        event.app.exit(result=key)

    return handler
