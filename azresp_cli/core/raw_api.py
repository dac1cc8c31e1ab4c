"""The Responses API, read as the service's own JSON.

The engine needs a few fields of each event and turns items and responses into dicts anyway
(core/records.py). The SDK's typed path costs more than it gives here: `client.responses`
imports the resource module, whose streaming helpers build pydantic schemas (~80 ms); the first
streamed event is validated against a union of all 59 event types, whose validator is built
then (~100 ms); a retrieved Response is validated and dumped back to a dict (~110 ms the first
time). So requests go through the client's documented low-level `post`/`get` (the same
request, headers, auth, timeouts and error mapping) and are read with ``cast_to=object`` (each
event, or the body, is the JSON object the service sent) or ``cast_to=httpx2.Response`` where
the headers matter too.

Bodies are sent as built (core/request.py); the SDK's `maybe_transform` would not change them:
the Responses create parameters have no aliases or formats to apply. An id is checked
(core/ids.py) before it goes into a path, wherever it came from (the service's too).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from azresp_cli.core.ids import check_id

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

    stream: EventStream = client.post(
        "/responses",
        body={**body, "stream": True},
        options=_options(headers, query),
        cast_to=object,
        stream=True,
        stream_cls=Stream[object],
    )
    return stream


def replay_stream(client: OpenAI, response_id: str, *, after: int = -1) -> EventStream:
    """GET /responses/{id}?stream=true (after sequence number ``after`` when >= 0)."""
    check_id(response_id)
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


def _options(
    headers: Mapping[str, str] | None, query: Mapping[str, object] | None
) -> RequestOptions:
    """The SDK's per-request options: extra headers, and query parameters when there are any."""
    options: RequestOptions = {"headers": dict(headers or {})}
    if query:
        options["params"] = dict(query)
    return options


@dataclass(frozen=True)
class Reply:
    """A JSON reply with its HTTP headers (rate limits, the request id)."""

    body: dict[str, Any]
    headers: Mapping[str, str]


def create_response(
    client: OpenAI,
    body: Mapping[str, Any],
    *,
    headers: Mapping[str, str] | None = None,
    query: Mapping[str, object] | None = None,
) -> Reply:
    """POST /responses without streaming."""
    import httpx2

    response = client.post(
        "/responses", body=dict(body), options=_options(headers, query), cast_to=httpx2.Response
    )
    return Reply(json_object(response.json()), response.headers)


def retrieve_response(client: OpenAI, response_id: str) -> dict[str, Any]:
    """GET /responses/{id}."""
    check_id(response_id)
    return json_object(client.get(f"/responses/{response_id}", cast_to=object))


def cancel_response(client: OpenAI, response_id: str) -> dict[str, Any]:
    """POST /responses/{id}/cancel (a background response)."""
    check_id(response_id)
    return json_object(client.post(f"/responses/{response_id}/cancel", cast_to=object))


def input_items_page(
    client: OpenAI, response_id: str, params: Mapping[str, object]
) -> dict[str, Any]:
    """GET /responses/{id}/input_items: one page (``data``, ``has_more``)."""
    check_id(response_id)
    page = client.get(
        f"/responses/{response_id}/input_items", options={"params": dict(params)}, cast_to=object
    )
    return json_object(page)


def json_object(value: object) -> dict[str, Any]:
    """An event or a reply's body: the JSON object itself, or {} for anything else (nothing
    to read from it)."""
    return value if isinstance(value, dict) else {}


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
