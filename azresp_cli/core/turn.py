"""The Turn engine: send one request, turn the service's stream into TurnEvents.

It never prints. Callers iterate ``run_turn`` and hand each event to a writer; errors are raised
as ``AzrespError`` subclasses after every event that arrived before them was yielded, so partial
answers always reach the screen.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Generator, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from azresp_cli.core.config import Settings
from azresp_cli.core.error_hints import response_filtered_categories
from azresp_cli.core.errors import (
    ApiError,
    AzrespError,
    ContentFilteredError,
    NetworkError,
    ResponseCancelledError,
    StreamBrokenError,
    classify,
    request_id_of,
)
from azresp_cli.core.events import (
    CodeInterpreterCode,
    Completed,
    ReasoningDelta,
    RefusalDelta,
    ResponseRecord,
    ResponseStarted,
    ResumeRefused,
    StreamResumed,
    TextDelta,
    TextDone,
    TurnEvent,
    WireEvent,
)
from azresp_cli.core.ids import check_id
from azresp_cli.core.item_events import item_done_events, record_item_events
from azresp_cli.core.jobs import PollPolicy, finish_by_polling
from azresp_cli.core.ratelimits import rate_limits
from azresp_cli.core.raw_api import (
    EventStream,
    create_response,
    create_stream,
    int_field,
    json_object,
    object_field,
    replay_stream,
    text_field,
)
from azresp_cli.core.records import record_from_json, status_from_json
from azresp_cli.core.redact import redact
from azresp_cli.core.request import TurnRequest, build_create_body
from azresp_cli.core.retry import RetryPolicy, with_retries

if TYPE_CHECKING:
    from openai import OpenAI

_TERMINAL = frozenset({"response.completed", "response.incomplete", "response.failed"})
MAX_RESUMES = 5  # drops in a row, with no new event between them, before giving up


def run_turn(client: OpenAI, settings: Settings, request: TurnRequest) -> Iterator[TurnEvent]:
    """Run one turn; yields events and ends with ``Completed`` or raises an AzrespError."""
    body = build_create_body(settings.deployment, request)
    headers = dict(request.extra_headers)
    # Azure wants ?api-version=preview for some tools (the code interpreter's REST sample).
    query = dict(request.extra_query) or None
    policy = RetryPolicy(settings.max_retries)
    creator = client.with_options(max_retries=0)  # retried by core/retry.py, which shows waits
    if not request.stream:
        raw = yield from with_retries(
            lambda: create_response(creator, body, headers=headers, query=query), policy
        )
        record = record_from_json(raw.body)
        yield ResponseStarted(record.id, record.status)
        yield from record_item_events(record.output_items)
        if record.output_text:
            yield TextDelta(record.output_text)
        yield Completed(record, rate_limits(raw.headers))
        raise_for_outcome(record, request_id_of(raw.headers))
        return
    stream = yield from with_retries(
        lambda: create_stream(creator, body, headers=headers, query=query), policy
    )
    if request.background:
        yield from follow_background(client, stream, emit_wire_events=request.emit_wire_events)
        return
    yield from consume_stream(stream, emit_wire_events=request.emit_wire_events)


@dataclass
class StreamCursor:
    """How far a response's stream got, so a resumed stream starts after it."""

    response_id: str | None = None
    last: int = -1  # the last sequence_number seen


def consume_stream(
    stream: EventStream, *, emit_wire_events: bool = False, cursor: StreamCursor | None = None
) -> Iterator[TurnEvent]:
    """Translate a stream of events (from create or a resumed retrieve) into TurnEvents.

    With a ``cursor``, events numbered at or below ``cursor.last`` are dropped (a server that
    replays from the start ignores ``starting_after``) and the cursor follows the stream."""
    headers = getattr(stream, "response", None) and stream.response.headers
    request_id = request_id_of(headers)
    terminal: ResponseRecord | None = None
    code_shown: set[str] = set()  # code interpreter items whose code was already yielded
    try:
        for raw in stream:
            event = json_object(raw)
            kind = text_field(event, "type")
            number = int_field(event, "sequence_number")
            if cursor is not None and number is not None:
                if number <= cursor.last:
                    continue
                cursor.last = number
                if kind == "response.created":
                    cursor.response_id = text_field(object_field(event, "response"), "id")
            if emit_wire_events:
                yield WireEvent(kind, number, event)
            if kind == "response.output_text.delta":
                yield TextDelta(text_field(event, "delta"))
            elif kind == "response.reasoning_summary_text.delta":
                yield ReasoningDelta(
                    text_field(event, "delta"), int_field(event, "summary_index") or 0
                )
            elif kind == "response.refusal.delta":
                yield RefusalDelta(text_field(event, "delta"))
            elif kind == "response.output_text.done":
                yield TextDone(text_field(event, "text"))
            elif kind == "response.code_interpreter_call_code.done":
                item_id = text_field(event, "item_id")
                code_shown.add(item_id)
                yield CodeInterpreterCode(item_id, text_field(event, "code"))
            elif kind == "response.output_item.done":
                item = object_field(event, "item")
                yield from item_done_events(item, code_shown=text_field(item, "id") in code_shown)
            elif kind == "response.created":
                response = object_field(event, "response")
                status = status_from_json(response.get("status"), "in_progress")
                yield ResponseStarted(text_field(response, "id"), status, number)
            elif kind in _TERMINAL:
                terminal = record_from_json(object_field(event, "response"))
                _drain(stream)
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
    yield Completed(terminal, rate_limits(headers))
    raise_for_outcome(terminal, request_id)


