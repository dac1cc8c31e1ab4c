"""Closed sets of option values, as enums Typer can show and check cheaply."""

from __future__ import annotations

import enum


class Effort(enum.StrEnum):
    NONE = "none"
    MINIMAL = "minimal"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    XHIGH = "xhigh"


class Summary(enum.StrEnum):
    AUTO = "auto"
    CONCISE = "concise"
    DETAILED = "detailed"


class Verbosity(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Approve(enum.StrEnum):
    """--approve: ask before each tool call, approve all, or refuse all."""

    ASK = "ask"
    ALWAYS = "always"
    NEVER = "never"
