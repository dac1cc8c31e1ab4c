"""What a response costs: the built-in price table, config overrides and the arithmetic.

Prices are per 1M tokens, Azure OpenAI Global Standard (pay-as-you-go) rates in USD, taken on
the date in ``PRICES_TAKEN`` from the sources listed in docs/pricing.md. A deployment whose
model is not in the table and has no ``[prices."NAME"]`` entry in the config has no price: its
cost is ``None`` (shown as ``$?``), never a guess.

The arithmetic, per response: ``(input - cached) × input price + cached × cached-input price +
output × output price``, times the tier's multiplier (flex and batch bill at half the standard
rate, priority at ``priority``). Reasoning tokens are output tokens: the service already counts
them inside ``output_tokens``, so they are not added again.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from azresp_cli.core.errors import ConfigError
from azresp_cli.core.events import Usage

PRICES_TAKEN = "2026-12-04"
PER_TOKENS = 1_000_000


@dataclass(frozen=True)
class Price:
    """Per 1M tokens. ``cached_input`` None: cached tokens are billed as ordinary input."""

    input: float
    output: float
    cached_input: float | None = None


# Global Standard, USD per 1M tokens (docs/pricing.md says where each figure comes from).
BUILT_IN: Mapping[str, Price] = {
    "gpt-5": Price(1.25, 10.00, 0.125),
    "gpt-5-chat": Price(1.25, 10.00, 0.125),
    "gpt-5-codex": Price(1.25, 10.00, 0.125),
    "gpt-5-mini": Price(0.25, 2.00, 0.025),
    "gpt-5-nano": Price(0.05, 0.40, 0.005),
    "gpt-5-pro": Price(15.00, 120.00),
    "gpt-4.1": Price(2.00, 8.00, 0.50),
    "gpt-4.1-mini": Price(0.40, 1.60, 0.10),
    "gpt-4.1-nano": Price(0.10, 0.40, 0.025),
    "gpt-4o": Price(2.50, 10.00, 1.25),
    "gpt-4o-mini": Price(0.15, 0.60, 0.075),
    "o3": Price(2.00, 8.00, 0.50),
    "o3-mini": Price(1.10, 4.40, 0.55),
    "o4-mini": Price(1.10, 4.40, 0.275),
    "o1": Price(15.00, 60.00, 7.50),
}
# Multipliers on the standard rate, by the service tier that answered (and for batch).
DEFAULT_MULTIPLIERS: Mapping[str, float] = {
    "default": 1.0,
    "auto": 1.0,
    "flex": 0.5,
    "batch": 0.5,
    "priority": 2.0,
}
_DATED = re.compile(r"-\d{4}-\d{2}-\d{2}$")
_PRICE_KEYS = frozenset({"input", "output", "cached_input"})


@dataclass(frozen=True)
class PriceTable:
    """Built-in prices, the config's overrides (by deployment or model name), the multipliers."""

    overrides: Mapping[str, Price] = field(default_factory=dict)
    multipliers: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_MULTIPLIERS))
    currency: str = "USD"
    built_in: Mapping[str, Price] = field(default_factory=lambda: BUILT_IN)

    def price_for(self, deployment: str, model: str | None = None) -> Price | None:
        """The deployment's own override, the model's, then the built-in model price."""
        for name in (deployment, model):
            if name and name in self.overrides:
                return self.overrides[name]
        for name in (model, deployment):
            if name:
                found = self.built_in.get(_DATED.sub("", name.lower()))
                if found is not None:
                    return found
        return None

    def cost(
        self,
        usage: Usage | None,
        *,
        deployment: str,
        model: str | None = None,
        tier: str | None = None,
        batch: bool = False,
    ) -> float | None:
        """What ``usage`` costs, or None when there is no usage or no price (never a guess)."""
        price = self.price_for(deployment, model)
        if usage is None or price is None:
            return None
        return usage_cost(usage, price) * self.multiplier(tier, batch=batch)

    def worst_case(
        self,
        input_tokens: int,
        max_output_tokens: int,
        *,
        deployment: str,
        tier: str | None,
        model: str | None = None,
    ) -> float | None:
        """The most a request can cost: all input uncached, every allowed output token used."""
        usage = Usage(input_tokens=input_tokens, output_tokens=max_output_tokens)
        return self.cost(usage, deployment=deployment, model=model, tier=tier or "default")

    def multiplier(self, tier: str | None, *, batch: bool = False) -> float:
        if batch:
            return self.multipliers.get("batch", 0.5)
        return self.multipliers.get(tier or "default", 1.0)

    def format(self, amount: float | None, *, precise: bool = False) -> str:
        return format_money(amount, self.currency, precise=precise)


