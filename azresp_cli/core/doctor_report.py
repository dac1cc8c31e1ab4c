"""What `azresp doctor` found: one ``Check`` per step, and the exit code they add up to.

Plain data, apart from the steps in ``core/doctor.py`` (which reach the SDK), so render/ can
show checks without importing anything that knows openai.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from azresp_cli.core.errors import ExitCode

Status = Literal["ok", "fail", "warn", "skip"]
Fact = str | int | float | bool | None | list[str]


@dataclass(frozen=True)
class Check:
    """The outcome of one step: a status, one line about it, and what to do when it failed."""

    name: str
    status: Status
    summary: str
    hint: str | None = None
    detail: str | None = None  # more lines (the credentials DefaultAzureCredential tried)
    seconds: float | None = None
    facts: Mapping[str, Fact] = field(default_factory=dict)
    exit_code: int = ExitCode.OK
    blocks_rest: bool = True  # a failure here stops the steps after it


def exit_code_of(checks: Sequence[Check]) -> int:
    """The exit code of the first failed check, 0 when none failed (warnings do not count)."""
    return next((c.exit_code for c in checks if c.status == "fail"), ExitCode.OK)
