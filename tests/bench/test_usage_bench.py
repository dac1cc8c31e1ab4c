"""bench/usage.py's history: written through azresp's schema, every turn counted by `usage`."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # `pytest` run as a console script has no cwd on sys.path
    sys.path.insert(0, str(REPO))

from azresp_cli.core.usage_report import usage_report  # noqa: E402
from bench.usage import write_history  # noqa: E402


def test_the_benchmark_history_is_one_azresp_reads_in_full(tmp_path: Path) -> None:
    path = write_history(tmp_path, 300)
    by_model = usage_report(path, since=None, by="model")
    by_day = usage_report(path, since=None, by="day")
    assert by_model.total.turns == by_day.total.turns == 300
    assert by_model.total.priced_turns == 300 and by_model.currency == "USD"
    assert {row.key for row in by_model.groups} == {"gpt-4.1", "gpt-4.1-mini", "o4-mini"}
    assert sum(row.turns for row in by_day.groups) == 300 and len(by_day.groups) > 30
