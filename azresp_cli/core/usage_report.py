"""``azresp usage``: tokens and cost over time, from the turns of the local history.

Every turn counts: one-shot and chat turns (with their tool rounds), finished background jobs
and compactions. A turn recorded before azresp kept costs, or of a deployment with no price,
adds its tokens but not a cost: it is counted as unpriced, never as zero. A turn whose usage
never came is counted apart (``unknown_usage``).

The history is summed by SQLite (one `GROUP BY` over the turns, through the index on
``started_at`` with --since), so a report over 100,000 turns reads no turn into Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from azresp_cli.core.errors import UsageError
from azresp_cli.core.history_db import connect, sqlite_errors

if TYPE_CHECKING:
    from azresp_cli.core.history import StoredTurn

GroupBy = Literal["day", "model", "conversation"]
_RELATIVE = re.compile(r"^(\d+)\s*([mhdw])$")
_UNITS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


@dataclass
class UsageRow:
    key: str
    turns: int = 0
    responses: int = 0
    input_tokens: int = 0
    cached_tokens: int = 0
    reasoning_tokens: int = 0
    output_tokens: int = 0
    priced_cost: float = 0.0
    priced_turns: int = 0
    unpriced_turns: int = 0
    unknown_usage_turns: int = 0
    currencies: set[str] = field(default_factory=set)

    @property
    def cost(self) -> float | None:
        """The cost of the priced turns; None when no turn here has a price."""
        return self.priced_cost if self.priced_turns else None

    def add(self, turn: StoredTurn) -> None:
        self.turns += 1
        self.responses += turn.responses or 1
        if not turn.usage_known:
            self.unknown_usage_turns += 1
        else:
            usage = turn.usage
            self.input_tokens += usage.input_tokens
            self.cached_tokens += usage.cached_tokens
            self.reasoning_tokens += usage.reasoning_tokens
            self.output_tokens += usage.output_tokens
        if turn.metered and turn.cost is not None:
            self.priced_cost += turn.cost
            self.priced_turns += 1
            self.currencies.add(turn.currency or "USD")
        else:
            self.unpriced_turns += 1

    def merge(self, other: UsageRow) -> None:
        """Add another row's counts (a group's, into the total)."""
        self.turns += other.turns
        self.responses += other.responses
        self.input_tokens += other.input_tokens
        self.cached_tokens += other.cached_tokens
        self.reasoning_tokens += other.reasoning_tokens
        self.output_tokens += other.output_tokens
        self.priced_cost += other.priced_cost
        self.priced_turns += other.priced_turns
        self.unpriced_turns += other.unpriced_turns
        self.unknown_usage_turns += other.unknown_usage_turns
        self.currencies |= other.currencies

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "turns": self.turns,
            "responses": self.responses,
            "input_tokens": self.input_tokens,
            "cached_tokens": self.cached_tokens,
            "reasoning_tokens": self.reasoning_tokens,
            "output_tokens": self.output_tokens,
            "cost": None if self.cost is None else round(self.cost, 10),
            "priced_turns": self.priced_turns,
            "unpriced_turns": self.unpriced_turns,
            "unknown_usage_turns": self.unknown_usage_turns,
        }


@dataclass(frozen=True)
class UsageReport:
    by: GroupBy
    since: float | None
    groups: list[UsageRow]
    total: UsageRow

    @property
    def currency(self) -> str | None:
        found = self.total.currencies
        return next(iter(found)) if len(found) == 1 else None if not found else "mixed"


def parse_since(text: str | None, now: float) -> float | None:
    """``7d``, ``12h``, ``2w``, ``30m`` before ``now``; or a date (``2026-11-01``, local
    midnight) or ISO date-time. None: everything."""
    if text is None:
        return None
    value = text.strip()
    relative = _RELATIVE.match(value)
    if relative:
        return now - int(relative.group(1)) * _UNITS[relative.group(2)]
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"cannot read --since '{text}'",
            hint="use a span (30m, 12h, 7d, 2w) or a date (2026-11-01)",
        ) from None
    if moment.tzinfo is None:
        moment = moment.astimezone()  # a date or time without offset is local
    return moment.timestamp()


# One row per group: the group's key, then UsageRow's counters in the order `_row` reads them.
# Mirrors `UsageRow.add`: tokens count only where the usage came (input_tokens not NULL); a
# turn is priced when it was metered and has a cost; an unpriced turn's currency is not kept.
_GROUP_QUERY = (
    "SELECT {key}, count(*), sum(coalesce(nullif(responses, 0), 1)), "
    "coalesce(sum(input_tokens), 0), "
    "coalesce(sum(CASE WHEN input_tokens IS NOT NULL THEN cached_tokens END), 0), "
    "coalesce(sum(CASE WHEN input_tokens IS NOT NULL THEN reasoning_tokens END), 0), "
    "coalesce(sum(CASE WHEN input_tokens IS NOT NULL THEN output_tokens END), 0), "
    "total(CASE WHEN metered AND cost IS NOT NULL THEN cost END), "
    "coalesce(sum(CASE WHEN metered AND cost IS NOT NULL THEN 1 ELSE 0 END), 0), "
    "coalesce(sum(CASE WHEN input_tokens IS NULL THEN 1 ELSE 0 END), 0), "
    "min(CASE WHEN metered AND cost IS NOT NULL THEN coalesce(currency, 'USD') END), "
    "max(CASE WHEN metered AND cost IS NOT NULL THEN coalesce(currency, 'USD') END) "
    "FROM turns {where} GROUP BY 1"
)
_GROUP_KEYS: dict[GroupBy, str] = {
    # The local calendar day, as datetime.fromtimestamp would give it (both use localtime_r).
    "day": "date(started_at, 'unixepoch', 'localtime')",
    "model": "deployment",
    "conversation": "conversation_id",
}


def usage_report(path: Path, *, since: float | None, by: GroupBy) -> UsageReport:
    """The report over the history database at ``path`` (which must exist)."""
    where, params = ("WHERE started_at >= ?", (since,)) if since is not None else ("", ())
    # Both parts come from the tables above, never from the user.
    query = _GROUP_QUERY.format(key=_GROUP_KEYS[by], where=where)
    db = connect(path)
    try:
        with sqlite_errors(path):
            rows = db.execute(query, params).fetchall()
    finally:
        db.close()
    groups = [_row(row) for row in rows]
    total = UsageRow("total")
    for group in groups:
        total.merge(group)
    return _report(groups, total, since=since, by=by)


def _row(row: tuple[Any, ...]) -> UsageRow:
    turns, priced = int(row[1]), int(row[8])
    return UsageRow(
        key=str(row[0]),
        turns=turns,
        responses=int(row[2]),
        input_tokens=int(row[3]),
        cached_tokens=int(row[4]),
        reasoning_tokens=int(row[5]),
        output_tokens=int(row[6]),
        priced_cost=float(row[7]),
        priced_turns=priced,
        unpriced_turns=turns - priced,
        unknown_usage_turns=int(row[9]),
        # The lowest and highest currency: one element when all agree, two ("mixed") if not.
        currencies={c for c in row[10:12] if c is not None},
    )


def build_report(turns: Iterable[StoredTurn], *, since: float | None, by: GroupBy) -> UsageReport:
    groups: dict[str, UsageRow] = {}
    total = UsageRow("total")
    for turn in turns:
        key = _key(turn, by)
        groups.setdefault(key, UsageRow(key)).add(turn)
        total.add(turn)
    return _report(list(groups.values()), total, since=since, by=by)


def _report(
    groups: list[UsageRow], total: UsageRow, *, since: float | None, by: GroupBy
) -> UsageReport:
    ordered = sorted(groups, key=lambda row: row.key)
    if by != "day":
        ordered.sort(key=lambda row: (-(row.cost or 0.0), -row.input_tokens, row.key))
    return UsageReport(by, since, ordered, total)


def _key(turn: StoredTurn, by: GroupBy) -> str:
    if by == "day":
        return datetime.fromtimestamp(turn.started_at).strftime("%Y-%m-%d")
    if by == "model":
        return turn.deployment
    return turn.conversation_id


def since_text(since: float | None) -> str | None:
    if since is None:
        return None
    return datetime.fromtimestamp(since).astimezone().isoformat(timespec="seconds")
