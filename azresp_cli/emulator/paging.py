"""Cursor pagination of the list endpoints (`limit`, `order`, `after`) and their list body."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.requests import Request

from azresp_cli.emulator.errors import invalid_request, invalid_value
from azresp_cli.emulator.wire import query_int

_ORDERS = ("asc", "desc")


def list_page(
    request: Request, objects: Sequence[dict[str, Any]], *, default_limit: int, max_limit: int
) -> dict[str, Any]:
    """One page of `objects` (oldest first) as `{"object": "list", "data", ...}`.

    `first_id`/`last_id` are null on an empty page, as for input_items (docs/protocol.md §10).
    """
    limit = query_int(request, "limit", default_limit)
    if not 1 <= limit <= max_limit:
        raise invalid_request(
            f"Invalid 'limit': expected a value between 1 and {max_limit}, but got {limit}"
            " instead.",
            param="limit",
            code="integer_out_of_range",
        )
    order = request.query_params.get("order", "desc")
    if order not in _ORDERS:
        raise invalid_value("order", order, _ORDERS)
    ordered = list(objects) if order == "asc" else list(objects)[::-1]
    after = request.query_params.get("after")
    if after is not None:
        positions = [index for index, entry in enumerate(ordered) if entry["id"] == after]
        if not positions:
            raise invalid_request(f"No object found with id '{after}'.", param="after")
        ordered = ordered[positions[0] + 1 :]
    page = ordered[:limit]
    return {
        "object": "list",
        "data": page,
        "first_id": page[0]["id"] if page else None,
        "last_id": page[-1]["id"] if page else None,
        "has_more": len(ordered) > limit,
    }
