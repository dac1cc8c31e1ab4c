"""One batch line answered by the scripted model, as `POST /responses` would answer it.

A line's body goes through the same checks as a direct request (params.py, the directive
registry, `[[fault:...]]` directives with their `once` memory); a refusal becomes that line's
entry in the error file, with the status and error body the direct request would have got.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from azresp_cli.emulator import (
    context,
    conversation,
    create_route,
    directives,
    events,
    faults,
    ids,
    model,
    objects,
    runs,
)
from azresp_cli.emulator.errors import ApiError, invalid_request
from azresp_cli.emulator.faults import FaultPlan
from azresp_cli.emulator.objects import Json
from azresp_cli.emulator.params import parse
from azresp_cli.emulator.state import EmulatorState
from azresp_cli.emulator.store import ResponseRecord


async def answer(state: EmulatorState, body: Any) -> tuple[int, Json]:
    """(HTTP status, body) for one line's request body."""
    try:
        return 200, await _respond(state, body)
    except ApiError as error:
        return error.status, error.body


async def _respond(state: EmulatorState, body: Any) -> Json:
    params = parse(body)
    if params.stream or params.background:
        raise invalid_request(
            "'stream' and 'background' are not supported in a batch request.", param="stream"
        )
    text = directives.latest_user_text(params.input)
    directives.check(text)
    specs = [
        faults.parse(directive.argument, directive.source)
        for directive in directives.find(text)
        if directive.name == "fault"
    ]
    identity = b"batch\n" + json.dumps(body, sort_keys=True).encode()
    plan = faults.plan(specs, hashlib.sha256(identity).digest(), state.once)
    if plan.http_error is not None:
        raise plan.http_error
    found = context.resolve(
        params.input,
        params.previous_response_id,
        is_stored=params.store,
        store=state.store,
        sealer=state.sealer,
    )
    read = conversation.read(found.items, context.read_transcript(state.sealer))
    reply = model.respond(read, create_route.model_request(params))
    shell = objects.new_shell(ids.hex_id("resp"), params.echo)
    steps_plan = create_route.build_plan(
        reply, params, found, FaultPlan(ending=plan.ending), state.config, state.sealer
    )
    record = ResponseRecord(
        shell=shell,
        previous_response_id=params.previous_response_id,
        input_items=found.input_items,
        snapshot=shell.snapshot("in_progress"),
        is_background=False,
        is_streamed=False,
        is_resumable=False,
        input_tokens=steps_plan.input_tokens,
        plan=steps_plan,
    )
    await runs.run_to_end(record, events.script(shell, steps_plan))
    if record.status == "failed":
        raise ApiError(500, {"error": record.snapshot.get("error")})
    return record.snapshot
