"""Text from the service never drives the terminal: control characters are shown, not obeyed.

An answer, an error message, a tool's name or a file name may carry ESC sequences (a window
title, a screen clear, an OSC 52 clipboard write, a cursor report request). On a terminal every
C0 control character except newline and tab, DEL and every C1 control character is replaced by
a visible stand-in (ESC by ``␛``, the others by their Unicode control pictures). Nothing is
replaced on a pipe or in a file: there the bytes stay exactly what the service sent.

``Environment`` wraps its terminal streams in ``TerminalStream`` once, so every write to a TTY
passes here; rich's consoles (render/console.py) write their own escape sequences to the raw
stream and neutralize the text of each segment instead.
"""

from __future__ import annotations

import os
import re
from typing import Any, TextIO, cast

# C0 except \t and \n, DEL, C1 (U+0080..U+009F).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x1B:
        return "␛"
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟
    if code == 0x7F:
        return "␡"
    return "␛" + chr(code - 0x40)  # C1: U+009B (CSI) is shown as ␛[


def neutralize(text: str) -> str:
    """``text`` with every control character but newline and tab made visible and inert."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(_picture, text.replace("\r\n", "\n"))


def has_controls(text: str) -> bool:
    return _UNSAFE.search(text) is not None


class TerminalStream:
    """A text stream to a terminal that neutralizes whatever is written to it.

    Everything else (``isatty``, ``fileno``, ``encoding``, ``flush``) is the raw stream's.
    ``raw`` is the stream underneath, for a writer that neutralizes text itself and must keep
    its own escape sequences (rich's colours and cursor moves)."""

    def __init__(self, raw: TextIO) -> None:
        self.raw = raw

    def write(self, text: str) -> int:
        self.raw.write(neutralize(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)

    def __iter__(self) -> Any:
        return iter(self.raw)


def terminal_stream(stream: TextIO) -> TextIO:
    """``stream`` wrapped in a ``TerminalStream`` (once)."""
    if isinstance(stream, TerminalStream):
        return cast(TextIO, stream)
    return cast(TextIO, TerminalStream(stream))


def raw_stream(stream: TextIO) -> TextIO:
    """The stream under a ``TerminalStream``; any other stream as it is."""
    return stream.raw if isinstance(stream, TerminalStream) else stream


def discard_typeahead(fd: int) -> None:
    """Drop what was typed on terminal ``fd`` but not read yet, before asking a question.

    A key pressed while an answer streamed must not answer a prompt that appears later (an
    "a" would approve a tool call for the rest of the session). Not a terminal: nothing."""
    try:
        if not os.isatty(fd):
            return
        import termios

        termios.tcflush(fd, termios.TCIFLUSH)
    except (OSError, ValueError, ImportError):  # closed, or no termios (Windows)
        return
