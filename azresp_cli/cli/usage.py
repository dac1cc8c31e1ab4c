"""``azresp usage``: tokens and cost over time, from the local history."""

from __future__ import annotations

import enum
import json
import time
from typing import TYPE_CHECKING, Annotated

import typer

from azresp_cli.cli.state import app_state

if TYPE_CHECKING:
    from azresp_cli.core.usage_report import UsageReport, UsageRow


class By(enum.StrEnum):
    DAY = "day"
    MODEL = "model"
    CONVERSATION = "conversation"


def usage(
    ctx: typer.Context,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="SPAN|DATE",
            help="Only turns since then: a span (30m, 12h, 7d, 2w) or a date (2026-11-01).",
            show_default=False,
        ),
    ] = None,
    by: Annotated[By, typer.Option("--by", help="One line per day, model or conversation.")] = (
        By.DAY
    ),
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Tokens and cost over time, from the local history.

    Every turn counts, background jobs and compactions too. Turns without a cost (recorded
    before azresp kept costs, or of a deployment with no price) count their tokens and show
    the cost as unknown, never as zero.

    Examples:

    \b
      azresp usage --since 7d
      azresp usage --by model --json | jq '.total.cost'
    """
    from azresp_cli.core.history_db import history_path
    from azresp_cli.core.usage_report import build_report, parse_since, usage_report

    env = app_state(ctx).env
    start = parse_since(since, time.time())
    path = history_path(env.data_dir)
    if path.exists():  # reading must not create the database
        report = usage_report(path, since=start, by=by.value)
    else:
        report = build_report([], since=start, by=by.value)
    if json_output:
        env.stdout.write(json.dumps(report_json(report), indent=2) + "\n")
        return
    if not report.total.turns:
        env.stderr.write("no turns in the local history" + (" since then" if since else "") + "\n")
        return
    env.stdout.write(report_table(report) + "\n")
    unpriced = report.total.unpriced_turns
    if unpriced:
        env.stderr.write(
            f"{unpriced} turn{'s' if unpriced != 1 else ''} without a cost (no price for the "
            "deployment, or recorded before azresp kept costs): "
            f"{'their costs are' if unpriced != 1 else 'its cost is'} unknown\n"
        )


def report_json(report: UsageReport) -> dict[str, object]:
    from azresp_cli.core.usage_report import since_text

    return {
        "since": since_text(report.since),
        "by": report.by,
        "currency": report.currency,
        "groups": [row.as_json() for row in report.groups],
        "total": report.total.as_json(),
    }


def report_table(report: UsageReport) -> str:
    header = (report.by.upper(), "TURNS", "INPUT", "CACHED", "REASONING", "OUTPUT", "COST")
    rows = [_row(row, report) for row in [*report.groups, report.total]]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _row(row: UsageRow, report: UsageReport) -> tuple[str, ...]:
    from azresp_cli.core.pricing import format_money

    currency = report.currency if report.currency not in (None, "mixed") else "USD"
    cost = format_money(row.cost, currency or "USD")
    if row.cost is not None and row.unpriced_turns:
        cost += " + ?"
    return (
        row.key,
        f"{row.turns:,}",
        f"{row.input_tokens:,}",
        f"{row.cached_tokens:,}",
        f"{row.reasoning_tokens:,}",
        f"{row.output_tokens:,}",
        cost,
    )
