"""Secrets given on the command line without showing them to ``ps``: ``@FILE`` or ``env:NAME``.

A value on the command line is visible to every user of the machine (``ps``, /proc). Where a
flag takes a secret (``--mcp-header``'s value, ``emulator --api-key``), ``@FILE`` reads it from a
file (one trailing newline dropped) and ``env:NAME`` from an environment variable.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from azresp_cli.core.errors import UsageError
from azresp_cli.core.redact import register_secret

_MAX_SECRET_BYTES = 65_536


def secret_value(raw: str, variables: Mapping[str, str], *, flag: str) -> str:
    """The secret ``raw`` names (``@FILE``, ``env:NAME``) or ``raw`` itself; UsageError if the
    file or variable is missing. The result is registered for redaction."""
    if raw.startswith("@"):
        value = _from_file(raw[1:], flag)
    elif raw.startswith("env:"):
        name = raw[4:]
        if not variables.get(name):
            raise UsageError(
                f"{flag}: the environment variable {name} is not set",
                hint=f"export {name}=… first, or pass @FILE to read the value from a file",
            )
        value = variables[name]
    else:
        value = raw
    register_secret(value)
    return value


def _from_file(name: str, flag: str) -> str:
    path = Path(name).expanduser()
    try:
        if not path.is_file():
            raise UsageError(
                f"{flag}: {name} is not a regular file", hint="@FILE reads the value from FILE"
            )
        with path.open("rb") as file:
            data = file.read(_MAX_SECRET_BYTES + 1)
    except OSError as exc:
        raise UsageError(
            f"{flag}: cannot read {name}: {exc.strerror or exc}",
            hint="check the path and its permissions",
        ) from None
    if len(data) > _MAX_SECRET_BYTES:
        raise UsageError(f"{flag}: {name} is too long for a secret (over 64 KB)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{flag}: {name} is not UTF-8 text") from None
    return text.removesuffix("\n").removesuffix("\r")