def usage_cost(usage: Usage, price: Price) -> float:
    """The standard-rate cost of ``usage``; reasoning tokens are inside ``output_tokens``."""
    cached = min(usage.cached_tokens, usage.input_tokens)
    cached_rate = price.input if price.cached_input is None else price.cached_input
    total = (
        (usage.input_tokens - cached) * price.input
        + cached * cached_rate
        + usage.output_tokens * price.output
    )
    return total / PER_TOKENS


def format_money(amount: float | None, currency: str = "USD", *, precise: bool = False) -> str:
    """``$0.0031``: four decimals below a dollar (two significant digits below $0.0001), two
    above; ``$?`` when unknown."""
    symbol = "$" if currency == "USD" else ""
    suffix = "" if currency == "USD" else f" {currency}"
    if amount is None:
        return f"{symbol}?{suffix}"
    if abs(amount) >= 1:
        text = f"{amount:,.2f}"
    elif precise:  # a budget: up to six decimals, so a small spend shows in what is left
        text = f"{amount:.6f}".rstrip("0")
        text = text + "0" * max(0, 2 - len(text.partition(".")[2]))
    elif amount == 0 or abs(amount) >= 0.0001:
        text = f"{amount:.4f}"
    else:  # two significant digits, so a tiny cost never reads as zero
        text = f"{amount:.{1 - math.floor(math.log10(abs(amount)))}f}"
    return f"{symbol}{text}{suffix}"


def price_table(config: Mapping[str, Any]) -> PriceTable:
    """The table with the config file's ``[prices]``: per-name entries and optional settings

    ``[prices] currency = "EUR"`` (then only the entries given are priced: the built-in table is
    in USD), ``[prices.multipliers] flex = 0.5 ...`` and ``[prices."NAME"] input = 1.25,
    cached_input = 0.31, output = 10`` for a deployment or model name."""
    section = config.get("prices")
    if section is None:
        return PriceTable()
    if not isinstance(section, Mapping):
        raise _bad("[prices] must be a table")
    currency = str(section.get("currency") or "USD")
    multipliers = dict(DEFAULT_MULTIPLIERS)
    raw_multipliers = section.get("multipliers") or {}
    if not isinstance(raw_multipliers, Mapping):
        raise _bad("[prices.multipliers] must be a table of numbers")
    for tier, value in raw_multipliers.items():
        multipliers[str(tier)] = _number(value, f"[prices.multipliers] {tier}")
    overrides: dict[str, Price] = {}
    for name, entry in section.items():
        if name in ("currency", "multipliers"):
            continue
        overrides[str(name)] = _price_entry(str(name), entry)
    return PriceTable(
        overrides=overrides,
        multipliers=multipliers,
        currency=currency,
        built_in=BUILT_IN if currency == "USD" else {},
    )


def _price_entry(name: str, entry: Any) -> Price:
    where = f'[prices."{name}"]'
    if not isinstance(entry, Mapping):
        raise _bad(f"{where} must be a table: input = 1.25, output = 10 (per 1M tokens)")
    unknown = set(entry) - _PRICE_KEYS
    if unknown:
        raise _bad(f"{where}: unknown key {', '.join(sorted(unknown))}")
    if "input" not in entry or "output" not in entry:
        raise _bad(f"{where} needs both input and output (per 1M tokens)")
    cached = entry.get("cached_input")
    return Price(
        input=_number(entry["input"], f"{where} input"),
        output=_number(entry["output"], f"{where} output"),
        cached_input=None if cached is None else _number(cached, f"{where} cached_input"),
    )


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise _bad(f"{where} must be a number ≥ 0, not {value!r}")
    return float(value)


def _bad(message: str) -> ConfigError:
    return ConfigError(
        f"config: {message}", hint="fix the [prices] table in config.toml (docs/pricing.md)"
    )
