"""The only code that inspects the process: streams, TTY facts, colour, variables, dirs.

Tests build their own ``Environment`` (a fake TTY, a pipe, a tmp config dir), the way httpie's
MockEnvironment does, so no command reads ``sys`` or ``os.environ`` directly.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO


@dataclass(frozen=True)
class Environment:
    stdin: TextIO
    stdout: TextIO
    stderr: TextIO
    stdin_isatty: bool
    stdout_isatty: bool
    stderr_isatty: bool
    variables: Mapping[str, str] = field(default_factory=dict)
    config_dir: Path = Path(".")
    data_dir: Path = Path(".")

    def __post_init__(self) -> None:
        # The one sanitizing step on the way to a terminal (core/terminal_text.py): whatever
        # writes to a TTY stream of this environment, service text cannot send it escapes.
        # Pipes and files are left alone, so piped output stays byte-exact.
        from azresp_cli.core.terminal_text import terminal_stream

        if self.stdout_isatty:
            object.__setattr__(self, "stdout", terminal_stream(self.stdout))
        if self.stderr_isatty:
            object.__setattr__(self, "stderr", terminal_stream(self.stderr))

    @property
    def no_color_requested(self) -> bool:
        # https://no-color.org: present and not empty disables colour
        return bool(self.variables.get("NO_COLOR"))

    @property
    def color(self) -> bool:
        """Colour and live widgets on stdout: only on a terminal, and never under NO_COLOR."""
        return self.stdout_isatty and not self.no_color_requested

    @property
    def stderr_color(self) -> bool:
        return self.stderr_isatty and not self.no_color_requested

    @property
    def is_ci(self) -> bool:
        return self.variables.get("CI", "").lower() in {"1", "true", "yes"}

    @classmethod
    def from_process(cls) -> Environment:
        variables = dict(os.environ)
        return cls(
            stdin=_lenient_stdin(sys.stdin, sys.stderr),
            stdout=sys.stdout,
            stderr=sys.stderr,
            stdin_isatty=_isatty(sys.stdin),
            stdout_isatty=_isatty(sys.stdout),
            stderr_isatty=_isatty(sys.stderr),
            variables=variables,
            config_dir=_dir_from(variables, "AZRESP_CONFIG_DIR", user_dir="config"),
            data_dir=_dir_from(variables, "AZRESP_DATA_DIR", user_dir="data"),
        )


STDIN_NOT_UTF8 = (
    "warning: standard input is not valid UTF-8; the bytes that are not were replaced with �\n"
)


ARGV_NOT_UTF8 = "the command line is not valid UTF-8; the bytes that are not were replaced with �"


def _lenient_stdin(stdin: TextIO, stderr: TextIO) -> TextIO:
    """Standard input that decodes bytes that are not UTF-8 (a Latin-1 file, binary noise) as
    U+FFFD, and says so once on stderr, instead of failing later with a UnicodeError."""
    warned = False

    def replace(error: UnicodeError) -> tuple[str, int]:
        nonlocal warned
        if not warned:
            warned = True
            with contextlib.suppress(OSError, ValueError):
                stderr.write(STDIN_NOT_UTF8)
                stderr.flush()
        if not isinstance(error, UnicodeDecodeError):
            raise error
        return "\ufffd", error.end

    codecs.register_error("azresp-stdin", replace)
    with contextlib.suppress(AttributeError, ValueError, io.UnsupportedOperation):
        stdin.reconfigure(errors="azresp-stdin")  # type: ignore[attr-defined]
    return stdin


def text_arguments(argv: list[str], warn: Callable[[str], None]) -> list[str]:
    """``argv`` with bytes that are not UTF-8 (surrogate escapes) replaced by U+FFFD, said once.

    An argument naming an existing path is kept as it is: the file system takes any bytes."""
    fixed: list[str] = []
    warned = False
    for arg in argv:
        if _SURROGATE.search(arg) and not os.path.lexists(arg):
            arg = arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            if not warned:
                warned = True
                warn(ARGV_NOT_UTF8)
        fixed.append(arg)
    return fixed


_SURROGATE = re.compile("[\udc80-\udcff]")


def _isatty(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (ValueError, AttributeError):  # closed or replaced streams
        return False


def _dir_from(variables: Mapping[str, str], name: str, *, user_dir: str) -> Path:
    if variables.get(name):
        return Path(variables[name])
    import platformdirs  # small, but only needed when no override is set

    if user_dir == "config":
        return Path(platformdirs.user_config_dir("azresp", appauthor=False))
    return Path(platformdirs.user_data_dir("azresp", appauthor=False))
