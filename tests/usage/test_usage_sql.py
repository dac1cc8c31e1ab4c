"""``azresp usage`` sums the history in SQLite: the same report as adding up every stored turn
in Python (``build_report``), over turns with every kind of gap: no usage, no cost, a legacy
row, another currency, several days, models and conversations."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from azresp_cli.core.events import Usage
from azresp_cli.core.history import HistoryStore, NewTurn, history_path
from azresp_cli.core.usage_report import GroupBy, build_report, usage_report

DAY = 86400.0
# Noon, local time, two days before a fixed moment: day keys do not depend on when tests run.
START = datetime(2026, 11, 20, 12, 0).timestamp()
USAGE = Usage(100, 20, 5, 40)


def record(
    store: HistoryStore,
    number: int,
    *,
    when: float,
    usage: Usage | None = USAGE,
    cost: float | None = 0.25,
    currency: str = "USD",
    deployment: str = "gpt-test",
    conversation: str = "conv_a",
    responses: int = 1,
) -> None:
    store.record(
        NewTurn(
            conversation_id=conversation,
            response_id=f"resp_{number}",
            parent_id=None,
            previous_response_id=None,
            prompt="p",
            answer="a",
            instructions=None,
            deployment=deployment,
            endpoint="https://r.openai.azure.com/openai/v1/",
            status="completed",
            stored=True,
            usage=usage,
            started_at=when,
            finished_at=when + 1,
            cost=cost,
            currency=currency,
            responses=responses,
        )
    )


@pytest.fixture
def store(tmp_path: Path) -> HistoryStore:
    opened = HistoryStore.open(history_path(tmp_path))
    record(opened, 1, when=START)
    record(opened, 2, when=START + 60, responses=3, cost=0.125)
    record(opened, 3, when=START + DAY, usage=None)  # the usage never came
    record(opened, 4, when=START + DAY + 5, cost=None, deployment="unpriced")
    record(opened, 5, when=START + 2 * DAY, currency="EUR", conversation="conv_b")
    record(opened, 6, when=START + 2 * DAY + 7, deployment="gpt-mini", conversation="conv_b")
    record(opened, 7, when=START + 2 * DAY + 9, responses=0, usage=Usage(1, 2, 0, 0))
    # A turn recorded before azresp kept costs: metered and cost are NULL.
    record(opened, 8, when=START + 3 * DAY, conversation="conv_c")
    opened.db.execute("UPDATE turns SET metered = NULL, cost = NULL WHERE response_id = 'resp_8'")
    return opened


@pytest.mark.parametrize("by", ["day", "model", "conversation"])
@pytest.mark.parametrize("since", [None, START + DAY])
def test_the_sql_report_equals_the_sum_of_the_stored_turns(
    store: HistoryStore, by: GroupBy, since: float | None
) -> None:
    try:
        expected = build_report(store.turns_since(since), since=since, by=by)
    finally:
        store.close()
    summed = usage_report(store.path, since=since, by=by)
    assert [row.as_json() for row in summed.groups] == [row.as_json() for row in expected.groups]
    assert summed.total.as_json() == expected.total.as_json()
    assert summed.currency == expected.currency
    assert summed.total.turns == (8 if since is None else 6)


def test_currencies_and_gaps_are_counted_as_the_report_shows_them(store: HistoryStore) -> None:
    store.close()
    report = usage_report(store.path, since=None, by="day")
    total = report.total
    assert report.currency == "mixed"  # USD and EUR turns
    # Unpriced: resp_3 (no usage, so no cost), resp_4 (no price), resp_8 (legacy row).
    assert total.unknown_usage_turns == 1 and total.unpriced_turns == 3
    assert total.responses == 1 + 3 + 1 + 1 + 1 + 1 + 1 + 1  # 0 counts as one response
    assert total.input_tokens == 100 * 6 + 1  # resp_3's tokens are unknown, not zero
    assert [row.key for row in report.groups] == [
        datetime.fromtimestamp(START + n * DAY).strftime("%Y-%m-%d") for n in range(4)
    ]
