"""GET, DELETE and cancel of one stored response, its stream replay, and its input items."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from azresp_cli.emulator.errors import invalid_request, invalid_value, response_not_found
from azresp_cli.emulator.sse import EventStream
from azresp_cli.emulator.store import RUNNING, ResponseRecord
from azresp_cli.emulator.wire import query_flag, query_int, reply, state_of

_ORDERS = ("asc", "desc")


def _record(request: Request) -> ResponseRecord:
    response_id = request.path_params["response_id"]
    record = state_of(request).store.get(response_id)
    if record is None:
        raise response_not_found(response_id)
    return record


async def retrieve(request: Request) -> Response:
    record = _record(request)
    if not query_flag(request, "stream"):
        return reply(record.snapshot)
    if not record.is_resumable:
        why = (
            "can no longer be resumed"
            if record.is_background and record.is_streamed
            else "was not created with background=true and stream=true"
        )
        raise invalid_request(
            f"Response '{record.response_id}' {why}, so its stream cannot be replayed.",
            param="stream",
        )
    starting_after = query_int(request, "starting_after", -1)
    source = state_of(request).store.follow(record, starting_after)
    return EventStream(source, cut_after=record.cut_every)


async def delete(request: Request) -> Response:
    record = _record(request)
    state_of(request).store.remove(record.response_id)
    record.cancel()
    return reply({"id": record.response_id, "object": "response", "deleted": True})


async def cancel(request: Request) -> Response:
    record = _record(request)
    if not record.is_background:
        raise invalid_request("Cannot cancel a synchronous response.")
    if record.status in RUNNING:
        record.cancel()
        state_of(request).store.touch(record)
    elif record.status != "cancelled":  # cancelling again is fine; a finished job is not
        raise invalid_request(f"Cannot cancel a response with status '{record.status}'.")
    return reply(record.snapshot)


async def input_items(request: Request) -> Response:
    record = _record(request)
    limit = query_int(request, "limit", 20)
    if not 1 <= limit <= 100:
        raise invalid_request(
            f"Invalid 'limit': expected a value between 1 and 100, but got {limit} instead.",
            param="limit",
            code="integer_out_of_range",
        )
    order = request.query_params.get("order", "desc")
    if order not in _ORDERS:
        raise invalid_value("order", order, _ORDERS)
    items = record.input_items if order == "asc" else record.input_items[::-1]
    after = request.query_params.get("after")
    if after is not None:
        positions = [index for index, item in enumerate(items) if item.get("id") == after]
        if not positions:
            raise invalid_request(f"Item with id '{after}' not found.", param="after")
        items = items[positions[0] + 1 :]
    page = items[:limit]
    return reply(
        {
            "object": "list",
            "data": page,
            "first_id": page[0]["id"] if page else None,
            "last_id": page[-1]["id"] if page else None,
            "has_more": len(items) > limit,
        }
    )
