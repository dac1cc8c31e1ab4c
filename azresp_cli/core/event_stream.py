"""Streams of the Responses API, read as the service's own JSON events.

The turn engine needs a few fields of each event and turns items and responses into dicts
anyway (core/records.py). The SDK's typed path costs more than it gives here: `responses.create`
imports the resource module, whose streaming helpers build pydantic schemas (~80 ms), then
builds a validator over the union of all 59 event types at the first event (~100 ms), both on
the way to the first token. So a stream is opened with the client's documented low-level
`post`/`get` (the same request, headers, auth, timeouts and error mapping) and read with
``cast_to=object``: each event is the JSON object the service sent, exactly as on the wire.

The body is sent as built (core/request.py); the SDK's `maybe_transform` would not change it:
the Responses create parameters have no aliases or formats to apply.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from openai import OpenAI
    from openai._types import RequestOptions


class EventStream(Protocol):
    """What the engine uses of the SDK's `Stream`: its events, its response, closing it."""

    response: Any

    def __iter__(self) -> Iterator[object]: ...

    def close(self) -> None: ...


def create_stream(
    client: OpenAI,
    body: Mapping[str, Any],
    *,
    headers: Mapping[str, str] | None = None,
    query: Mapping[str, object] | None = None,
) -> EventStream:
    """POST /responses with ``stream: true``; the events arrive as JSON objects."""
    from openai import Stream

    options: RequestOptions = {"headers": dict(headers or {})}
    if query:
        options["params"] = dict(query)
    stream: EventStream = client.post(
        "/responses",
        body={**body, "stream": True},
        options=options,
        cast_to=object,
        stream=True,
        stream_cls=Stream[object],
    )
    return stream


def replay_stream(client: OpenAI, response_id: str, *, after: int = -1) -> EventStream:
    """GET /responses/{id}?stream=true (after sequence number ``after`` when >= 0).

    ``response_id`` must have been checked (core/ids.py) before it goes into the path."""
    from openai import Stream

    params: dict[str, object] = {"stream": "true"}
    if after >= 0:
        params["starting_after"] = after
    stream: EventStream = client.get(
        f"/responses/{response_id}",
        options={"params": params},
        cast_to=object,
        stream=True,
        stream_cls=Stream[object],
    )
    return stream


def event_json(event: object) -> dict[str, Any]:
    """An event as a dict: the JSON object itself, or (from a typed stream) its dump."""
    if isinstance(event, dict):
        return event
    to_dict = getattr(event, "to_dict", None)
    if callable(to_dict):
        dumped = to_dict()
        if isinstance(dumped, dict):
            return dumped
    return {}


def text_field(event: Mapping[str, Any], name: str) -> str:
    """A text field of an event: '' when absent or not text (an odd service sends odd JSON)."""
    value = event.get(name)
    return value if isinstance(value, str) else ""


def int_field(event: Mapping[str, Any], name: str) -> int | None:
    value = event.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def object_field(event: Mapping[str, Any], name: str) -> dict[str, Any]:
    value = event.get(name)
    return value if isinstance(value, dict) else {}
