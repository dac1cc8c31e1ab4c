"""The ASGI layer in front of every route, standing in for Azure's API gateway.

In order: give the request its ids (`apim-request-id`, `x-request-id` on every reply),
record it with secrets masked, check the key, then plan its faults; an HTTP fault is
answered here, the rest travel to the route in `scope["state"]["fault_plan"]`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from azresp_cli.emulator import directives, faults, ids
from azresp_cli.emulator.config import RecordedRequest
from azresp_cli.emulator.errors import ApiError, unauthorized
from azresp_cli.emulator.state import EmulatorState

API_PREFIX = "/openai/v1"
SECRET_HEADERS = frozenset({"api-key", "authorization", "proxy-authorization", "cookie"})
MASK = "***"


class Gateway:
    def __init__(self, app: ASGIApp, state: EmulatorState) -> None:
        self._app = app
        self._state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        send = _with_request_ids(send)
        body = await _read_body(receive)
        receive = _replaying(body, receive)
        if not scope["path"].startswith(API_PREFIX):
            await self._app(scope, receive, send)  # the /_emulator control routes
            return
        headers = {
            name.decode("latin-1").lower(): value.decode("latin-1")
            for name, value in scope["headers"]
        }
        parsed = _json_or_none(body)
        self._state.record(_recorded(scope, headers, parsed))
        try:
            _authorize(headers, self._state.config.api_keys)
            plan = self._fault_plan(scope, headers, body, parsed)
        except ApiError as error:
            await _send_error(send, error)
            return
        if plan.first_byte_delay:
            await asyncio.sleep(plan.first_byte_delay)
        if plan.http_error is not None:
            await _send_error(send, plan.http_error)
            return
        scope.setdefault("state", {})["fault_plan"] = plan
        await self._app(scope, receive, send)

    def _fault_plan(
        self, scope: Scope, headers: dict[str, str], body: bytes, parsed: Any
    ) -> faults.FaultPlan:
        specs = faults.parse_header(headers.get(faults.HEADER, ""))
        if (
            scope["method"] == "POST"
            and scope["path"] == f"{API_PREFIX}/responses"
            and isinstance(parsed, dict)
        ):
            text = directives.latest_user_text(parsed.get("input"))
            specs += [
                faults.parse(directive.argument, directive.source)
                for directive in directives.find(text)
                if directive.name == "fault"
            ]
        identity = f"{scope['method']} {scope['path']}\n".encode() + body
        return faults.plan(specs, hashlib.sha256(identity).digest(), self._state.once)


def _authorize(headers: dict[str, str], api_keys: frozenset[str] | None) -> None:
    bearer = headers.get("authorization", "")
    is_bearer = bearer.lower().startswith("bearer ") and not headers.get("api-key")
    key = bearer[7:].strip() if is_bearer else headers.get("api-key", "").strip()
    if not key or (api_keys is not None and key not in api_keys):
        raise unauthorized(is_bearer=is_bearer)


def _recorded(scope: Scope, headers: dict[str, str], parsed: Any) -> RecordedRequest:
    return RecordedRequest(
        method=scope["method"],
        path=scope["path"],
        query=dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"))),
        headers={
            name: MASK if name in SECRET_HEADERS else value for name, value in headers.items()
        },
        json=_mask_tool_secrets(parsed),
    )


def _mask_tool_secrets(body: Any) -> Any:
    """MCP tools carry the client's credentials for the server: mask them like headers."""
    if not isinstance(body, dict) or not isinstance(body.get("tools"), list):
        return body
    tools = []
    for tool in body["tools"]:
        if isinstance(tool, dict) and tool.get("type") == "mcp":
            tool = dict(tool)
            if isinstance(tool.get("headers"), dict):
                tool["headers"] = dict.fromkeys(tool["headers"], MASK)
            if "authorization" in tool:
                tool["authorization"] = MASK
        tools.append(tool)
    return {**body, "tools": tools}


def _json_or_none(body: bytes) -> Any:
    try:
        return json.loads(body) if body else None
    except ValueError:
        return None


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """A receive that hands the already-read body to the route, then waits for disconnect."""
    is_sent = False

    async def replay() -> Message:
        nonlocal is_sent
        if not is_sent:
            is_sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _with_request_ids(send: Send) -> Send:
    extra = [
        (b"apim-request-id", ids.request_id().encode()),
        (b"x-request-id", f"req_{uuid.uuid4().hex}".encode()),
        # Azure names the serving region; `azresp doctor` reports it.
        (b"x-ms-region", b"Local Emulator"),
    ]

    async def send_with_ids(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return send_with_ids


async def _send_error(send: Send, error: ApiError) -> None:
    body = json.dumps(error.body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(name.encode(), value.encode()) for name, value in error.headers.items()]
    await send({"type": "http.response.start", "status": error.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
