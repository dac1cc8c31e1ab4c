"""--max-cost: a turn whose worst case is above what is left is refused before it is sent."""

from __future__ import annotations

from pathlib import Path

import pytest
from azresp_fixtures import Bodies, assert_one_error
from cli_support import RunCli
from usage_support import MakeSession, run_turn

from azresp_cli.core.errors import BudgetExceededError, ExitCode
from azresp_cli.core.meter import BUDGET_OUTPUT_CAP

PRICES = '[prices."gpt-test"]\ninput = 2.0\ncached_input = 0.5\noutput = 8.0\n'


def test_a_one_shot_turn_that_could_exceed_the_budget_is_refused_with_exit_10(
    azresp: RunCli, emulator_env: dict[str, str], dirs: tuple[Path, Path], creates: Bodies
) -> None:
    dirs[0].mkdir(parents=True)
    (dirs[0] / "config.toml").write_text(PRICES, encoding="utf-8")
    # 1,000 output tokens at $8 per 1M cost $0.008 at most: over a $0.005 budget.
    refused = azresp(
        "chat", "--max-cost", "0.005", "--max-output-tokens", "1000", "hi", env=emulator_env
    )
    line = assert_one_error(refused, ExitCode.BUDGET)
    assert "could cost up to $0.0080" in line and "$0.005 of the $0.005 budget" in line
    assert creates() == []  # nothing went over the wire
    fits = azresp(
        "chat",
        "--max-cost",
        "0.005",
        "--max-output-tokens",
        "500",
        "[[reply:ok]]",
        env=emulator_env,
    )
    assert fits.exit_code == 0 and fits.stdout == "ok\n"
    assert [body["max_output_tokens"] for body in creates()] == [500]
    assert "of $0.005 left" in fits.stderr  # the remaining budget, after the turn


def test_the_profile_budget_applies_and_caps_output_when_no_cap_was_given(
    azresp: RunCli, emulator_env: dict[str, str], dirs: tuple[Path, Path], creates: Bodies
) -> None:
    dirs[0].mkdir(parents=True)
    (dirs[0] / "config.toml").write_text(
        PRICES + "\n[profiles.default]\nmax_cost = 1.0\n", encoding="utf-8"
    )
    result = azresp("chat", "[[reply:ok]]", env=emulator_env)
    assert result.exit_code == 0, result.stderr
    assert creates()[0]["max_output_tokens"] == BUDGET_OUTPUT_CAP
    assert "of $1.00 left" in result.stderr


def test_a_session_budget_lets_the_turn_that_fits_and_refuses_the_next(
    make_session: MakeSession, creates: Bodies
) -> None:
    session = make_session(max_cost=0.0160)
    session.options = session.options.changed(max_output_tokens=1000)  # at most $0.008 a turn
    _, done = run_turn(session, "[[long:900]] a long answer")
    spent = session.meter.spent
    assert done.response.usage is not None and spent > 0.007
    assert session.meter.remaining == pytest.approx(0.0160 - spent)
    # The next turn carries the whole context; its worst case no longer fits in what is left.
    with pytest.raises(BudgetExceededError) as refused:
        run_turn(session, "[[long:900]] and another one")
    assert refused.value.exit_code == ExitCode.BUDGET
    assert len(creates()) == 1  # refused before sending
    assert session.meter.spent == spent


def test_a_budget_needs_a_price(make_session: MakeSession, creates: Bodies) -> None:
    from azresp_cli.core.pricing import PriceTable

    session = make_session(max_cost=1.0, prices=PriceTable())
    with pytest.raises(BudgetExceededError, match="has no price"):
        run_turn(session, "hi")
    assert creates() == []
