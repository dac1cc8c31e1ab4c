"""The cost column of `batch fetch` and `batch run --live`: the configured price table, at the
batch rate (half) for a batch, at the answering tier's rate for a --live line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from batch_support import env_of, rows_of, submit, watch
from cli_support import RunCli

PRICES = '[prices."gpt-test"]\ninput = 2.0\ncached_input = 0.5\noutput = 8.0\n'


def _full_price(row: dict[str, Any]) -> float:
    fresh = int(row["input_tokens"]) - int(row["cached_tokens"])
    cached, output = int(row["cached_tokens"]), int(row["output_tokens"])
    return (fresh * 2.0 + cached * 0.5 + output * 8.0) / 1_000_000


@pytest.fixture
def priced(dirs: Any) -> None:
    dirs[0].mkdir(parents=True, exist_ok=True)
    (dirs[0] / "config.toml").write_text(PRICES, encoding="utf-8")


def test_fetch_prices_each_line_at_the_batch_rate(
    azresp: RunCli, emulator_env: dict[str, str], tmp_path: Path, priced: None
) -> None:
    env = env_of(emulator_env)
    (batch_id,) = submit(azresp, env, "-", stdin="first line\na longer second line to price\n")
    assert watch(azresp, env, batch_id).exit_code == 0
    out = tmp_path / "answers.csv"

    fetched = azresp("batch", "fetch", batch_id, "-o", str(out), env=env)

    assert fetched.exit_code == 0, fetched.stderr
    rows = rows_of(out)
    assert len(rows) == 2
    for row in rows:
        assert int(row["output_tokens"]) > 0
        assert "e" not in row["cost_usd"]  # plain decimals in a spreadsheet
        assert float(row["cost_usd"]) == pytest.approx(_full_price(row) * 0.5)


def test_live_lines_are_priced_at_the_tier_that_answered(
    azresp: RunCli, emulator_env: dict[str, str], tmp_path: Path, priced: None
) -> None:
    env = env_of(emulator_env)
    source = tmp_path / "prompts.txt"
    source.write_text("standard line\n")
    standard = tmp_path / "standard.jsonl"
    flex = tmp_path / "flex.jsonl"

    first = azresp("batch", "run", str(source), "--live", "-o", str(standard), env=env)
    second = azresp(
        "batch", "run", str(source), "--live", "--tier", "flex", "-o", str(flex), env=env
    )

    assert first.exit_code == 0, first.stderr
    assert second.exit_code == 0, second.stderr
    (row,) = rows_of(standard)
    assert row["cost_usd"] == pytest.approx(_full_price(row))
    (row,) = rows_of(flex)
    assert row["cost_usd"] == pytest.approx(_full_price(row) * 0.5)


def test_without_a_price_the_cost_stays_empty(
    azresp: RunCli, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    env = env_of(emulator_env)
    source = tmp_path / "prompts.txt"
    source.write_text("unpriced line\n")
    out = tmp_path / "out.csv"

    result = azresp("batch", "run", str(source), "--live", "-o", str(out), env=env)

    assert result.exit_code == 0, result.stderr
    (row,) = rows_of(out)
    assert row["status"] == "completed" and row["cost_usd"] == ""
