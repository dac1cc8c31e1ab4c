"""Remote MCP servers (docs/protocol.md §4): ``--mcp LABEL=URL``, ``--mcp-header LABEL:NAME=VALUE``.

The service connects to the server, lists its tools and calls them; azresp only names the server,
passes its headers and answers approval requests. Header values are secrets (usually bearer
tokens): they are registered with ``redact`` at once, and masked in every Response and stream
event azresp hands on, since the service echoes the request's ``tools`` back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from azresp_cli.core.errors import UsageError
from azresp_cli.core.redact import REDACTED, register_secret

_LABEL = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")  # an RFC 9110 token


@dataclass(frozen=True)
class McpServer:
    label: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)

    def spec(self, require_approval: Any) -> dict[str, Any]:
        """The ``{"type": "mcp", ...}`` tool for the request."""
        spec: dict[str, Any] = {
            "type": "mcp",
            "server_label": self.label,
            "server_url": self.url,
            "require_approval": require_approval,
        }
        if self.headers:
            spec["headers"] = dict(self.headers)
        return spec


def parse_servers(
    servers: Sequence[str],
    headers: Sequence[str] = (),
    variables: Mapping[str, str] | None = None,
) -> tuple[McpServer, ...]:
    """Parse the ``--mcp`` and ``--mcp-header`` values; raises UsageError on a bad one.

    A header's VALUE may be ``@FILE`` or ``env:NAME`` (core/secret_value.py), so the secret
    need not be on the command line where ``ps`` shows it."""
    from azresp_cli.core.secret_value import secret_value

    urls: dict[str, str] = {}
    for raw in servers:
        label, equals, url = raw.partition("=")
        label, url = label.strip(), url.strip()
        if not equals or not label or not url:
            raise UsageError(f"--mcp {raw}: expected LABEL=URL", hint="e.g. --mcp docs=https://…")
        _check_label(label, "--mcp")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UsageError(f"--mcp {label}: '{url}' is not an http(s) URL")
        if label in urls:
            raise UsageError(f"--mcp {label} is given twice", hint="each server needs its label")
        urls[label] = url
    extra: dict[str, dict[str, str]] = {label: {} for label in urls}
    for raw in headers:
        label, colon, rest = raw.partition(":")
        name, equals, value = rest.partition("=")
        label, name = label.strip(), name.strip()
        if not colon or not equals or not label or not name:
            # Never echo `raw`: it holds the secret value.
            raise UsageError(
                "--mcp-header: expected LABEL:NAME=VALUE",
                hint="e.g. --mcp-header docs:Authorization='Bearer …'",
            )
        if label not in urls:
            raise UsageError(f"--mcp-header names '{label}', which no --mcp LABEL=URL declares")
        if not _HEADER_NAME.match(name):
            raise UsageError(f"--mcp-header {label}: '{name}' is not a header name")
        value = secret_value(value, variables or {}, flag=f"--mcp-header {label}:{name}")
        register_secret(value.removeprefix("Bearer ").removeprefix("bearer "))
        extra[label][name] = value
    return tuple(McpServer(label, url, extra[label]) for label, url in urls.items())


def mask_headers(payload: Any) -> Any:
    """A copy of a Response (or stream event) with every MCP tool's header values masked."""
    if isinstance(payload, Mapping):
        masked: dict[str, Any] = {}
        for key, value in payload.items():
            if key == "headers" and payload.get("type") == "mcp" and isinstance(value, Mapping):
                masked[key] = {name: REDACTED for name in value}
            else:
                masked[key] = mask_headers(value)
        return masked
    if isinstance(payload, list | tuple):
        return [mask_headers(item) for item in payload]
    return payload


def mask_values(text: str, servers: Sequence[McpServer]) -> str:
    """``text`` with every header value of ``servers`` masked (a tool may echo one back)."""
    for value in secret_values(servers):
        text = text.replace(value, REDACTED)
    return text


def mask_strings(payload: Any, servers: Sequence[McpServer]) -> Any:
    """A copy of a JSON value with header values masked in every string (and every ``tools``
    entry's headers), for Responses and stream events that quote what a tool returned."""
    payload = mask_headers(payload)
    if isinstance(payload, str):
        return mask_values(payload, servers)
    if isinstance(payload, Mapping):
        return {key: mask_strings(value, servers) for key, value in payload.items()}
    if isinstance(payload, list | tuple):
        return [mask_strings(item, servers) for item in payload]
    return payload


def secret_values(servers: Sequence[McpServer]) -> list[str]:
    """Every header value (and bearer token alone) of ``servers``, longest first."""
    values = {v for server in servers for v in _secret_parts(server)}
    return sorted(values, key=len, reverse=True)


class StreamMask:
    """Masks header values in streamed text, whichever deltas a value is split across.

    The end of a delta that could be the start of a secret is held back until the next delta
    shows whether it is one."""

    def __init__(self, servers: Sequence[McpServer]) -> None:
        self._secrets = secret_values(servers)
        self._held = ""

    def feed(self, text: str) -> str:
        text = self._held + text
        self._held = ""
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        keep = max((_overlap(text, secret) for secret in self._secrets), default=0)
        if keep:
            text, self._held = text[:-keep], text[-keep:]
        return text

    def flush(self) -> str:
        held, self._held = self._held, ""
        return held


def _overlap(text: str, secret: str) -> int:
    """How many trailing characters of ``text`` are a proper prefix of ``secret``."""
    for size in range(min(len(text), len(secret) - 1), 0, -1):
        if secret.startswith(text[-size:]):
            return size
    return 0


def _secret_parts(server: McpServer) -> list[str]:
    parts = []
    for value in server.headers.values():
        parts.append(value)
        token = value.split(" ", 1)[-1]  # "Bearer TOKEN": the token alone may be echoed too
        parts.append(token)
    return [part for part in parts if len(part) >= 4]


def _check_label(label: str, option: str) -> None:
    if not _LABEL.match(label):
        raise UsageError(
            f"{option}: '{label}' is not a server label",
            hint="use letters, digits, '-' and '_' (at most 64)",
        )
