"""Fault specs (`[[fault:…]]` directives or an `x-emulator-fault` header) and their effects.

A spec is a kind plus options, e.g. `503 once`, `429 retry-after-ms=20`,
`content_filter hate,violence`, `cut:5`. HTTP faults become an `ApiError` before any work
is done; stream faults change how a response's events end or how a connection carries
them. `once` fails only the first request whose fault text and body are identical, so an
SDK's automatic retry of that request succeeds. DIRECTIVES.md lists every kind.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Literal

from azresp_cli.emulator.directives import MAX_SLOW_FIRST_BYTE_MS
from azresp_cli.emulator.errors import ApiError, error_body, invalid_request

Ending = Literal["completed", "output_filter", "failed", "error_event"]

HEADER = "x-emulator-fault"
CONTENT_FILTER_CATEGORIES = ("hate", "self_harm", "sexual", "violence")
_STATUS_FAULTS = {
    "408": ("Timeout", "timeout", "The operation was timeout."),
    "500": (
        "server_error",
        "server_error",
        "The server had an error while processing your request. Sorry about that!",
    ),
    "502": ("BadGateway", "server_error", "Bad gateway."),
    "503": (
        "ServiceUnavailable",
        "server_error",
        "The service is temporarily unable to process your request. Please try again later.",
    ),
}
_ENDINGS: dict[str, Ending] = {
    "output_filter": "output_filter",
    "failed": "failed",
    "error_event": "error_event",
}
_NEEDS_NUMBER = ("cut", "cut_every", "slow_first_byte")  # cut:K, cut_every:K, slow_first_byte:MS
_MAY_HAVE_NUMBER = ("malformed",)  # malformed or malformed:K
_PLAIN = (*_STATUS_FAULTS, "429", "content_filter", *_ENDINGS, "no_resume")
_KINDS = (*_PLAIN, "malformed[:K]", "cut:K", "cut_every:K", "slow_first_byte:MS")
MALFORMED_AFTER = 2  # a broken frame right after response.created and .in_progress


@dataclass(frozen=True)
class FaultSpec:
    kind: str  # "503", "cut", "content_filter", ...
    value: int | None  # the K of cut:K, the MS of slow_first_byte:MS
    options: tuple[str, ...]  # everything after the kind, e.g. ("once", "retry-after=2")
    source: str  # the exact directive or header text, which `once` remembers

    @property
    def is_once(self) -> bool:
        return "once" in self.options


@dataclass(frozen=True)
class FaultPlan:
    """What the faults of one request do, after `once` has been applied."""

    http_error: ApiError | None = None
    first_byte_delay: float = 0.0
    cut_after: int | None = None  # close the connection after this many events
    cut_every: int | None = None  # close every connection of the response after this many
    malformed_after: int | None = None  # send a non-JSON frame after this many events
    ending: Ending = "completed"
    filtered: tuple[str, ...] = ()  # output_filter: the categories it names
    is_resumable: bool = True


@dataclass
class OnceMemory:
    """Keys of `once` faults already fired; lives as long as the emulator (or a reset)."""

    fired: set[str] = field(default_factory=set)

    def first_time(self, spec: FaultSpec, request_identity: bytes) -> bool:
        key = hashlib.sha256(spec.source.encode() + b"\0" + request_identity).hexdigest()
        if key in self.fired:
            return False
        self.fired.add(key)
        return True


def parse(text: str, source: str) -> FaultSpec:
    """One spec from the text after `fault:` (or one `;`-separated header part)."""
    words = text.split()
    if not words:
        raise unknown_fault(text)
    head, options = words[0], tuple(words[1:])
    kind, has_number, number = head.partition(":")
    if has_number and kind in (*_NEEDS_NUMBER, *_MAY_HAVE_NUMBER) and number.isdigit():
        if kind == "slow_first_byte" and int(number) > MAX_SLOW_FIRST_BYTE_MS:
            raise invalid_request(
                f"Invalid emulator fault '{text.strip()}': slow_first_byte is at most "
                f"{MAX_SLOW_FIRST_BYTE_MS:,} ms.",
                param="input",
            )
        return FaultSpec(kind, int(number), options, source)
    if not has_number and kind in (*_PLAIN, *_MAY_HAVE_NUMBER):
        return FaultSpec(kind, None, options, source)
    raise unknown_fault(text)


def parse_header(value: str) -> list[FaultSpec]:
    return [parse(part, f"header:{part.strip()}") for part in value.split(";") if part.strip()]


def plan(specs: Iterable[FaultSpec], request_identity: bytes, memory: OnceMemory) -> FaultPlan:
    """Fold the specs that fire on this request into one plan (the last of a kind wins)."""
    result = FaultPlan()
    for spec in specs:
        if spec.is_once and not memory.first_time(spec, request_identity):
            continue
        result = _apply(result, spec)
    return result


def _apply(current: FaultPlan, spec: FaultSpec) -> FaultPlan:
    kind = spec.kind
    if kind in _STATUS_FAULTS:
        code, type_, message = _STATUS_FAULTS[kind]
        error = error_body(message, type_=type_, code=code)
        return replace(current, http_error=ApiError(int(kind), error, _retry_headers(spec.options)))
    if kind == "429":
        return replace(current, http_error=_rate_limited(spec.options))
    if kind == "content_filter":
        return replace(current, http_error=_content_filtered(spec.options))
    if kind == "output_filter":
        return replace(current, ending="output_filter", filtered=_categories(spec.options))
    if kind in _ENDINGS:
        return replace(current, ending=_ENDINGS[kind])
    if kind == "cut":
        return replace(current, cut_after=spec.value)
    if kind == "cut_every":
        return replace(current, cut_every=spec.value)
    if kind == "malformed":
        after = MALFORMED_AFTER if spec.value is None else spec.value
        return replace(current, malformed_after=after)
    if kind == "slow_first_byte":
        return replace(current, first_byte_delay=(spec.value or 0) / 1000)
    return replace(current, is_resumable=False)  # no_resume, the only kind left


def _retry_headers(options: tuple[str, ...]) -> dict[str, str]:
    """`retry-after=S` / `retry-after-ms=MS` options as the headers the SDKs read."""
    headers = {}
    for option in options:
        name, _, value = option.partition("=")
        if name in ("retry-after", "retry-after-ms") and value.isdigit():
            headers[name] = value
    return headers


def _rate_limited(options: tuple[str, ...]) -> ApiError:
    headers = {"x-ratelimit-remaining-requests": "0", "x-ratelimit-remaining-tokens": "0"}
    headers.update(_retry_headers(options))
    seconds = headers.get("retry-after")
    wait = (
        "a short while" if seconds is None else f"{seconds} second{'' if seconds == '1' else 's'}"
    )
    message = (
        "Requests to the Responses_Create Operation under Azure OpenAI API version v1 have "
        "exceeded call rate limit of your current AIServices S0 pricing tier. Please retry "
        f"after {wait}. Please contact Azure support service if you would like to further "
        "increase the default rate limit."
    )
    return ApiError(429, error_body(message, type_="requests", code="429"), headers)


def _categories(options: tuple[str, ...]) -> tuple[str, ...]:
    """The categories named in a filter fault's options (`hate,violence`); `hate` by default."""
    chosen = {name for option in options if option != "once" for name in option.split(",") if name}
    unknown = chosen - {*CONTENT_FILTER_CATEGORIES, "jailbreak"}
    if unknown:
        raise invalid_request(
            f"Unknown content filter categories: {', '.join(sorted(unknown))}.", param="input"
        )
    return tuple(sorted(chosen or {"hate"}))


