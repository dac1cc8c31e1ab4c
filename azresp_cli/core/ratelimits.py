"""The service's rate-limit headers: what is left, what the limit is, when it resets.

Azure sends ``x-ratelimit-remaining-requests`` / ``-tokens`` (and, on some resources, the
``x-ratelimit-limit-*`` and ``x-ratelimit-reset-*`` of OpenAI's API). Missing values and the
nonsense the service has been seen to send (``-1``, a limit of ``0``, text) are dropped, never
shown. ``describe_429`` says which limit a 429 hit and when it resets.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_DURATION = re.compile(r"^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?$")
_MILLIS = re.compile(r"^(\d+(?:\.\d+)?)ms$")


@dataclass(frozen=True)
class RateLimits:
    """One response's rate-limit figures; None where a header was missing or made no sense."""

    remaining_requests: int | None = None
    remaining_tokens: int | None = None
    limit_requests: int | None = None
    limit_tokens: int | None = None
    reset_requests: float | None = None  # seconds
    reset_tokens: float | None = None

    @property
    def known(self) -> bool:
        return self.remaining_requests is not None or self.remaining_tokens is not None

    def summary(self) -> str | None:
        """``4,990/5,000 requests · 97,000/100,000 tokens left`` (what is known of it)."""
        parts = []
        for left, limit, unit in (
            (self.remaining_requests, self.limit_requests, "requests"),
            (self.remaining_tokens, self.limit_tokens, "tokens"),
        ):
            if left is None:
                continue
            parts.append(f"{left:,}/{limit:,} {unit}" if limit else f"{left:,} {unit}")
        return " · ".join(parts) + " left" if parts else None

    def as_json(self) -> dict[str, Any]:
        return {
            "remaining_requests": self.remaining_requests,
            "remaining_tokens": self.remaining_tokens,
            "limit_requests": self.limit_requests,
            "limit_tokens": self.limit_tokens,
            "reset_requests_s": self.reset_requests,
            "reset_tokens_s": self.reset_tokens,
        }


def rate_limits(headers: Any, *, refused: bool = False) -> RateLimits | None:
    """The figures in ``headers`` (any mapping with ``get``), or None when there are none.

    On a response that went through (``refused`` False) a remaining count of 0 is nonsense (the
    request would have been refused) and is dropped; on a 429 it says which limit was hit."""
    if headers is None:
        return None
    limit_requests = _count(headers.get("x-ratelimit-limit-requests"), positive=True)
    limit_tokens = _count(headers.get("x-ratelimit-limit-tokens"), positive=True)
    limits = RateLimits(
        remaining_requests=_remaining(
            headers.get("x-ratelimit-remaining-requests"), limit_requests, refused=refused
        ),
        remaining_tokens=_remaining(
            headers.get("x-ratelimit-remaining-tokens"), limit_tokens, refused=refused
        ),
        limit_requests=limit_requests,
        limit_tokens=limit_tokens,
        reset_requests=parse_duration(headers.get("x-ratelimit-reset-requests")),
        reset_tokens=parse_duration(headers.get("x-ratelimit-reset-tokens")),
    )
    if limits == RateLimits():
        return None
    return limits


def describe_429(headers: Mapping[str, str] | Any) -> tuple[str | None, float | None]:
    """Which limit a 429 used up (``the tokens-per-minute limit (100,000) is used up``) and in
    how many seconds it resets, as far as the headers say."""
    limits = rate_limits(headers, refused=True)
    if limits is None:
        return None, None
    exhausted = [
        (unit, limit, reset)
        for unit, left, limit, reset in (
            ("tokens", limits.remaining_tokens, limits.limit_tokens, limits.reset_tokens),
            ("requests", limits.remaining_requests, limits.limit_requests, limits.reset_requests),
        )
        if left == 0
    ]
    if not exhausted:
        return None, None
    names = " and ".join(
        f"the {unit}-per-minute limit" + (f" ({limit:,})" if limit else "")
        for unit, limit, _ in exhausted
    )
    resets = [reset for _, _, reset in exhausted if reset is not None]
    verb = "are" if len(exhausted) > 1 else "is"
    return f"{names} {verb} used up", max(resets) if resets else None


def seconds_text(value: float) -> str:
    """``250 ms``, ``12 s``, ``3 min``."""
    if value < 1:
        return f"{value * 1000:.0f} ms"
    if value < 90:
        return f"{value:.0f} s"
    return f"{value / 60:.0f} min"


def parse_duration(value: Any) -> float | None:
    """``12``, ``12s``, ``1m30s``, ``250ms``, ``6m0s`` → seconds; None for anything else."""
    if value is None:
        return None
    text = str(value).strip()
    millis = _MILLIS.match(text)
    if millis:
        return float(millis.group(1)) / 1000
    try:
        seconds = float(text)
    except ValueError:
        match = _DURATION.match(text)
        if not match or not any(match.groups()):
            return None
        hours, minutes, secs = (float(g) if g else 0.0 for g in match.groups())
        seconds = hours * 3600 + minutes * 60 + secs
    return seconds if seconds >= 0 else None


def _count(value: Any, *, positive: bool) -> int | None:
    if value is None:
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        return None
    if number < 0 or (positive and number == 0):
        return None
    return number


def _remaining(value: Any, limit: int | None, *, refused: bool) -> int | None:
    """A remaining count: ≥ 0 (> 0 on a request that went through), not above the limit."""
    number = _count(value, positive=not refused)
    if number is None or (limit is not None and number > limit):
        return None
    return number
