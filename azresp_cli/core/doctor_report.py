"""What `azresp doctor` found: one ``Check`` per step, and the exit code they add up to.

Plain data, apart from the steps in ``core/doctor.py`` (which reach the SDK), so render/ can
show checks without importing anything that knows openai.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from azresp_cli.core.errors import ExitCode
from azresp_cli.core.redact import redact

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

    def __post_init__(self) -> None:
        # A summary can quote a service's message, and that can quote the key or a token:
        # every line doctor prints (text or --json) is redacted here, once.
        for name in ("summary", "hint", "detail"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, redact(value))


def exit_code_of(checks: Sequence[Check]) -> int:
    """The exit code of the first failed check, 0 when none failed (warnings do not count)."""
    return next((c.exit_code for c in checks if c.status == "fail"), ExitCode.OK)
