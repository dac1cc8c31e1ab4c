"""Background jobs on the service: start, poll, wait, cancel (docs/protocol.md §7).

A job is a response created with ``background=true``. ``start_job`` creates it with
``stream=true`` too, because the service replays or resumes a stream only for responses created
that way, reads the stream only as far as ``response.created`` (which carries the id), and
hangs up: the service keeps working. The rest of azresp finds it again by id.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from azresp_cli.core import polling
from azresp_cli.core.config import Settings
from azresp_cli.core.error_hints import response_filtered_categories
from azresp_cli.core.errors import (
    ApiError,
    AzrespError,
    ContentFilteredError,
    IncompleteError,
    NotFoundError,
    ResponseCancelledError,
    StreamBrokenError,
    classify,
    request_id_of,
)
from azresp_cli.core.events import Completed, ResponseRecord, RetryScheduled, TextDelta, TurnEvent
from azresp_cli.core.ids import check_id
from azresp_cli.core.job_store import TERMINAL
from azresp_cli.core.raw_api import (
    cancel_response,
    create_stream,
    json_object,
    object_field,
    text_field,
)
from azresp_cli.core.records import record_from_json
from azresp_cli.core.request import TurnRequest, build_create_body
from azresp_cli.core.responses import get_response
from azresp_cli.core.retry import RetryPolicy, call_with_retries

if TYPE_CHECKING:
    from openai import OpenAI

DEFAULT_INTERVAL = 2.0  # seconds between the first polls
MAX_INTERVAL = 15.0  # the interval grows by BACKOFF per poll up to this
BACKOFF = 1.5


@dataclass(frozen=True)
class StartedJob:
    response_id: str
    status: str
    request_id: str | None


@dataclass(frozen=True)
class PollPolicy(polling.PollPolicy):
    """``bg poll --wait``: every DEFAULT_INTERVAL s at first, slower by BACKOFF per poll."""

    interval: float = DEFAULT_INTERVAL
    max_interval: float = MAX_INTERVAL
    backoff: float = BACKOFF


def start_job(
    client: OpenAI,
    settings: Settings,
    request: TurnRequest,
    on_retry: Callable[[RetryScheduled], None],
) -> StartedJob:
    """Create the background response and return as soon as the service names it."""
    request = request.with_options(background=True, store=True, stream=True)
    request = replace(request, emit_wire_events=False)
    body = build_create_body(settings.deployment, request)
    creator = client.with_options(max_retries=0)  # retried here, visibly (core/retry.py)
    stream = call_with_retries(
        lambda: create_stream(creator, body, headers=request.extra_headers),
        RetryPolicy(settings.max_retries),
        on_retry,
    )
    request_id = request_id_of(stream.response.headers)
    try:
        for raw in stream:
            event = json_object(raw)
            if text_field(event, "type") == "response.created":
                response = object_field(event, "response")
                return StartedJob(
                    text_field(response, "id"), text_field(response, "status"), request_id
                )
    except Exception as exc:
        error = classify(exc)
        error.request_id = error.request_id or request_id
        raise error from exc
    finally:
        stream.close()  # hanging up does not stop a background response
    raise StreamBrokenError(
        "the stream ended before the service named the job",
        request_id=request_id,
        hint="the job may have started anyway; check the service before starting it again",
    )


def wait(client: OpenAI, response_id: str, policy: PollPolicy) -> Iterator[ResponseRecord]:
    """Poll until the job has finished; yields every record seen, the finished one last."""
    return polling.poll_until(
        lambda: get_response(client, response_id), lambda record: record.status in TERMINAL, policy
    )


def cancel_job(client: OpenAI, response_id: str) -> tuple[ResponseRecord, bool]:
    """Cancel; returns the record and whether this call stopped it.

    Cancelling a job that has already finished (or was cancelled) is not an error: the service
    refuses with a 400 (Microsoft's reference server does), and the record says how it ended."""
    check_id(response_id)
    try:
        return record_from_json(cancel_response(client, response_id)), True
    except Exception as exc:
        error = classify(exc)
        if isinstance(error, NotFoundError) or error.status not in (400, 409):
            raise error from exc
        record = get_response(client, response_id)
        if record.status in TERMINAL:
            return record, False
        raise error from exc


def raise_for_job(record: ResponseRecord, request_id: str | None = None) -> None:
    """Anything but ``completed`` is an error once a job is waited for: its own exit code."""
    status = record.status
    if status == "completed":
        return
    if status == "failed":
        reason = record.error_message or record.error_code or "no reason given"
        raise ApiError(
            f"job {record.id} failed: {reason}",
            request_id=request_id,
            hint="start it again; if it keeps failing, check the service status",
        )
    if status == "cancelled":
        raise ResponseCancelledError(f"job {record.id} was cancelled", request_id=request_id)
    if status == "incomplete" and record.incomplete_reason == "content_filter":
        categories = response_filtered_categories(record.raw)
        named = f" [filtered: {', '.join(categories)}]" if categories else ""
        raise ContentFilteredError(
            f"job {record.id} was stopped by Azure's content filter{named}",
            categories=categories,
            request_id=request_id,
            hint="the partial answer above is all there is; rephrase the prompt",
        )
    if status == "incomplete":
        reason = record.incomplete_reason or "no reason given"
        raise IncompleteError(f"job {record.id} is incomplete ({reason})", request_id=request_id)
    raise AzrespError(
        f"job {record.id} is still {status}", hint="wait for it: azresp bg poll --wait"
    )


def finish_by_polling(
    client: OpenAI, response_id: str, shown: str, policy: PollPolicy
) -> Generator[TurnEvent, None, ResponseRecord]:
    """When a stream cannot be resumed: poll to the end, then show the text not shown yet."""
    record: ResponseRecord | None = None
    for record in wait(client, response_id, policy):  # noqa: B007 - the last one is kept
        pass
    assert record is not None  # wait yields at least once
    text = record.output_text
    common = _common_prefix(shown, text)
    if text[common:]:
        yield TextDelta(text[common:])
    yield Completed(record)
    return record


def _common_prefix(first: str, second: str) -> int:
    length = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        length += 1
    return length
