"""The ASGI layer in front of every route, standing in for Azure's API gateway.

In order: give the request its ids (`apim-request-id`, `x-request-id` on every reply),
check its Host (DNS rebinding) and its key (the /_emulator control routes too, which also
take only JSON on POST), read its body within the service's limits (intake.py), record it
with secrets masked, refuse unknown directives, then plan its faults; an HTTP fault is
answered here, the rest travel to the route in `scope["state"]["fault_plan"]`. A refused
request is recorded without its body, which is never read.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import uuid
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from azresp_cli.emulator import directives, faults, ids, intake, ratelimit
from azresp_cli.emulator.config import RecordedRequest
from azresp_cli.emulator.errors import ApiError, error_body, unauthorized
from azresp_cli.emulator.rate_window import RateLimiter
from azresp_cli.emulator.state import EmulatorState

API_PREFIX = "/openai/v1"
SECRET_HEADERS = frozenset({"api-key", "authorization", "proxy-authorization", "cookie"})
MASK = "***"
ABANDON_TIMEOUT = 1.0  # seconds to tell a client the server is stopping, at most


class Gateway:
    def __init__(
        self, app: ASGIApp, state: EmulatorState, hosts: frozenset[str] | None = frozenset()
    ) -> None:
        self._app = app
        self._state = state
        self._hosts = hosts  # Host names answered besides loopback ones; None: any
        rpm = state.config.rate_limit_rpm
        self._limiter = None if rpm is None else RateLimiter(rpm, state.config.rate_window)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        reply = _Replies(_with_request_ids(send))
        try:
            await self._handle(scope, receive, reply)
        except intake.ClientGone:
            return  # nobody to answer
        except asyncio.CancelledError:
            # The server is stopping (Ctrl-C) while this request waits or streams: end it
            # quietly rather than let uvicorn log a traceback for every open request.
            with contextlib.suppress(Exception):
                async with asyncio.timeout(ABANDON_TIMEOUT):
                    await reply.abandon()

    async def _handle(self, scope: Scope, receive: Receive, send: _Replies) -> None:
        headers = {
            name.decode("latin-1").lower(): value.decode("latin-1")
            for name, value in scope["headers"]
        }
        path = scope["path"]
        is_api = path.startswith(API_PREFIX)
        try:
            if not intake.host_is_allowed(headers.get("host"), self._hosts):
                raise intake.wrong_host(headers.get("host", ""))
            _authorize(headers, self._state.config.api_keys)
            if not is_api:
                _check_control(scope, headers)
        except ApiError as error:
            if is_api:  # a refused request is logged without its body, which is not kept
                self._state.record(_recorded(scope, headers, None, rejected=error.status))
            # Read and drop the body (within the limit) so the client hears the refusal
            # rather than a broken pipe; a larger one is cut off with the connection.
            limit = intake.body_limit(path, headers.get("content-type", ""), API_PREFIX)
            declared = intake.declared_length(headers)
            drained = (declared is None or declared <= limit) and await intake.drain(receive, limit)
            await _send_error(send, error, close=not drained)
            return
        content_type = headers.get("content-type", "")
        limit = intake.body_limit(path, content_type, API_PREFIX)
        declared = intake.declared_length(headers)
        if declared is not None and declared > limit:
            self._state.record(_recorded(scope, headers, None, rejected=413))
            await _send_error(send, intake.too_large(declared, limit))
            return
        if is_api and content_type.startswith("multipart/form-data"):
            # Uploads are read by their route, through the same limit, never buffered here.
            body, receive = b"", intake.limited(receive, limit)
        else:
            try:
                body = await intake.read_body(receive, limit)
            except ApiError as error:
                self._state.record(_recorded(scope, headers, None, rejected=error.status))
                await _send_error(send, error)
                return
            receive = _replaying(body, receive)
        if not is_api:
            await self._app(scope, receive, send)  # the /_emulator control routes
            return
        if self._limiter is not None and (scope["method"], path) == (
            "POST",
            f"{API_PREFIX}/responses",
        ):
            try:
                send.headers.extend(
                    (name.encode(), value.encode()) for name, value in self._limiter.admit().items()
                )
                self._state.rate_counts["admitted"] += 1
            except ApiError as error:
                self._state.rate_counts["refused"] += 1
                self._state.record(_recorded(scope, headers, None, rejected=error.status))
                await _send_error(send, error)
                return
        parsed = _json_or_none(body)
        self._state.record(_recorded(scope, headers, parsed), len(body))
        try:
            plan = self._fault_plan(scope, headers, body, parsed)
        except ApiError as error:
            await _send_error(send, error)
            return
        if plan.first_byte_delay:
            await asyncio.sleep(plan.first_byte_delay)
        if plan.http_error is not None:
            await _send_error(send, plan.http_error)
            return
        replies: Send = send
        if scope["method"] == "POST" and scope["path"] == f"{API_PREFIX}/responses":
            try:
                budget = self._state.rate_budget  # x-ratelimit-* headers (ratelimit.py)
                ratelimit.apply_directives(budget, parsed)
                limits = budget.spend(ratelimit.request_cost(parsed))
                if self._limiter is not None:
                    # --rpm's sliding window (rate_window.py) already sent the request counts.
                    limits = {k: v for k, v in limits.items() if not k.endswith("-requests")}
            except ApiError as error:
                await _send_error(send, error)
                return
            replies = _with_headers(send, limits)
        scope.setdefault("state", {})["fault_plan"] = plan
        await self._app(scope, receive, replies)

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
            directives.check(text)  # an unknown or oversized directive is a 400, first
            specs += [
                faults.parse(directive.argument, directive.source)
                for directive in directives.find(text)
                if directive.name == "fault"
            ]
        identity = f"{scope['method']} {scope['path']}\n".encode() + body
        return faults.plan(specs, hashlib.sha256(identity).digest(), self._state.once)


class _Replies:
    """The send of one request, remembering how far its reply got."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self.started = False
        self.finished = False
        self.headers: list[tuple[bytes, bytes]] = []  # added to the reply (rate limit state)

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started = True
            if self.headers:
                message = {**message, "headers": [*message.get("headers", []), *self.headers]}
        elif message["type"] == "http.response.body" and not message.get("more_body", False):
            self.finished = True
        await self._send(message)

    async def abandon(self) -> None:
        """End the reply however far it got: a 503 if none was started, else end the body."""
        if not self.started:
            body = error_body("The emulator is shutting down.", type_="server_error")
            await _send_error(self, ApiError(503, body), close=True)
        elif not self.finished:
            await self({"type": "http.response.body", "body": b"", "more_body": False})