def filter_result(filtered: Iterable[str]) -> dict[str, object]:
    """Azure's per-category verdicts, `filtered` ones at severity high."""
    chosen = set(filtered)
    result: dict[str, object] = {
        category: {"filtered": True, "severity": "high"}
        if category in chosen
        else {"filtered": False, "severity": "safe"}
        for category in CONTENT_FILTER_CATEGORIES
    }
    is_jailbreak = "jailbreak" in chosen
    result["jailbreak"] = {"filtered": is_jailbreak, "detected": is_jailbreak}
    return result


def _content_filtered(options: tuple[str, ...]) -> ApiError:
    result = filter_result(_categories(options))
    body = error_body(
        "The response was filtered due to the prompt triggering Azure OpenAI's content "
        "management policy. Please modify your prompt and retry. To learn more about our "
        "content filtering policies please read our documentation: "
        "https://go.microsoft.com/fwlink/?linkid=2198766",
        param="prompt",
        code="content_filter",
    )
    body["error"]["status"] = 400
    body["error"]["innererror"] = {
        "code": "ResponsibleAIPolicyViolation",
        "content_filter_result": result,
    }
    return ApiError(400, body)


def unknown_fault(text: str) -> ApiError:
    return invalid_request(
        f"Unknown emulator fault '{text.strip()}'. Known kinds: {', '.join(_KINDS)}.",
        param="input",
    )
