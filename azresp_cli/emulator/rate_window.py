"""A requests-per-minute limit on POST /responses, as an Azure deployment's quota imposes.

`EmulatorConfig.rate_limit_rpm` requests a minute, counted over a sliding window of
`rate_window` seconds (Azure counts over short windows too): at most rpm * window / 60
requests start in any window. Every reply says where the client stands
(`x-ratelimit-limit-requests`, `x-ratelimit-remaining-requests`); one over the limit is a 429
with `retry-after-ms` and `retry-after`, and is logged as refused (`rejected: 429`).
"""

from __future__ import annotations

import math
import time
from collections import deque

from azresp_cli.emulator.errors import ApiError, error_body


class RateLimiter:
    def __init__(self, rpm: int, window: float) -> None:
        self.rpm = rpm
        self.window = window
        self.allowed = max(1, math.floor(rpm * window / 60))
        self._starts: deque[float] = deque()

    def admit(self) -> dict[str, str]:
        """Headers for an admitted request; raises the 429 for one over the limit."""
        now = time.monotonic()
        while self._starts and self._starts[0] <= now - self.window:
            self._starts.popleft()
        if len(self._starts) >= self.allowed:
            wait = self._starts[0] + self.window - now
            raise ApiError(
                429,
                error_body(
                    "Requests to the Responses API have exceeded the rate limit of your "
                    f"deployment ({self.rpm} requests per minute). Please retry after "
                    f"{math.ceil(wait)} seconds.",
                    type_="requests",
                    code="429",
                ),
                {
                    **self._headers(0),
                    "retry-after-ms": str(max(1, math.ceil(wait * 1000))),
                    "retry-after": str(max(1, math.ceil(wait))),
                },
            )
        self._starts.append(now)
        return self._headers(self.allowed - len(self._starts))

    def _headers(self, remaining: int) -> dict[str, str]:
        return {
            "x-ratelimit-limit-requests": str(self.rpm),
            "x-ratelimit-remaining-requests": str(remaining),
        }