_SIMPLE_CONTENT_TYPES = ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data")


def _check_control(scope: Scope, headers: dict[str, str]) -> None:
    """The /_emulator routes: the key, as on the API, and JSON on the routes that change state.

    A web page can send a "simple" cross-site POST (text/plain, a form) without asking
    first; a JSON content type needs the server's consent (a CORS preflight), which the
    emulator never gives.
    """
    if scope["method"] in ("GET", "HEAD"):
        return
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        kind = "simple" if content_type in _SIMPLE_CONTENT_TYPES or not content_type else "other"
        shown = content_type or "none"
        raise ApiError(
            415,
            error_body(
                f"{scope['path']} changes the emulator's state and takes only "
                f"'content-type: application/json' (got {shown}, a {kind} content type).",
                code="unsupported_media_type",
            ),
        )


def _authorize(headers: dict[str, str], api_keys: frozenset[str] | None) -> None:
    bearer = headers.get("authorization", "")
    is_bearer = bearer.lower().startswith("bearer ") and not headers.get("api-key")
    key = bearer[7:].strip() if is_bearer else headers.get("api-key", "").strip()
    if not key or (api_keys is not None and key not in api_keys):
        raise unauthorized(is_bearer=is_bearer)


def _recorded(
    scope: Scope, headers: dict[str, str], parsed: Any, *, rejected: int | None = None
) -> RecordedRequest:
    return RecordedRequest(
        method=scope["method"],
        path=scope["path"],
        query=dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"))),
        headers={
            name: MASK if name in SECRET_HEADERS else value for name, value in headers.items()
        },
        json=_mask_tool_secrets(parsed),
        rejected=rejected,
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
    if not body:
        return None
    try:
        return intake.parse_json(body)
    except ApiError:
        return None  # the route answers the 400


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


def _with_headers(send: Send, headers: dict[str, str]) -> Send:
    extra = [(name.encode(), value.encode()) for name, value in headers.items()]

    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return send_with_headers


async def _send_error(send: Send, error: ApiError, *, close: bool = False) -> None:
    """The error as JSON; `close` (or the error's own header) ends the connection after it."""
    body = json.dumps(error.body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    extra = dict(error.headers)
    if close:
        extra["connection"] = "close"
    headers += [(name.encode(), value.encode()) for name, value in extra.items()]
    await send({"type": "http.response.start", "status": error.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
