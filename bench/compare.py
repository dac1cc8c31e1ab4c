"""``python -m bench --compare FILE``: this run's ratios against a saved earlier run.

FILE is the Markdown a previous ``python -m bench`` printed (``python -m bench > run.md``).
Only the targets measured as ratios (unit ``x``) are compared, as ratios are what stays
comparable between runs on a shared machine; one that got more than ``TOLERANCE`` worse
(higher for an "at most" target, lower for an "at least" one) is flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bench.harness import Table, Target

TOLERANCE = 0.10  # a ratio more than 10% worse than the saved one is a regression
_ROW = re.compile(r"^\|\s*(.+?)\s*\|\s*(at most|at least) [^|]*\|\s*([0-9.]+)x\s*\|")


@dataclass(frozen=True)
class Comparison:
    table: Table
    regressions: list[str]


def saved_ratios(text: str) -> dict[str, tuple[str, float]]:
    """target name -> (direction, measured ratio), from a saved run's Targets table."""
    found = {}
    for line in text.splitlines():
        match = _ROW.match(line)
        if match:
            found[match[1]] = (match[2], float(match[3]))
    return found


def compare(targets: list[Target], saved_file: Path) -> Comparison:
    saved = saved_ratios(saved_file.read_text(encoding="utf-8"))
    table = Table(
        f"Compared with {saved_file.name} (flagged: more than {TOLERANCE:.0%} worse)",
        ["target", "saved", "now", "change", "verdict"],
    )
    regressions = []
    for target in targets:
        if target.unit != "x" or target.name not in saved:
            continue
        _, before = saved[target.name]
        now = target.measured
        change = now / before - 1 if before else 0.0
        worse = change > TOLERANCE if target.direction == "at most" else change < -TOLERANCE
        if worse:
            regressions.append(target.name)
        table.add(
            target.name,
            f"{before:.2f}x",
            f"{now:.2f}x",
            f"{change:+.0%}",
            "**worse**" if worse else "ok",
        )
    return Comparison(table, regressions)
