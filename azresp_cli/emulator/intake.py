"""Taking a request in: its Host, its size, its JSON, each checked as the service would.

The limits are the service's documented ones (docs/emulator-limits.md gives the sources),
enforced while the body arrives, never after buffering it: a declared `content-length`
over the limit is refused before a byte of the body is read, a chunked body as soon as it
crosses the limit, and either reply closes the connection so the rest is never read.
"""

from __future__ import annotations

import ipaddress
import json
from typing import Any

from starlette.types import Message, Receive

from azresp_cli.emulator.errors import ApiError, error_body

MIB = 1024 * 1024
# The service takes up to 50 MB of file input in one request; a JSON body carries it in
# base64 (4/3 larger), with the text around it: 72 MiB holds that and refuses more.
MAX_JSON_BODY_BYTES = 72 * MIB
# The Files API takes files up to 512 MB; the multipart framing around one needs far less
# than the 1 MiB added here.
MAX_FILE_BYTES = 512 * MIB
MAX_MULTIPART_BODY_BYTES = MAX_FILE_BYTES + MIB
MAX_CONTROL_BODY_BYTES = 64 * 1024  # the /_emulator routes take no real body
MAX_JSON_DEPTH = 128  # nesting beyond this is refused before the parser can recurse on it

_BAD_JSON = (
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't "
    "using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was "
    "sent was not valid JSON.)"
)


class ClientGone(Exception):
    """The client closed the connection before its request body was complete."""


def too_large(size: int | None, limit: int) -> ApiError:
    said = f"{size:,} bytes" if size is not None else "more than that"
    body = error_body(
        f"The request body is too large: {said}; the limit is {limit:,} bytes.",
        code="request_body_too_large",
    )
    return ApiError(413, body, {"connection": "close"})


def body_limit(path: str, content_type: str, api_prefix: str) -> int:
    if not path.startswith(api_prefix):
        return MAX_CONTROL_BODY_BYTES
    if content_type.startswith("multipart/form-data"):
        return MAX_MULTIPART_BODY_BYTES
    return MAX_JSON_BODY_BYTES


def declared_length(headers: dict[str, str]) -> int | None:
    value = headers.get("content-length", "").strip()
    return int(value) if value.isdigit() else None


async def read_body(receive: Receive, limit: int) -> bytes:
    """The whole body, refused (413) once it grows past `limit`; ClientGone if cut short."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            raise ClientGone
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise too_large(None, limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def drain(receive: Receive, limit: int) -> bool:
    """Read a refused request's body and drop it; False if it is over `limit` (or cut)."""
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            raise ClientGone
        size += len(message.get("body", b""))
        if size > limit:
            return False
        if not message.get("more_body", False):
            return True


def limited(receive: Receive, limit: int) -> Receive:
    """A receive for a body read by the route itself (multipart uploads), with the same limit.

    The 413 is raised inside the route's own reading, where the app's ApiError handler
    renders it; nothing beyond the limit is ever buffered.
    """
    size = 0

    async def receive_limited() -> Message:
        nonlocal size
        message = await receive()
        if message["type"] == "http.request":
            size += len(message.get("body", b""))
            if size > limit:
                raise too_large(None, limit)
        return message

    return receive_limited


def parse_json(body: bytes) -> Any:
    """The body as JSON the way the service reads it: strict (no NaN), not too deep.

    Raises the service's 400 for anything else; never a RecursionError or a 500.
    """
    if not body:
        return {}
    try:
        parsed = json.loads(body, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise bad_json() from None
    if _too_deep(parsed):
        raise bad_json()
    return parsed


def bad_json() -> ApiError:
    return ApiError(400, error_body(_BAD_JSON))


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _too_deep(value: Any) -> bool:
    """Whether containers nest deeper than MAX_JSON_DEPTH (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        children = (
            current.values()
            if isinstance(current, dict)
            else current
            if isinstance(current, list)
            else ()
        )
        for child in children:
            if isinstance(child, dict | list):
                if depth + 1 > MAX_JSON_DEPTH:
                    return True
                stack.append((child, depth + 1))
    return False


def host_name(host_header: str) -> str:
    """The name in a Host header, without its port: `[::1]:80` -> `::1`."""
    value = host_header.strip().lower()
    if value.startswith("["):
        return value[1:].partition("]")[0]
    if value.count(":") == 1:
        return value.partition(":")[0]
    return value


def is_loopback_name(name: str) -> bool:
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def allowed_hosts(bound_host: str) -> frozenset[str] | None:
    """The Host names a server bound to `bound_host` answers; None: any (a wildcard bind).

    A page in a browser can make a name it controls resolve to 127.0.0.1 (DNS rebinding)
    and then read from the emulator as if it were that site: its requests carry its own
    name in Host, which is how they are told apart.
    """
    try:
        address = ipaddress.ip_address(bound_host)
    except ValueError:
        return frozenset({bound_host.lower()})
    if address.is_unspecified:
        return None
    return frozenset({str(address)})


def host_is_allowed(host_header: str | None, allowed: frozenset[str] | None) -> bool:
    if host_header is None or allowed is None:
        return True  # HTTP/1.0 without Host: no browser sends that
    name = host_name(host_header)
    return is_loopback_name(name) or name in allowed


def wrong_host(host_header: str) -> ApiError:
    message = (
        f"Host '{host_header}' is not an address of this emulator; it answers requests made "
        "to its own address only (a defence against DNS rebinding)."
    )
    return ApiError(403, {"error": {"code": "403", "message": message}})
