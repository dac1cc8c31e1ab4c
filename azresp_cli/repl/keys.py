"""The prompt's key bindings, built by one function with the REPL state passed in (as pgcli).

Enter sends, unless a ``` fence is open; Alt-Enter / Esc Enter adds a line; Ctrl-C clears the
line and a second one within ``InterruptWindow.seconds`` leaves; Ctrl-D on an empty line leaves.
Pasted text arrives as one bracketed paste and stays one message (prompt_toolkit's own binding).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from prompt_toolkit.application import get_app
from prompt_toolkit.enums import DEFAULT_BUFFER
from prompt_toolkit.filters import Condition, has_focus, vi_insert_mode
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.key_binding.bindings import search

from azresp_cli.repl.slash import is_command

_FENCE = re.compile(r"^\s*(```|~~~)", re.MULTILINE)
DOUBLE_INTERRUPT_SECONDS = 1.5


def has_open_fence(text: str) -> bool:
    """True while a Markdown code fence (``` or ~~~) is opened and not yet closed."""
    return len(_FENCE.findall(text)) % 2 == 1


def should_send(text: str) -> bool:
    """Enter sends the text, except inside an open fence where it starts a new line."""
    return is_command(text) or not has_open_fence(text)


@dataclass
class InterruptWindow:
    """Remembers the last Ctrl-C so a second one within ``seconds`` can mean "leave"."""

    clock: Callable[[], float] = time.monotonic
    seconds: float = DOUBLE_INTERRUPT_SECONDS
    last: float | None = None

    def press(self) -> bool:
        """Record a Ctrl-C; True when it is the second within the window."""
        now = self.clock()
        second = self.last is not None and now - self.last <= self.seconds
        self.last = None if second else now
        return second

    @property
    def armed(self) -> bool:
        return self.last is not None and self.clock() - self.last <= self.seconds

    def reset(self) -> None:
        self.last = None


class LeaveInterrupted(Exception):
    """The user pressed Ctrl-C twice at the prompt: leave with exit status 130."""


def build_key_bindings(interrupts: InterruptWindow) -> KeyBindings:
    bindings = KeyBindings()
    default_focused = has_focus(DEFAULT_BUFFER)

    @bindings.add("enter", filter=default_focused)
    def _enter(event: KeyPressEvent) -> None:
        """Send, or take the highlighted completion, or add a line inside a code fence."""
        buffer = event.current_buffer
        state = buffer.complete_state
        if state is not None and state.current_completion is not None:
            buffer.apply_completion(state.current_completion)
        elif should_send(buffer.text):
            buffer.validate_and_handle()
        else:
            buffer.insert_text("\n")

    @bindings.add("escape", "enter", filter=default_focused)
    def _newline(event: KeyPressEvent) -> None:
        """Alt-Enter (the same keys as Esc Enter) adds a line."""
        event.current_buffer.insert_text("\n")

    @bindings.add("c-c", filter=default_focused)
    def _interrupt(event: KeyPressEvent) -> None:
        """Clear the line; a second Ctrl-C in a moment leaves."""
        if interrupts.press():
            event.app.exit(exception=LeaveInterrupted())
            return
        event.current_buffer.reset()
        expire_notice(interrupts)

    @bindings.add("c-d", filter=default_focused & Condition(_buffer_is_empty))
    def _eof(event: KeyPressEvent) -> None:
        """Ctrl-D on an empty line leaves."""
        event.app.exit(exception=EOFError())

    # Ctrl-R searches the input history in Vi mode too (Emacs mode binds it already).
    bindings.add("c-r", filter=vi_insert_mode & default_focused)(
        search.start_reverse_incremental_search
    )

    return bindings


def expire_notice(interrupts: InterruptWindow) -> None:
    """Redraw now, and again when the window has passed, so "Ctrl-C again leaves" shows only
    while it is true."""
    app = get_app()
    app.invalidate()
    with contextlib.suppress(RuntimeError):  # no running loop: nothing to schedule
        asyncio.get_running_loop().call_later(interrupts.seconds + 0.05, app.invalidate)


def _buffer_is_empty() -> bool:
    return not get_app().current_buffer.text
