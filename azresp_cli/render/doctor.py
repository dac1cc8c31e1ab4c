"""`azresp doctor` output: one line per check as it finishes, or one JSON document at the end.

A line is a mark (✓ passed, ✗ failed, ! warning, – skipped), the check's name and what it found;
a failure or warning adds its hint (and any detail) indented below. Colour only on a terminal.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from rich.text import Text

from azresp_cli.core.doctor_report import Check
from azresp_cli.core.environment import Environment

_MARKS = {
    "ok": ("✓", "green"),
    "fail": ("✗", "bold red"),
    "warn": ("!", "yellow"),
    "skip": ("–", "dim"),
}
NAME_WIDTH = 18  # "image generation" and two spaces


class DoctorPrinter:
    """Prints each check on stdout as it arrives; with ``quiet`` only failures and warnings."""

    def __init__(self, env: Environment, *, quiet: bool = False) -> None:
        from azresp_cli.render.console import stdout_console

        self._console = stdout_console(env)
        self._quiet = quiet

    def check(self, check: Check) -> None:
        if self._quiet and check.status in ("ok", "skip"):
            return
        mark, style = _MARKS[check.status]
        line = Text.assemble(
            (mark, style), " ", (f"{check.name:<{NAME_WIDTH}}", "bold"), check.summary
        )
        self._console.print(line, soft_wrap=True)
        if check.status in ("fail", "warn") or (check.status == "skip" and check.hint):
            if check.hint:
                self._console.print(
                    Text.assemble("  ", ("hint:", "bold"), " ", check.hint), soft_wrap=True
                )
            if check.detail:
                for detail_line in check.detail.splitlines():
                    self._console.print(Text("    " + detail_line, style="dim"), soft_wrap=True)

    def finish(self, checks: Sequence[Check]) -> None:
        if self._quiet:
            return
        failed = sum(1 for c in checks if c.status == "fail")
        warned = sum(1 for c in checks if c.status == "warn")
        if failed:
            verdict = Text(f"{failed} check{'s' if failed > 1 else ''} failed", style="bold red")
        elif warned:
            verdict = Text(
                f"ready, with {warned} warning{'s' if warned > 1 else ''}", style="yellow"
            )
        else:
            verdict = Text("all checks passed", style="green")
        self._console.print(verdict)


def doctor_json(checks: Sequence[Check], exit_code: int) -> str:
    """The `azresp doctor --json` document (its shape is documented in docs/output.md)."""
    payload: dict[str, Any] = {
        "ok": exit_code == 0,
        "exit_code": exit_code,
        "checks": [
            {
                "name": check.name,
                "status": check.status,
                "summary": check.summary,
                "hint": check.hint,
                "detail": check.detail,
                "duration_ms": None if check.seconds is None else round(check.seconds * 1000, 1),
                "facts": dict(check.facts),
            }
            for check in checks
        ],
    }
    return json.dumps(payload, indent=2)
