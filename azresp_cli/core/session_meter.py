"""The chat session's spending rules: the budget check before each request, the flex fallback.

Kept apart from core/session.py, which calls them for every turn.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from azresp_cli.core.config import Settings
from azresp_cli.core.errors import RateLimitError
from azresp_cli.core.events import RetryScheduled, TurnEvent
from azresp_cli.core.meter import BUDGET_OUTPUT_CAP, Meter
from azresp_cli.core.request import TurnRequest
from azresp_cli.core.token_estimate import estimate_request
from azresp_cli.core.turn_options import ServiceTier

FLEX_REFUSED = "the flex tier has no capacity for it (HTTP 429)"


def capped(request: TurnRequest, meter: Meter) -> TurnRequest:
    """With a budget, a request without ``max_output_tokens`` gets ``BUDGET_OUTPUT_CAP``: the
    worst case must be finite to be checked."""
    if meter.max_cost is None or request.options.max_output_tokens is not None:
        return request
    return request.with_options(max_output_tokens=BUDGET_OUTPUT_CAP)


def budget_guard(
    meter: Meter, settings: Settings, context_tokens: Callable[[], int]
) -> Callable[[TurnRequest], None]:
    """The check run before every request of a turn (tool rounds too); raises
    BudgetExceededError (exit 10) when its worst case is above what is left.

    ``context_tokens``: what the service already holds for the chain (the last response's input
    plus output tokens), billed again as input when the request continues from it."""

    def check(request: TurnRequest) -> None:
        if meter.max_cost is None:
            return
        held = context_tokens() if request.previous_response_id else 0
        tokens = estimate_request(settings.deployment, request, held)
        cap = request.options.max_output_tokens or BUDGET_OUTPUT_CAP
        tier = request.options.service_tier
        worst = meter.prices.worst_case(
            tokens,
            cap,
            deployment=settings.deployment,
            tier=tier.value if tier else None,
            model=meter.models.get(settings.deployment),
        )
        meter.check(worst, input_tokens=tokens, output_cap=cap)

    return check


def with_flex_fallback(
    run: Callable[[TurnRequest], Iterator[TurnEvent]], request: TurnRequest, enabled: bool
) -> Iterator[TurnEvent]:
    """Run ``request``; with ``enabled`` and ``service_tier`` flex, a 429 that is not a used-up
    rate limit (the flex tier had no capacity) is sent once more with the default tier, and a
    ``RetryScheduled`` says so. Only before the service started on it: never twice an answer."""
    started = False
    refused: RateLimitError | None = None
    try:
        for event in run(request):
            started = started or not isinstance(event, RetryScheduled)
            yield event
        return
    except RateLimitError as error:
        if request.options.service_tier is not ServiceTier.FLEX or error.exhausted or started:
            raise
        if not enabled:
            error.hint = (
                "the flex tier had no capacity for it: retry later, or let azresp fall back to "
                "the default tier with --flex-fallback (flex_fallback = true in the profile)"
            )
            raise
        refused = error
    yield RetryScheduled(
        0.0, 1, 1, FLEX_REFUSED, refused.request_id, change="with the default tier"
    )
    yield from run(request.with_options(service_tier=ServiceTier.DEFAULT))
