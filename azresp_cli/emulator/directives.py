"""`[[name:argument]]` directives: finding them, and the one registry of what exists.

`REGISTRY` names every directive with its syntax, what its argument must be and the cap on
its size; DIRECTIVES.md is checked against it (tests/emulator/test_directives.py). `check`
runs on every `POST /responses` before any work: an unknown name (`[[slwo:100]]`) or an
argument out of bounds (`[[long:20000000]]`) is a 400 naming it, never silently ignored.
The modules that act on a directive (model.py, faults.py, tools_*.py) read its argument
with `find`; the registry only decides whether it is acceptable.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from azresp_cli.emulator.errors import ApiError, invalid_request

_DIRECTIVE = re.compile(r"\[\[\s*([a-z_]+)\s*(?::(.*?))?\]\]", re.DOTALL)

MAX_LONG_TOKENS = 100_000  # [[long:N]]: about 480 kB of text, produced in well under a second
MAX_SLOW_MS = 60_000  # [[slow:MS]]: a minute between deltas
MAX_SLOW_FIRST_BYTE_MS = 120_000  # [[fault:slow_first_byte:MS]] (checked in faults.py)


@dataclass(frozen=True)
class Directive:
    name: str  # "long", "fault", ...
    argument: str  # text after the first ":", stripped; "" when absent
    source: str  # the whole `[[...]]`, for once-only faults keyed by their exact text


@dataclass(frozen=True)
class DirectiveSpec:
    """One directive: how it is written, and what makes its argument acceptable."""

    name: str
    syntax: tuple[str, ...]  # the forms DIRECTIVES.md shows, e.g. ("[[long:N]]",)
    argument: str  # "none", "optional" or "required"
    cap: int | None = None  # the largest number the argument may be, where it is one
    check: Callable[[str], str | None] | None = None  # a problem with the argument, or None


def _number_at_most(cap: int, what: str) -> Callable[[str], str | None]:
    def check(argument: str) -> str | None:
        if not argument.isdigit():
            return f"expected {what} as a whole number, got '{argument}'"
        if int(argument) > cap:
            return f"{what} is at most {cap:,}, got {int(argument):,}"
        return None

    return check


def _tier(argument: str) -> str | None:
    if argument in ("default", "flex", "priority", "busy"):
        return None
    return f"expected default, flex, priority or busy, got '{argument}'"


def _ratelimit(argument: str) -> str | None:
    for word in argument.replace(",", " ").split():
        name, _, value = word.partition("=")
        if name in ("nonsense", "off", "on") and not value:
            continue
        if name in ("requests", "tokens") and value.isdigit():
            continue
        return f"expected requests=N, tokens=N, nonsense, off or on, got '{word}'"
    return None


REGISTRY: dict[str, DirectiveSpec] = {
    spec.name: spec
    for spec in (
        DirectiveSpec("reply", ("[[reply:TEXT]]",), "required"),
        DirectiveSpec("echo", ("[[echo]]",), "none"),
        DirectiveSpec(
            "long",
            ("[[long:N]]",),
            "required",
            MAX_LONG_TOKENS,
            _number_at_most(MAX_LONG_TOKENS, "the number of tokens"),
        ),
        DirectiveSpec(
            "slow",
            ("[[slow:MS]]",),
            "required",
            MAX_SLOW_MS,
            _number_at_most(MAX_SLOW_MS, "the delay in milliseconds"),
        ),
        DirectiveSpec("call", ("[[call:NAME]]", '[[call:NAME {"city":"Paris"}]]'), "required"),
        DirectiveSpec("mcp", ("[[mcp:LABEL.TOOL]]", '[[mcp:LABEL.TOOL {"a":1}]]'), "required"),
        DirectiveSpec("code", ("[[code]]",), "none"),
        DirectiveSpec("image", ("[[image]]", "[[image:PROMPT]]"), "optional"),
        # tools_web: search for QUERY, or answer as a resource with web search disabled.
        DirectiveSpec("web", ("[[web:QUERY]]", "[[web:blocked]]"), "required"),
        # Structured-output error paths: a refusal part; an answer cut off half-way.
        DirectiveSpec("refuse", ("[[refuse]]", "[[refuse:TEXT]]"), "optional"),
        DirectiveSpec("truncate", ("[[truncate]]",), "none"),
        # Its SPEC is parsed, and slow_first_byte capped, by faults.py.
        DirectiveSpec("fault", ("[[fault:SPEC]]",), "required", MAX_SLOW_FIRST_BYTE_MS),
        # Service tiers and rate limits (tiers.py, ratelimit.py).
        DirectiveSpec("tier", ("[[tier:NAME]]", "[[tier:busy]]"), "required", None, _tier),
        DirectiveSpec(
            "ratelimit",
            ("[[ratelimit:requests=N tokens=M]]", "[[ratelimit:nonsense]]"),
            "required",
            None,
            _ratelimit,
        ),
        # In a batch's first line: pace=N, hold=N, expire=N (batches.py).
        DirectiveSpec("batch", ("[[batch:pace=N hold=N expire=N]]",), "required"),
    )
}


def find(text: str) -> list[Directive]:
    return [
        Directive(match.group(1), (match.group(2) or "").strip(), match.group(0))
        for match in _DIRECTIVE.finditer(text)
    ]


def check(text: str) -> None:
    """Refuse, with a 400 naming it, the first directive of `text` the emulator cannot obey."""
    for directive in find(text):
        problem = _problem(directive)
        if problem is not None:
            raise _refused(directive, problem)


def _problem(directive: Directive) -> str | None:
    spec = REGISTRY.get(directive.name)
    if spec is None:
        return "it is not a directive of the emulator"
    if spec.argument == "none" and directive.argument:
        return f"{spec.syntax[0]} takes no argument"
    if spec.argument == "required" and not directive.argument:
        return f"it needs an argument: {spec.syntax[0]}"
    if spec.check is not None and directive.argument:
        return spec.check(directive.argument)
    return None


def _refused(directive: Directive, problem: str) -> ApiError:
    known = ", ".join(sorted(REGISTRY))
    return invalid_request(
        f"Unknown or invalid emulator directive '{directive.source}': {problem}. "
        f"Known directives: {known} (see DIRECTIVES.md).",
        param="input",
        code="invalid_directive",
    )


def strip(text: str) -> str:
    """`text` without its directives, trimmed: what the user "said"."""
    return _DIRECTIVE.sub("", text).strip()


def latest_user_text(raw_input: Any) -> str:
    """The text of the last user message in a request's raw `input`, or "" if none.

    Runs before validation (fault directives come first), so it tolerates any shape.
    """
    if isinstance(raw_input, str):
        return raw_input
    if not isinstance(raw_input, list):
        return ""
    for item in reversed(raw_input):
        if isinstance(item, dict) and item.get("role") == "user":
            return message_text(item.get("content"))
    return ""


def message_text(content: Any) -> str:
    """The text parts of a message's `content` (a string or a part list), joined."""
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        return ""
    texts = [
        part["text"]
        for part in content
        if isinstance(part, dict) and isinstance(part.get("text"), str)
    ]
    return "\n".join(texts)
