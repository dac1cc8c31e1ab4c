"""A raw HTTP client for the emulator tests: exact bytes on the wire, no SDK in between."""

from __future__ import annotations

import http.client
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from spec_validation import assert_sse_valid, assert_valid, sse_events

from azresp_cli.emulator.runner import RunningEmulator

TEST_KEY = "emulator-test-key"
EmulatorFactory = Callable[..., RunningEmulator]  # the `emulator_factory` fixture


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]  # lower-cased names
    text: str

    @property
    def json(self) -> Any:
        return json.loads(self.text)

    @property
    def events(self) -> list[dict[str, Any]]:
        """The SSE data payloads, parsed but not validated."""
        return sse_events(self.text)

    def valid_events(self) -> list[dict[str, Any]]:
        """The SSE data payloads, each validated against its event schema."""
        return assert_sse_valid(self.text)

    @property
    def error(self) -> dict[str, Any]:
        body: dict[str, Any] = self.json["error"]
        return body


class Api:
    """Calls `/openai/v1/...` on one emulator; paths are relative, like `responses/ID`."""

    def __init__(self, base_url: str, headers: dict[str, str] | None = None) -> None:
        parts = urlsplit(base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.prefix = parts.path  # "/openai/v1/"
        self.headers = {"api-key": TEST_KEY} if headers is None else headers

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        query: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        raw_body: bytes | None = None,
        timeout: float = 30,
        validate: bool = True,
    ) -> Reply:
        """One request; unless `validate=False`, the reply is checked against the spec."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            data = (
                raw_body
                if raw_body is not None
                else None
                if body is None
                else json.dumps(body).encode()
            )
            sent = {**self.headers, **(headers or {})}
            if data is not None:
                sent.setdefault("content-type", "application/json")
            target = self.url_path(path, query)
            connection.request(method, target, body=data, headers=sent)
            response = connection.getresponse()
            text = response.read().decode()
            headers = {name.lower(): value for name, value in response.getheaders()}
            reply = Reply(response.status, headers, text)
        finally:
            connection.close()
        if validate:
            check_reply(method, target.split("?")[0].removeprefix(self.prefix), reply)
        return reply

    def url_path(self, path: str, query: dict[str, str] | None = None) -> str:
        target = path if path.startswith("/") else self.prefix + path
        return target + ("?" + urlencode(query) if query else "")

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Reply:
        return self.request("POST", path, body, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Reply:
        return self.request("GET", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Reply:
        return self.request("DELETE", path, **kwargs)

    def create(self, **body: Any) -> Reply:
        """POST /responses with a default model; fails the test on a non-200."""
        reply = self.post("responses", {"model": "gpt-test", **body})
        assert reply.status == 200, reply.text
        return reply

    def open_stream(self, method: str, path: str, body: Any = None) -> http.client.HTTPResponse:
        """Start a request and return the live response, to read part of a stream and drop it."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        data = None if body is None else json.dumps(body).encode()
        headers = {**self.headers, "content-type": "application/json"}
        connection.request(method, self.url_path(path), body=data, headers=headers)
        return connection.getresponse()


# Which schema a successful reply of each route answers with (spec 2.3.0 paths).
_SCHEMAS = {
    ("POST", "responses"): "Response",
    ("GET", "responses/{id}"): "Response",
    ("POST", "responses/{id}/cancel"): "Response",
    ("GET", "responses/{id}/input_items"): "ResponseItemList",
    ("POST", "responses/input_tokens"): "TokenCountsResource",
    ("POST", "responses/compact"): "CompactResource",
}


def check_reply(method: str, path: str, reply: Reply) -> None:
    """Validate any emulator reply: SSE frames, a success body, or an error body."""
    if reply.headers.get("content-type", "").startswith("text/event-stream"):
        assert_sse_valid(reply.text)
        return
    if not path.startswith("responses") or not reply.text:
        return
    body = reply.json
    if reply.status >= 400:
        if set(body["error"]) == {"code", "message"}:  # Azure's gateway shape (401, no route)
            assert isinstance(body["error"]["message"], str)
        else:
            assert_valid("Error", body["error"])
        return
    parts = path.split("/")
    is_fixed = len(parts) > 1 and parts[1] in ("input_tokens", "compact")
    route = "/".join(part if index != 1 or is_fixed else "{id}" for index, part in enumerate(parts))
    if method == "DELETE":
        assert set(body) == {"id", "object", "deleted"} and body["object"] == "response"
    elif route == "responses/{id}/input_items" and not body["data"]:
        # docs/protocol.md §10: an empty page has null first_id/last_id, which the spec's
        # strings reject.
        assert body == {**body, "first_id": None, "last_id": None}
    else:
        assert_valid(_SCHEMAS[(method, route)], body)


def read_frames(response: http.client.HTTPResponse, count: int) -> list[dict[str, Any]]:
    """Read `count` SSE events from a live response."""
    events: list[dict[str, Any]] = []
    buffer = b""
    while len(events) < count:
        line = response.readline()
        if not line:
            break
        buffer += line
        if line in (b"\n", b"\r\n"):
            events.extend(sse_events(buffer.decode()))
            buffer = b""
    return events
