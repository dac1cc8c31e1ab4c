"""Helpers for running azresp in tests: results, a fake terminal stream, the test key."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

TEST_KEY = "sk-test-SECRET-123456"


@dataclass(frozen=True)
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


class TtyStringIO(io.StringIO):
    """A StringIO that says it is a terminal, for what rich and prompt_toolkit ask of it."""

    def isatty(self) -> bool:
        return True


RunCli = Callable[..., Result]
