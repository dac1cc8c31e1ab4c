"""A request's full context: the stored chain, then its own input items, all checked.

Checks made here, each the 400 the service gives: an unknown previous response, an item
reference or stored-style reasoning item that is not stored, tampered `encrypted_content`,
an item id sent twice, and function calls left without their output.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from azresp_cli.emulator import inputs
from azresp_cli.emulator.conversation import TranscriptReader
from azresp_cli.emulator.errors import (
    invalid_request,
    item_not_found,
    previous_response_not_found,
)
from azresp_cli.emulator.objects import Json
from azresp_cli.emulator.sealed import Sealer
from azresp_cli.emulator.store import RUNNING, ResponseStore


@dataclass(frozen=True)
class Context:
    chain_items: list[Json]  # inputs and outputs of the previous responses, oldest first
    input_items: list[Json]  # this request's items, normalised, references resolved

    @property
    def items(self) -> list[Json]:
        return [*self.chain_items, *self.input_items]


def resolve(
    raw_input: Any,
    previous_response_id: str | None,
    *,
    is_stored: bool,
    store: ResponseStore,
    sealer: Sealer,
    needs_tool_outputs: bool = True,
) -> Context:
    chain_items = _chain_items(previous_response_id, store)
    items = [_resolve_reference(item, store) for item in inputs.normalize(raw_input)]
    seen = {item["id"] for item in chain_items if "id" in item}
    for item in items:
        if item["id"] in seen:
            raise invalid_request(
                f"Duplicate item found with id {item['id']}. Remove duplicate items from your"
                " input and try again.",
                param="input",
            )
        seen.add(item["id"])
        _check_sealed(item, is_stored=is_stored, store=store, sealer=sealer)
    context = Context(chain_items, items)
    _check_tool_outputs(context.items, needs_every_output=needs_tool_outputs)
    return context


def read_transcript(sealer: Sealer) -> TranscriptReader:
    """Reads compaction items already checked by `resolve`."""

    def read(item: Json) -> list[dict[str, str]]:
        payload = sealer.unseal("compaction", item.get("encrypted_content")) or {}
        return list(payload.get("transcript", []))

    return read


def _chain_items(previous_response_id: str | None, store: ResponseStore) -> list[Json]:
    if previous_response_id is None:
        return []
    chain = store.chain(previous_response_id)
    if not chain:
        raise previous_response_not_found(previous_response_id)
    if chain[-1].status in RUNNING:
        raise invalid_request(
            f"Previous response with id '{previous_response_id}' is still {chain[-1].status}."
            " Wait for it to finish before continuing from it.",
            param="previous_response_id",
        )
    return [
        copy.deepcopy(item) for record in chain for item in [*record.input_items, *record.output]
    ]


def _resolve_reference(item: Json, store: ResponseStore) -> Json:
    if item["type"] != "item_reference":
        return item
    found = store.find_item(item["id"])
    if found is None:
        raise item_not_found(item["id"], is_stored=True)
    return copy.deepcopy(found)


def _check_sealed(item: Json, *, is_stored: bool, store: ResponseStore, sealer: Sealer) -> None:
    kind = item["type"]
    if kind not in ("reasoning", "compaction"):
        return
    token = item.get("encrypted_content")
    if token is None:
        if kind == "reasoning" and store.find_item(item["id"]) is None:
            raise item_not_found(item["id"], is_stored=is_stored)
        return
    payload = sealer.unseal(kind, token)
    if payload is None or (kind == "reasoning" and payload.get("id") != item["id"]):
        raise invalid_request(
            f"The encrypted content for item {item['id']} could not be verified.",
            param="input",
            code="invalid_encrypted_content",
        )


def _check_tool_outputs(items: list[Json], *, needs_every_output: bool) -> None:
    open_calls: list[str] = []
    for item in items:
        if item["type"] == "function_call":
            open_calls.append(item["call_id"])
        elif item["type"] == "function_call_output":
            if item["call_id"] not in open_calls:
                raise invalid_request(
                    f"No tool call found for function call output with call_id {item['call_id']}.",
                    param="input",
                )
            open_calls.remove(item["call_id"])
    if open_calls and needs_every_output:
        raise invalid_request(
            f"No tool output found for function call {open_calls[0]}.", param="input"
        )
