"""The price table and its arithmetic, config overrides, and the prompt cache key on the wire."""

from __future__ import annotations

from pathlib import Path

import pytest
from azresp_fixtures import Bodies
from cli_support import RunCli
from usage_support import MakeSession, run_turn

from azresp_cli.core.errors import ConfigError
from azresp_cli.core.events import Usage
from azresp_cli.core.pricing import BUILT_IN, Price, PriceTable, format_money, price_table

USAGE = Usage(input_tokens=1_217, output_tokens=35, reasoning_tokens=96, cached_tokens=1_024)


def test_cost_is_uncached_input_plus_cached_input_plus_output_reasoning_included() -> None:
    table = PriceTable()
    gpt41 = BUILT_IN["gpt-4.1"]
    # Reasoning tokens are inside output_tokens: they are not added a second time.
    expected = (193 * gpt41.input + 1_024 * (gpt41.cached_input or 0) + 35 * gpt41.output) / 1e6
    assert table.cost(USAGE, deployment="my-dep", model="gpt-4.1-2025-04-14") == expected
    assert table.cost(USAGE, deployment="gpt-4.1") == expected  # named after the model


def test_tiers_and_batch_multiply_the_standard_rate() -> None:
    table = PriceTable()
    standard = table.cost(USAGE, deployment="gpt-4.1")
    assert standard is not None
    assert table.cost(USAGE, deployment="gpt-4.1", tier="flex") == pytest.approx(standard * 0.5)
    assert table.cost(USAGE, deployment="gpt-4.1", batch=True) == pytest.approx(standard * 0.5)
    assert table.cost(USAGE, deployment="gpt-4.1", tier="priority") == pytest.approx(standard * 2.0)
    assert table.cost(USAGE, deployment="gpt-4.1", tier="default") == standard


def test_an_unknown_deployment_has_no_cost_never_a_guess() -> None:
    table = PriceTable()
    assert table.cost(USAGE, deployment="my-deployment", model="my-fine-tune") is None
    assert table.cost(None, deployment="gpt-4.1") is None
    assert format_money(None) == "$?"


def test_a_model_without_a_cached_price_bills_cached_tokens_as_input() -> None:
    table = PriceTable(overrides={"d": Price(input=1.0, output=2.0)})
    assert table.cost(USAGE, deployment="d") == (1_217 * 1.0 + 35 * 2.0) / 1e6


def test_config_overrides_by_deployment_then_model_and_multipliers() -> None:
    table = price_table(
        {
            "prices": {
                "my-deployment": {"input": 1.25, "cached_input": 0.125, "output": 10},
                "gpt-4.1": {"input": 3, "output": 9},
                "multipliers": {"priority": 1.75},
            }
        }
    )
    assert table.price_for("my-deployment", "gpt-4.1") == Price(1.25, 10.0, 0.125)
    assert table.price_for("other", "gpt-4.1") == Price(3.0, 9.0)
    assert table.price_for("other", "gpt-4o") == BUILT_IN["gpt-4o"]
    assert table.multiplier("priority") == 1.75 and table.multiplier("flex") == 0.5


def test_another_currency_prices_only_what_the_config_gives() -> None:
    table = price_table({"prices": {"currency": "EUR", "mine": {"input": 1, "output": 2}}})
    assert table.cost(USAGE, deployment="gpt-4.1") is None
    assert table.format(table.cost(USAGE, deployment="mine")) == "0.0013 EUR"


@pytest.mark.parametrize(
    "section",
    [
        {"d": {"input": 1}},
        {"d": {"input": "cheap", "output": 1}},
        {"d": {"input": 1, "output": 2, "cachd_input": 1}},
        {"d": 3},
        {"multipliers": {"flex": -1}},
    ],
)
def test_a_wrong_price_entry_is_a_config_error(section: dict[str, object]) -> None:
    with pytest.raises(ConfigError, match=r"\[prices"):
        price_table({"prices": section})


def test_a_wrong_price_table_stops_chat_with_exit_2(
    azresp: RunCli, emulator_env: dict[str, str], dirs: tuple[Path, Path]
) -> None:
    dirs[0].mkdir(parents=True)
    (dirs[0] / "config.toml").write_text('[prices."d"]\ninput = 1\n', encoding="utf-8")
    result = azresp("chat", "hi", env=emulator_env)
    assert result.exit_code == 2 and "needs both input and output" in result.stderr


def test_each_conversation_sends_its_own_prompt_cache_key(
    make_session: MakeSession, creates: Bodies
) -> None:
    session = make_session()
    run_turn(session, "[[reply:one]]")
    run_turn(session, "[[reply:two]]")
    session.new_chain()
    run_turn(session, "[[reply:three]]")
    keys = [body.get("prompt_cache_key") for body in creates()]
    assert keys[0] == keys[1] and str(keys[0]).startswith("azresp-conv_")
    assert keys[2] != keys[0] and str(keys[2]).startswith("azresp-conv_")
    session.options = session.options.changed(prompt_cache_key=False)
    run_turn(session, "[[reply:four]]")
    assert "prompt_cache_key" not in creates()[-1]


def test_no_cache_key_on_the_command_line_sends_none(
    azresp: RunCli, emulator_env: dict[str, str], creates: Bodies
) -> None:
    assert azresp("chat", "[[reply:one]]", env=emulator_env).exit_code == 0
    assert azresp("chat", "-c", "[[reply:two]]", env=emulator_env).exit_code == 0
    assert azresp("chat", "--no-cache-key", "[[reply:three]]", env=emulator_env).exit_code == 0
    keys = [body.get("prompt_cache_key") for body in creates()]
    assert keys[0] is not None and keys[0] == keys[1]  # -c continues the same conversation
    assert keys[2] is None
