"""POST /responses/input_tokens and POST /responses/compact (docs/protocol.md §10)."""

from __future__ import annotations

import time

from starlette.requests import Request
from starlette.responses import Response

from azresp_cli.emulator import context, conversation, ids, objects, tokens
from azresp_cli.emulator.conversation import Conversation
from azresp_cli.emulator.errors import deployment_not_found, resource_not_found
from azresp_cli.emulator.params import COMPACT_FIELDS, COUNT_FIELDS, CreateParams, parse
from azresp_cli.emulator.state import EmulatorState
from azresp_cli.emulator.wire import read_json, reply, state_of


async def input_tokens(request: Request) -> Response:
    state = state_of(request)
    params = parse(await read_json(request), COUNT_FIELDS, needs_model=False)
    found = _context(params, state)
    count = tokens.count_context(params.instructions, found.items, params.tools)
    return reply({"object": "response.input_tokens", "input_tokens": count})


async def compact(request: Request) -> Response:
    """User messages kept as they were, then one compaction item sealing the transcript."""
    state = state_of(request)
    if not state.config.supports_compact:
        raise resource_not_found()
    params = parse(await read_json(request), COMPACT_FIELDS)
    found = _context(params, state)
    read = conversation.read(found.items, context.read_transcript(state.sealer))
    summary = _summary(read)
    compaction = {
        "id": ids.item_id("compaction"),
        "type": "compaction",
        "encrypted_content": state.sealer.seal(
            "compaction", {"summary": summary, "transcript": read.transcript()}
        ),
    }
    kept = [item for item in _after_last_compaction(found.items) if _is_user_message(item)]
    input_count = tokens.count_context(params.instructions, found.items, ())
    return reply(
        {
            "id": ids.hex_id("resp"),
            "object": "response.compaction",
            "created_at": int(time.time()),
            "output": [*kept, compaction],
            "usage": objects.usage(input_count, tokens.count(summary), 0, 0),
        }
    )


def _context(params: CreateParams, state: EmulatorState) -> context.Context:
    deployments = state.config.deployments
    if params.model and deployments is not None and params.model not in deployments:
        raise deployment_not_found()
    return context.resolve(
        params.input,
        params.previous_response_id,
        is_stored=True,
        store=state.store,
        sealer=state.sealer,
        needs_tool_outputs=False,
    )


def _summary(read: Conversation) -> str:
    """A deterministic summary: what the user said, turn by turn."""
    said = "; ".join(f'"{text}"' for text in read.user_texts) or "nothing yet"
    return f"Compacted {len(read.messages)} messages over {read.turn} turns. The user said: {said}."


def _after_last_compaction(items: list[objects.Json]) -> list[objects.Json]:
    starts = [index for index, item in enumerate(items) if item["type"] == "compaction"]
    return items[starts[-1] + 1 :] if starts else items


def _is_user_message(item: objects.Json) -> bool:
    return item["type"] == "message" and item.get("role") == "user"
