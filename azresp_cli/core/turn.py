"""The Turn engine: send one request, turn the service's stream into TurnEvents.

It never prints. Callers iterate ``run_turn`` and hand each event to a writer; errors are raised
as ``AzrespError`` subclasses after every event that arrived before them was yielded, so partial
answers always reach the screen.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from azresp_cli.core.config import Settings
from azresp_cli.core.errors import (
    ApiError,
    AzrespError,
    ContentFilteredError,
    NetworkError,
    StreamBrokenError,
    classify,
    request_id_of,
)
from azresp_cli.core.events import (
    Completed,
    ReasoningDelta,
    RefusalDelta,
    ResponseRecord,
    ResponseStarted,
    TextDelta,
    TextDone,
    TurnEvent,
    WireEvent,
)
from azresp_cli.core.records import record_from_json
from azresp_cli.core.redact import redact
from azresp_cli.core.request import TurnRequest, build_create_body

if TYPE_CHECKING:
    from openai import OpenAI

_TERMINAL = frozenset({"response.completed", "response.incomplete", "response.failed"})


def run_turn(client: OpenAI, settings: Settings, request: TurnRequest) -> Iterator[TurnEvent]:
    """Run one turn; yields events and ends with ``Completed`` or raises an AzrespError."""
    body = build_create_body(settings.deployment, request)
    headers = dict(request.extra_headers)
    if not request.stream:
        raw = client.responses.with_raw_response.create(**body, extra_headers=headers)
        response = raw.parse()
        record = record_from_json(response.to_dict())
        yield ResponseStarted(record.id, record.status)
        if record.output_text:
            yield TextDelta(record.output_text)
        yield Completed(record)
        raise_for_outcome(record, request_id_of(raw.headers))
        return
    stream = client.responses.create(**body, extra_headers=headers)
    yield from consume_stream(stream, emit_wire_events=request.emit_wire_events)


def consume_stream(stream: Any, *, emit_wire_events: bool = False) -> Iterator[TurnEvent]:
    """Translate an SDK event stream (from create or a resumed retrieve) into TurnEvents."""
    request_id = request_id_of(getattr(stream, "response", None) and stream.response.headers)
    terminal: ResponseRecord | None = None
    try:
        for event in stream:
            kind = event.type
            if emit_wire_events:
                yield WireEvent(kind, getattr(event, "sequence_number", None), event.to_dict())
            if kind == "response.output_text.delta":
                yield TextDelta(event.delta)
            elif kind == "response.reasoning_summary_text.delta":
                yield ReasoningDelta(event.delta, event.summary_index)
            elif kind == "response.refusal.delta":
                yield RefusalDelta(event.delta)
            elif kind == "response.output_text.done":
                yield TextDone(event.text)
            elif kind == "response.created":
                yield ResponseStarted(
                    event.response.id, event.response.status, event.sequence_number
                )
            elif kind in _TERMINAL:
                terminal = record_from_json(event.response.to_dict())
                yield Completed(terminal)
                break
            elif kind == "error":
                raise _error_event(event, request_id)
    except AzrespError:
        raise
    except json.JSONDecodeError as exc:
        raise StreamBrokenError(
            "the service sent a malformed stream event",
            request_id=request_id,
            detail=redact(str(exc)),
        ) from None
    except Exception as exc:
        error = classify(exc)
        if isinstance(error, NetworkError) and not isinstance(error, StreamBrokenError):
            error = StreamBrokenError(f"the stream broke off: {error.message}", detail=error.detail)
        if error.request_id is None:
            error.request_id = request_id
        raise error from exc
    finally:
        stream.close()
    if terminal is None:
        raise StreamBrokenError(
            "the stream ended before the response completed", request_id=request_id
        )
    raise_for_outcome(terminal, request_id)


def raise_for_outcome(record: ResponseRecord, request_id: str | None) -> None:
    """A failed or content-filtered response is an error even though the request succeeded."""
    if record.status == "failed":
        raise ApiError(
            "the response failed: "
            + (record.error_message or record.error_code or "no reason given"),
            request_id=request_id,
            hint="retry; if it keeps failing, rerun with --debug and check the service status",
        )
    if record.status == "incomplete" and record.incomplete_reason == "content_filter":
        raise ContentFilteredError(
            "the answer was stopped by Azure's content filter",
            request_id=request_id,
            hint="the partial answer above is all there is; rephrase the prompt",
        )


def _error_event(event: Any, request_id: str | None) -> AzrespError:
    # The spec's flat form; the live API's nested form is raised by the SDK as APIError.
    message = getattr(event, "message", None) or "the service reported an error mid-stream"
    code = getattr(event, "code", None)
    return ApiError(
        f"{message}" + (f" [{code}]" if code else ""),
        request_id=request_id,
        hint="the partial answer above is all there is; retry",
    )