def _drain(stream: EventStream) -> None:
    """Read what follows the terminal event (the body's end, a `[DONE]`) before closing.

    httpx puts a connection back in its pool only once the response was read to its end;
    closing a stream left open drops the connection, so the next turn would open a new one
    (a TLS handshake against Azure). Nothing after the terminal event matters, nor does a
    failure to read it: the answer is complete."""
    with contextlib.suppress(Exception):
        for _ in stream:
            pass


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
        categories = response_filtered_categories(record.raw)
        named = f" [filtered: {', '.join(categories)}]" if categories else ""
        raise ContentFilteredError(
            f"the answer was stopped by Azure's content filter{named}",
            categories=categories,
            request_id=request_id,
            hint="the partial answer above is all there is; rephrase the prompt",
        )
    if record.status == "cancelled":  # only a background response can be (bg cancel)
        raise ResponseCancelledError(f"response {record.id} was cancelled", request_id=request_id)


def follow_background(
    client: OpenAI,
    stream: EventStream | None,
    *,
    response_id: str | None = None,
    after: int = -1,
    emit_wire_events: bool = False,
    poll: PollPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Generator[TurnEvent, None, None]:
    """Follow a background response's stream to its end (docs/protocol.md §7).

    ``stream`` is the create's stream, or None to start with a replay of ``response_id`` after
    ``after``. When the connection drops, the stream is asked again with ``starting_after`` =
    the last sequence number seen, so no text comes twice and none is missed; when the service
    refuses to replay it, the response is polled to its end and the rest of its text shown."""
    cursor = StreamCursor(response_id, after)
    shown: list[str] = []
    failures = 0  # drops and failed replays in a row with no new event
    while True:
        if stream is None:
            assert cursor.response_id is not None
            try:
                stream = _replay(client, cursor)
            except AzrespError as error:
                if error.status in (400, 404):  # not resumable (any more): poll instead
                    yield ResumeRefused(cursor.response_id, error.message)
                    record = yield from finish_by_polling(
                        client, cursor.response_id, "".join(shown), poll or PollPolicy()
                    )
                    raise_for_outcome(record, error.request_id)
                    return
                failures += 1
                if not isinstance(error, NetworkError) or failures > MAX_RESUMES:
                    raise
                sleep(_resume_delay(failures))
                continue
        before = cursor.last
        try:
            for event in consume_stream(stream, emit_wire_events=emit_wire_events, cursor=cursor):
                if isinstance(event, TextDelta):
                    shown.append(event.text)
                yield event
            return
        except StreamBrokenError as error:
            failures = 0 if cursor.last > before else failures + 1
            if cursor.response_id is None or failures > MAX_RESUMES:
                raise  # dropped before the service named it, or it keeps dropping
            yield StreamResumed(cursor.response_id, cursor.last, error.message)
            if failures:
                sleep(_resume_delay(failures))
            stream = None


def _replay(client: OpenAI, cursor: StreamCursor) -> EventStream:
    assert cursor.response_id is not None
    check_id(cursor.response_id)
    try:
        return replay_stream(client, cursor.response_id, after=cursor.last)
    except Exception as exc:
        raise classify(exc) from exc


def _resume_delay(failures: int) -> float:
    return float(min(0.5 * 2 ** (failures - 1), 8.0))


def _error_event(event: Mapping[str, Any], request_id: str | None) -> AzrespError:
    # The spec's flat form; the live API's nested form is raised by the SDK as APIError.
    message = text_field(event, "message") or "the service reported an error mid-stream"
    code = text_field(event, "code")
    return ApiError(
        f"{message}" + (f" [{code}]" if code else ""),
        request_id=request_id,
        hint="the partial answer above is all there is; retry",
    )
