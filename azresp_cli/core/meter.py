"""What a session has spent: every response billed, the budget, the last rate-limit figures.

The chat session charges each response here as it completes (tool rounds too); the footer, the
REPL toolbar and ``/usage`` read the same figures, so they always agree. With a budget
(``--max-cost``) each request is checked first against its worst case: the input tokens
counted locally (core/token_estimate.py) plus ``max_output_tokens``, all at full price.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from azresp_cli.core.errors import BudgetExceededError
from azresp_cli.core.events import ResponseRecord, Usage
from azresp_cli.core.pricing import PriceTable
from azresp_cli.core.ratelimits import RateLimits

# With a budget and no --max-output-tokens, requests are capped at this many output tokens so
# that the worst case is known.
BUDGET_OUTPUT_CAP = 4096


@dataclass(frozen=True)
class Charge:
    """One billed response."""

    response_id: str
    usage: Usage | None
    cost: float | None  # None: no price for the deployment, or no usage reported
    tier: str | None
    deployment: str
    turn: int  # which turn of the session (1-based) it belongs to


@dataclass(frozen=True)
class TurnBill:
    """All the responses of one turn, added up."""

    responses: int
    usage: Usage | None
    cost: float | None
    tier: str | None


@dataclass
class Meter:
    prices: PriceTable = field(default_factory=PriceTable)
    max_cost: float | None = None
    charges: list[Charge] = field(default_factory=list)
    limits: RateLimits | None = None
    turn: int = 0  # the number of the turn being charged
    # The model each deployment turned out to run (the service names it in every response),
    # so a deployment priced by its model's name is known before its next request.
    models: dict[str, str] = field(default_factory=dict)

    def start_turn(self) -> None:
        self.turn += 1

    def charge(self, record: ResponseRecord, deployment: str) -> Charge:
        return self.charge_usage(
            record.id, record.usage, deployment, model=record.model, tier=record.service_tier
        )

    def charge_usage(
        self,
        response_id: str,
        usage: Usage | None,
        deployment: str,
        *,
        model: str | None = None,
        tier: str | None = None,
    ) -> Charge:
        cost = self.prices.cost(usage, deployment=deployment, model=model or None, tier=tier)
        if model:
            self.models[deployment] = model
        charge = Charge(response_id, usage, cost, tier, deployment, self.turn)
        self.charges.append(charge)
        return charge

    def observe_limits(self, limits: RateLimits | None) -> None:
        if limits is not None:
            self.limits = limits

    def bill(self, response_ids: list[str]) -> TurnBill:
        """The responses named, added up (a turn's tool rounds and its answer)."""
        found = [c for c in self.charges if c.response_id in set(response_ids)]
        return add_up(found)

    def turn_bills(self) -> list[tuple[int, TurnBill]]:
        """Every turn of the session so far, in order."""
        numbers = sorted({c.turn for c in self.charges})
        return [(n, add_up([c for c in self.charges if c.turn == n])) for n in numbers]

    @property
    def total(self) -> TurnBill:
        return add_up(self.charges)

    @property
    def spent(self) -> float:
        """What the priced responses cost (unpriced ones are counted in ``total.cost`` as None)."""
        return sum(c.cost for c in self.charges if c.cost is not None)

    @property
    def remaining(self) -> float | None:
        if self.max_cost is None:
            return None
        return max(self.max_cost - self.spent, 0.0)

    def check(self, worst_case: float | None, *, input_tokens: int, output_cap: int) -> None:
        """Refuse a request whose worst case is above what is left of the budget, or whose
        cost cannot be known at all (no price: a budget cannot be kept without one)."""
        if self.max_cost is None:
            return
        money = self.prices.format
        if worst_case is None:
            raise BudgetExceededError(
                "refused: --max-cost is set but this deployment has no price, so the cost of "
                "the turn cannot be known",
                hint='add [prices."DEPLOYMENT"] input = …, output = … to config.toml '
                "(docs/pricing.md), or drop --max-cost",
            )
        left = self.remaining or 0.0
        if worst_case > left:
            raise BudgetExceededError(
                f"refused: this turn could cost up to {money(worst_case)} "
                f"({input_tokens:,} input tokens + {output_cap:,} output tokens at most), "
                f"and {money(left, precise=True)} of the {money(self.max_cost, precise=True)} "
                "budget is left",
                hint="raise --max-cost, lower --max-output-tokens, or start a new conversation "
                "(a shorter context costs less)",
            )


def add_up(charges: list[Charge]) -> TurnBill:
    usages = [c.usage for c in charges if c.usage is not None]
    usage = (
        Usage(
            input_tokens=sum(u.input_tokens for u in usages),
            output_tokens=sum(u.output_tokens for u in usages),
            reasoning_tokens=sum(u.reasoning_tokens for u in usages),
            cached_tokens=sum(u.cached_tokens for u in usages),
        )
        if usages
        else None
    )
    costs = [c.cost for c in charges]
    cost = None if not costs or any(c is None for c in costs) else sum(c for c in costs if c)
    tiers = [c.tier for c in charges if c.tier]
    return TurnBill(len(charges), usage, cost, tiers[-1] if tiers else None)


def usage_words(usage: Usage) -> str:
    """``1,217 in (1,024 cached) · 96 reasoning · 35 out``: the footer's and toolbar's words."""
    cached = f" ({usage.cached_tokens:,} cached)" if usage.cached_tokens else ""
    parts = [f"{usage.input_tokens:,} in{cached}"]
    if usage.reasoning_tokens:
        parts.append(f"{usage.reasoning_tokens:,} reasoning")
    parts.append(f"{usage.output_tokens:,} out")
    return " · ".join(parts)


def budget_words(meter: Meter) -> str | None:
    """``$0.9969 of $1.00 left``, or None without a budget."""
    if meter.max_cost is None:
        return None
    money = meter.prices.format
    left, budget = money(meter.remaining, precise=True), money(meter.max_cost, precise=True)
    return f"{left} of {budget} left"


def records_bill(meter: Meter, records: list[ResponseRecord]) -> TurnBill:
    """The bill of ``records``: as charged when the session charged them all, else priced here
    from the records themselves (a background stream followed without a session)."""
    ids = [r.id for r in records]
    charged = {c.response_id for c in meter.charges}
    if ids and all(i in charged for i in ids):
        return meter.bill(ids)
    return add_up(
        [
            Charge(
                r.id,
                r.usage,
                meter.prices.cost(r.usage, deployment=r.model, model=r.model, tier=r.service_tier),
                r.service_tier,
                r.model,
                0,
            )
            for r in records
        ]
    )


def cache_share(usage: Usage | None) -> str:
    """``84% cached`` of the input tokens; ``0% cached`` when none, ``-`` without usage."""
    if usage is None or not usage.input_tokens:
        return "-"
    return f"{100 * usage.cached_tokens / usage.input_tokens:.0f}% cached"


def usage_lines(meter: Meter) -> list[str]:
    """``/usage``: one line per turn, then the session's total, the budget and the limits."""
    money = meter.prices.format
    bills = meter.turn_bills()
    if not bills:
        return ["no turns yet in this session"]
    lines = []
    for number, bill in bills:
        words = usage_words(bill.usage) if bill.usage else "usage unknown"
        tier = f" · {bill.tier}" if bill.tier else ""
        rounds = f" · {bill.responses} responses" if bill.responses > 1 else ""
        lines.append(
            f"turn {number}: {words} · {cache_share(bill.usage)} · {money(bill.cost)}{tier}{rounds}"
        )
    total = meter.total
    words = usage_words(total.usage) if total.usage else "usage unknown"
    lines.append(f"total: {words} · {cache_share(total.usage)} · {money(total.cost)}")
    if total.cost is None and meter.spent:
        lines.append(f"  (priced responses: {money(meter.spent)}; the others have no price)")
    left = budget_words(meter)
    if left:
        lines.append(f"budget: {left}")
    limits = meter.limits.summary() if meter.limits else None
    if limits:
        lines.append(f"rate limits: {limits}")
    return lines
