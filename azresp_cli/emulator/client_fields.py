"""Create-request fields that real clients send beyond spec 2.3.0's `CreateResponse`.

The service accepts these (the clients that send them work against it), so the emulator must
too, or those clients cannot use it at all. Each entry names the client that needs it; the
same list, for users, is in docs/clients.md, and tests/compat/test_client_fields.py keeps
the two in step and checks that none of them is already in the official definition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from azresp_cli.emulator.errors import invalid_type


@dataclass(frozen=True)
class ClientField:
    """A field outside the spec: who sends it and how the emulator checks its value."""

    sent_by: str
    check: Callable[[str, Any], None]


def _string_map(name: str, value: Any) -> None:
    if not isinstance(value, dict):
        raise invalid_type(name, "an object", value)
    for key, item in value.items():
        if not isinstance(item, str):
            raise invalid_type(f"{name}.{key}", "a string", item)


def _object(name: str, value: Any) -> None:
    if not isinstance(value, dict):
        raise invalid_type(name, "an object", value)


CLIENT_FIELDS: dict[str, ClientField] = {
    # Codex CLI: session, thread, turn and window ids on every request (a map of strings).
    "client_metadata": ClientField("Codex CLI", _string_map),
    # openai SDK (Python >= 2.x `ResponseCreateParams`; Codex CLI sends it too when asked).
    "access_programs": ClientField("openai SDK, Codex CLI", _object),
    "background_options": ClientField("openai SDK", _object),
    "image": ClientField("openai SDK", _object),
}
"""Accepted and otherwise ignored: none of them changes the scripted answer."""
