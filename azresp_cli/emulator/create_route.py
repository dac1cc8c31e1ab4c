"""POST /responses: validate, resolve the context, ask the model, run the event script."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from azresp_cli.emulator import (
    attachments,
    context,
    conversation,
    directives,
    events,
    hosted,
    idempotency,
    ids,
    model,
    objects,
    runs,
    tiers,
    tokens,
    tool_turn,
)
from azresp_cli.emulator.config import EmulatorConfig
from azresp_cli.emulator.errors import ApiError, deployment_not_found, error_body
from azresp_cli.emulator.faults import FaultPlan
from azresp_cli.emulator.params import CreateParams, parse
from azresp_cli.emulator.sealed import Sealer
from azresp_cli.emulator.sse import EventStream
from azresp_cli.emulator.store import ResponseRecord
from azresp_cli.emulator.wire import fault_plan_of, read_json, reply, state_of

CACHE_MINIMUM = 1024  # the service caches prompt prefixes from this length on,
CACHE_STEP = 128  # in blocks of this many tokens


async def create_response(request: Request) -> Response:
    state = state_of(request)
    body = await read_json(request)
    params = parse(body)
    deployments = state.config.deployments
    if deployments is not None and params.model not in deployments:
        raise deployment_not_found()
    echoed = tiers.echo(params, directives.latest_user_text(params.input))  # may be a flex 429
    faults = fault_plan_of(request)
    key = request.headers.get(idempotency.HEADER)
    body_digest = idempotency.digest(body) if key else ""
    if key:
        earlier = state.idempotency.find(key, body_digest)
        known = state.store.get(earlier) if earlier else None
        if known is not None:
            return _replay(known, params, faults)
    found = context.resolve(
        params.input,
        params.previous_response_id,
        is_stored=params.store,
        store=state.store,
        sealer=state.sealer,
    )
    latest_text = directives.latest_user_text(params.input)
    attachments.check(params.input, state.files)
    attached = attachments.latest(params.input, state.files)
    tools = tool_turn.prepare(params, found, request.headers, attached, latest_text, state)
    read = conversation.read(found.items, context.read_transcript(state.sealer))
    answer = model.respond(read, model_request(params, attached))
    worked = await tool_turn.run(tools, state)  # MCP servers are called here, for real
    shell = objects.new_shell(ids.hex_id("resp"), echoed)
    plan = build_plan(
        answer,
        params,
        found,
        faults,
        state.config,
        state.sealer,
        worked,
        cacheable=tiers.same_cache_key(params, state.store),
    )
    record = ResponseRecord(
        shell=shell,
        previous_response_id=params.previous_response_id,
        input_items=found.input_items,
        snapshot=shell.snapshot("queued" if params.background else "in_progress"),
        is_background=params.background,
        is_streamed=params.stream,
        is_resumable=params.background and params.stream and faults.is_resumable,
        input_tokens=plan.input_tokens,
        plan=plan,
        cut_every=faults.cut_every,
    )
    if params.store:
        state.store.add(record)
        if key:
            state.idempotency.remember(key, body_digest, record.response_id)
    state.idempotency.generated(latest_text)
    steps = events.script(shell, plan)
    if params.background:
        runs.start_background(record, steps)
        if not params.stream:
            return reply(record.snapshot)
        return _stream(record.log.follow(), faults, record)
    if params.stream:
        return _stream(runs.drive(record, steps), faults, record)
    await runs.run_to_end(record, steps)
    if record.status == "failed":  # a synchronous failure is an HTTP error, not a body
        raise ApiError(
            500, error_body(events.FAILURE_MESSAGE, type_="server_error", code="server_error")
        )
    return reply(record.snapshot)


def _replay(record: ResponseRecord, params: CreateParams, faults: FaultPlan) -> Response:
    """The answer to a request whose Idempotency-Key an earlier one used: that response."""
    if params.stream and record.is_background and record.is_streamed:
        return _stream(record.log.follow(), faults, record)
    return reply(record.snapshot)


def _stream(source: runs.EventSource, faults: FaultPlan, record: ResponseRecord) -> EventStream:
    cut_after = faults.cut_after if faults.cut_after is not None else record.cut_every
    return EventStream(source, cut_after=cut_after, malformed_after=faults.malformed_after)


def model_request(
    params: CreateParams, attached: tuple[attachments.Attachment, ...] = ()
) -> model.ModelRequest:
    functions = tuple(
        model.FunctionTool(
            tool["name"], tool.get("parameters") or {}, custom=tool.get("type") == "custom"
        )
        for tool in params.tools
        if tool.get("type") in ("function", "custom") and isinstance(tool.get("name"), str)
    )
    return model.ModelRequest(
        latest_text=directives.latest_user_text(params.input),
        instructions=params.instructions,
        effort=params.effort,
        summary=params.summary,
        functions=functions,
        tool_choice=params.tool_choice,
        text_format=params.text_format,
        attachments=tuple(attachment.describe() for attachment in attached),
        parallel_tool_calls=params.body.get("parallel_tool_calls") is not False,
    )


def build_plan(
    answer: model.Answer,
    params: CreateParams,
    found: context.Context,
    faults: FaultPlan,
    config: EmulatorConfig,
    sealer: Sealer,
    worked: hosted.HostedOutcome | None = None,
    *,
    cacheable: bool = True,
) -> events.Plan:
    reasoning = None
    if answer.reasoning_tokens:
        reasoning_id = ids.item_id("reasoning")
        sealed = None
        if "reasoning.encrypted_content" in params.include:
            sealed = sealer.seal(
                "reasoning", {"id": reasoning_id, "summary": list(answer.reasoning_summary)}
            )
        reasoning = events.ReasoningPlan(
            reasoning_id, answer.reasoning_summary, answer.reasoning_tokens, sealed
        )
    calls = tuple(
        events.CallPlan(
            ids.item_id("custom_tool_call" if call.custom else "function_call"),
            ids.call_id(),
            call.name,
            call.arguments,
            custom=call.custom,
        )
        for call in answer.function_calls
    )
    prefix = tokens.count_context(None, found.chain_items, ()) if cacheable else 0
    structured = params.text_format.get("type") in ("json_schema", "json_object")
    text, annotations = hosted.message(
        answer.text, worked or hosted.HostedOutcome(), structured=structured
    )
    return events.Plan(
        message_id=ids.item_id("message"),
        text=text,
        reasoning=reasoning,
        calls=calls,
        hosted=tuple(worked.items) if worked else (),
        annotations=annotations,
        ending=faults.ending,
        filtered=faults.filtered,
        input_tokens=tokens.count_context(params.instructions, found.items, params.tools),
        cached_tokens=prefix // CACHE_STEP * CACHE_STEP if prefix >= CACHE_MINIMUM else 0,
        max_output_tokens=_budget(answer, params, text),
        is_background=params.background,
        background_step=config.background_step,
        delta_delay=config.delta_delay if answer.delta_delay is None else answer.delta_delay,
        refusal=answer.refusal,
    )


def _budget(answer: model.Answer, params: CreateParams, text: str | None) -> int | None:
    """The output-token budget; ``[[truncate]]`` makes it half the answer (after reasoning)."""
    if not answer.truncate or not text:
        return params.max_output_tokens
    return answer.reasoning_tokens + max(tokens.count(text) // 2, 1)
