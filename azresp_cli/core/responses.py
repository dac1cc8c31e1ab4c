"""Stored responses: look up, list input items, delete (ids checked by core/ids.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from azresp_cli.core.events import ResponseRecord
from azresp_cli.core.ids import check_id
from azresp_cli.core.raw_api import input_items_page, retrieve_response
from azresp_cli.core.records import record_from_json

if TYPE_CHECKING:
    from openai import OpenAI


@dataclass(frozen=True)
class ItemsPage:
    items: tuple[Mapping[str, Any], ...]
    has_more: bool
    raw: Mapping[str, Any]


def get_response(client: OpenAI, response_id: str) -> ResponseRecord:
    check_id(response_id)
    return record_from_json(retrieve_response(client, response_id))


def list_input_items(
    client: OpenAI,
    response_id: str,
    *,
    limit: int | None = None,
    order: str = "asc",
    after: str | None = None,
) -> ItemsPage:
    """All input items (following pages) unless ``limit`` caps them; oldest first by default."""
    check_id(response_id)
    collected: list[Mapping[str, Any]] = []
    cursor = after
    has_more = False
    while True:
        page_size = min(100, limit - len(collected)) if limit else 100
        params: dict[str, Any] = {"limit": page_size, "order": order}
        if cursor:
            params["after"] = cursor
        page = input_items_page(client, response_id, params)
        listed = page.get("data")
        data = [
            item for item in (listed if isinstance(listed, list) else ()) if isinstance(item, dict)
        ]
        collected.extend(data)
        has_more = page.get("has_more") is True
        if not has_more or not data or (limit and len(collected) >= limit):
            break
        last = data[-1].get("id")
        if not isinstance(last, str) or last == cursor:  # no way on: a page it already gave
            break
        cursor = last
    raw = {
        "object": "list",
        "data": collected,
        "first_id": collected[0].get("id") if collected else None,
        "last_id": collected[-1].get("id") if collected else None,
        "has_more": has_more,
    }
    return ItemsPage(items=tuple(collected), has_more=has_more, raw=raw)


def delete_response(client: OpenAI, response_id: str) -> None:
    check_id(response_id)
    client.responses.delete(response_id)
