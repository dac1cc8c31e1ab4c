"""Rate-limit headers that go down as you spend, and the 429 when a budget runs out.

Each `POST /responses` spends one request and its estimated tokens (the input's tokens plus
`max_output_tokens`, as Azure estimates them) from a per-minute window. Every reply to it
carries `x-ratelimit-limit-requests/-tokens`, `x-ratelimit-remaining-requests/-tokens` and
`x-ratelimit-reset-requests/-tokens`; a request the window cannot hold is a 429 naming the
limit, with `retry-after-ms`/`retry-after` until the window resets.

`[[ratelimit:requests=N tokens=M]]` in a prompt sets the budget (and starts a new window) so
tests reach a limit in a few requests; `[[ratelimit:nonsense]]` makes the replies carry the
values the service has been seen to send (-1, a limit of 0, text), `[[ratelimit:off]]` none.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from azresp_cli.emulator import directives, tokens
from azresp_cli.emulator.errors import ApiError, error_body, invalid_request

WINDOW = 60.0  # seconds: Azure's limits are per minute
DEFAULT_REQUESTS = 10_000  # EmulatorConfig.rate_limit_requests, `azresp emulator --rpm`
DEFAULT_TOKENS = 10_000_000  # EmulatorConfig.rate_limit_tokens, `azresp emulator --tpm`
NONSENSE = {
    "x-ratelimit-limit-requests": "0",
    "x-ratelimit-remaining-requests": "-1",
    "x-ratelimit-limit-tokens": "n/a",
    "x-ratelimit-remaining-tokens": "-1",
}


@dataclass
class RateBudget:
    requests: int = DEFAULT_REQUESTS
    tokens: int = DEFAULT_TOKENS
    mode: str = "on"  # on, nonsense, off
    clock: Callable[[], float] = time.monotonic
    _window_start: float | None = None
    _spent_requests: int = 0
    _spent_tokens: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def apply(self, argument: str) -> None:
        """A `[[ratelimit:…]]` directive's argument."""
        words = argument.replace(",", " ").split()
        with self._lock:
            for word in words:
                name, _, value = word.partition("=")
                if name in ("nonsense", "off", "on") and not value:
                    self.mode = name
                elif name in ("requests", "tokens") and value.isdigit():
                    setattr(self, name, int(value))
                    self.mode = "on"
                else:
                    raise invalid_request(
                        f"Unknown ratelimit setting '{word}'. Use requests=N, tokens=N, "
                        "nonsense, off or on.",
                        param="input",
                    )
            self._window_start = None  # a new budget starts a new window

    def spend(self, cost: int) -> dict[str, str]:
        """Spend one request and ``cost`` tokens; the headers of the reply. Raises the 429."""
        with self._lock:
            if self.mode == "off":
                return {}
            if self.mode == "nonsense":
                return dict(NONSENSE)
            now = self.clock()
            if self._window_start is None or now - self._window_start >= WINDOW:
                self._window_start, self._spent_requests, self._spent_tokens = now, 0, 0
            reset = max(WINDOW - (now - self._window_start), 0.0)
            if self._spent_requests + 1 > self.requests:
                raise self._refused("requests", reset)
            if self._spent_tokens + cost > self.tokens:
                raise self._refused("tokens", reset)
            self._spent_requests += 1
            self._spent_tokens += cost
            return self._headers(reset)

    def _headers(self, reset: float) -> dict[str, str]:
        return {
            "x-ratelimit-limit-requests": str(self.requests),
            "x-ratelimit-remaining-requests": str(self.requests - self._spent_requests),
            "x-ratelimit-limit-tokens": str(self.tokens),
            "x-ratelimit-remaining-tokens": str(self.tokens - self._spent_tokens),
            "x-ratelimit-reset-requests": f"{math.ceil(reset)}s",
            "x-ratelimit-reset-tokens": f"{math.ceil(reset)}s",
        }

    def _refused(self, which: str, reset: float) -> ApiError:
        headers = self._headers(reset)
        headers[f"x-ratelimit-remaining-{which}"] = "0"
        headers["retry-after-ms"] = str(math.ceil(reset * 1000))
        headers["retry-after"] = str(math.ceil(reset))
        unit = "call rate limit" if which == "requests" else "token rate limit"
        message = (
            "Requests to the Responses_Create Operation under Azure OpenAI API version v1 have "
            f"exceeded {unit} of your current AIServices S0 pricing tier. Please retry after "
            f"{math.ceil(reset)} seconds. Please contact Azure support service if you would "
            "like to further increase the default rate limit."
        )
        return ApiError(429, error_body(message, type_=which, code="429"), headers)


def request_cost(body: Any) -> int:
    """The tokens a create is estimated at: its input's tokens plus `max_output_tokens`."""
    if not isinstance(body, dict):
        return 0
    text = json.dumps(body.get("input") or "") + str(body.get("instructions") or "")
    cap = body.get("max_output_tokens")
    return tokens.count(text) + (cap if isinstance(cap, int) and cap > 0 else 0)


def apply_directives(budget: RateBudget, body: Any) -> None:
    """Apply the `[[ratelimit:…]]` directives of a create's latest user message."""
    if not isinstance(body, dict):
        return
    for directive in directives.find(directives.latest_user_text(body.get("input"))):
        if directive.name == "ratelimit":
            budget.apply(directive.argument)
