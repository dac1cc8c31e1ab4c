"""One prompt's whole exchange: the response, the tool calls it asks for, the follow-ups.

A response that ends in ``function_call`` or ``mcp_approval_request`` items is not an answer yet
(docs/protocol.md §3, §4: no waiting state exists; the client acts on the items). For each
call the loop
yields ``ToolCallRequested``, asks ``Approvals``, runs approved functions, then sends every
``function_call_output`` / ``mcp_approval_response`` in one follow-up chained by
``previous_response_id`` (or, stateless, by replaying the items), until the model answers.
After ``max_rounds`` rounds further calls are refused and the model must answer
(``tool_choice: "none"``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from azresp_cli.core.config import Settings
from azresp_cli.core.errors import AzrespError
from azresp_cli.core.events import (
    Completed,
    McpCallResult,
    McpListTools,
    ResponseRecord,
    TextDelta,
    TextDone,
    ToolCall,
    ToolCallRefused,
    ToolCallRequested,
    ToolCallResult,
    ToolRound,
    TurnEvent,
    WireEvent,
)
from azresp_cli.core.function_tools import ToolFailed, invoke
from azresp_cli.core.mcp import StreamMask, mask_strings, mask_values
from azresp_cli.core.outputs import download_cited_files, save_images
from azresp_cli.core.request import TurnRequest, input_items
from azresp_cli.core.tools import ToolKit
from azresp_cli.core.turn import run_turn
from azresp_cli.core.web_search import blocked

if TYPE_CHECKING:
    from openai import OpenAI


def round_limit_reason(limit: int) -> str:
    return (
        f"The limit of {limit} tool round{'s' if limit != 1 else ''} for one prompt "
        "was reached; answer with what you have."
    )


def run_tool_turn(
    client: OpenAI,
    settings: Settings,
    request: TurnRequest,
    kit: ToolKit,
    before_request: Callable[[TurnRequest], None] | None = None,
) -> Iterator[TurnEvent]:
    """Run a prompt to its answer; ends with ``Completed`` for the last response.

    ``before_request`` sees every request before it is sent (a budget check may raise)."""
    local = kit.config.local_mcp
    if local is not None:
        for name, tools, error in local.start():  # the first turn starts the servers
            yield McpListTools(f"{name} (local)", tools, error)
    request = kit.apply(request)
    servers = kit.config.mcp_servers
    rounds = 0
    while True:
        record: ResponseRecord | None = None
        limits = None
        mask = StreamMask(servers) if servers else None
        if before_request is not None:
            before_request(request)
        for raw_event in _web_search_errors(run_turn(client, settings, request), kit):
            event = _masked(raw_event, kit, mask) if mask else raw_event
            if event is None:
                continue
            if isinstance(event, TextDone | Completed) and mask and (held := mask.flush()):
                yield TextDelta(held)  # what was held back was not a secret after all
            if isinstance(event, Completed):
                record, limits = event.response, event.limits
                if record.status == "completed":
                    continue  # held back: the turn may go on with tool calls
            yield event  # an unfinished response ends the turn (run_turn may raise next)
        assert record is not None  # run_turn ends with Completed or raises
        if record.status != "completed":
            return
        yield from save_images(record.output_items, kit.config.output_dir)
        yield from download_cited_files(client, record.output_items, kit.config.output_dir)
        calls = pending_calls(record)
        if not calls:
            yield Completed(record, limits)
            return
        over_limit = rounds >= kit.config.max_rounds
        sent: list[dict[str, Any]] = []
        for call in calls:
            yield ToolCallRequested(call)
            reason = round_limit_reason(kit.config.max_rounds) if over_limit else None
            reason = reason or local_decision(kit, call) or kit.approvals.decide(call)
            if reason is not None:
                yield ToolCallRefused(call, reason)
                sent.append(_answer(call, approved=False, output=reason))
                continue
            if call.kind == "mcp":
                sent.append(_answer(call, approved=True, output=""))
                continue
            result = _run_function(kit, call)
            yield result
            output: Any = list(result.parts) if result.parts else result.output
            sent.append(_answer(call, approved=True, output=output))
        yield ToolRound(record, tuple(sent))
        rounds += 1
        request = follow_up(request, record, sent, answer_only=over_limit)


def _web_search_errors(events: Iterator[TurnEvent], kit: ToolKit) -> Iterator[TurnEvent]:
    """A resource that refuses web search gets an error that names the admin setting."""
    try:
        yield from events
    except AzrespError as error:
        if kit.config.web_search is None or not kit.web_search_on:
            raise
        replaced = blocked(error)
        if replaced is error:
            raise
        raise replaced from error


def pending_calls(record: ResponseRecord) -> list[ToolCall]:
    """The calls of a response that wait for an answer from azresp, in output order."""
    calls: list[ToolCall] = []
    for item in record.output_items:
        kind = item.get("type")
        if kind == "function_call":
            calls.append(
                ToolCall(
                    "function",
                    str(item.get("name", "")),
                    str(item.get("arguments") or ""),
                    str(item.get("call_id", "")),
                )
            )
        elif kind == "mcp_approval_request":
            calls.append(
                ToolCall(
                    "mcp",
                    str(item.get("name", "")),
                    _arguments_text(item.get("arguments")),
                    str(item.get("id", "")),
                    str(item.get("server_label", "")),
                )
            )
    return calls


def follow_up(
    request: TurnRequest,
    record: ResponseRecord,
    sent: list[dict[str, Any]],
    *,
    answer_only: bool = False,
) -> TurnRequest:
    """The next round's request: the answers to the calls, chained to ``record``."""
    if request.store:
        chained = replace(
            request, previous_response_id=record.id, replay_items=(), follow_up=tuple(sent)
        )
    else:
        # Stateless: the whole exchange so far is replayed, the service kept nothing.
        history = (*input_items(request), *record.output_items)
        chained = replace(request, replay_items=history, follow_up=tuple(sent))
    return replace(chained, tool_choice="none") if answer_only else chained


def local_decision(kit: ToolKit, call: ToolCall) -> str | None:
    """A local MCP tool in its server's ``deny`` list is refused; one in ``allow`` is approved
    (recorded as remembered, so ``Approvals`` does not ask). None: decide as usual."""
    local = kit.config.local_mcp
    tool = local.tool_of(call.name) if local is not None and call.kind == "function" else None
    if local is None or tool is None:
        return None
    spec = local.spec_of(tool.server)
    if spec is None:
        return None
    if tool.tool in spec.deny:
        where = f"[mcp_local.{tool.server}] deny"
        return f"The user's settings refuse {tool.server}.{tool.tool} ({where})."
    if tool.tool in spec.allow:
        kit.approvals.remembered.add(kit.approvals.key(call))
    return None


def _run_function(kit: ToolKit, call: ToolCall) -> ToolCallResult:
    local = kit.config.local_mcp
    if local is not None and local.owns(call.name):
        output = local.call(call.name, call.arguments)
        return ToolCallResult(call, output.text, is_error=output.is_error, parts=output.parts)
    tool = kit.config.function(call.name)
    if tool is None:
        return ToolCallResult(call, f"Error: there is no tool named {call.name}.", is_error=True)
    try:
        return ToolCallResult(call, invoke(tool, call.arguments))
    except ToolFailed as exc:
        return ToolCallResult(call, f"Error: {exc}", is_error=True)


def _answer(call: ToolCall, *, approved: bool, output: Any) -> dict[str, Any]:
    if call.kind == "mcp":
        answer: dict[str, Any] = {
            "type": "mcp_approval_response",
            "approval_request_id": call.call_id,
            "approve": approved,
        }
        if not approved:
            answer["reason"] = output
        return answer
    return {"type": "function_call_output", "call_id": call.call_id, "output": output}


def _arguments_text(arguments: Any) -> str:
    # The schema says string; Azure's doc sample shows an object (docs/protocol.md §4).
    if isinstance(arguments, str):
        return arguments
    import json

    return json.dumps(arguments if arguments is not None else {})


def _masked(event: TurnEvent, kit: ToolKit, mask: StreamMask) -> TurnEvent | None:
    """MCP header values never leave core: the service echoes ``tools`` in every Response, and
    a server's tool may echo its request headers (then the model may quote them). None: the
    delta's text is held back until the next shows it is not part of a secret."""
    servers = kit.config.mcp_servers
    if isinstance(event, TextDelta):
        text = mask.feed(event.text)
        return TextDelta(text) if text else None
    if isinstance(event, TextDone):
        return TextDone(mask_values(event.text, servers))
    if isinstance(event, McpCallResult):
        return replace(
            event,
            arguments=mask_values(event.arguments, servers),
            output=mask_values(event.output, servers) if event.output else event.output,
            error=mask_values(event.error, servers) if event.error else event.error,
        )
    if isinstance(event, McpListTools) and event.error:
        return replace(event, error=mask_values(event.error, servers))
    if isinstance(event, Completed):
        record = event.response
        return Completed(
            replace(
                record,
                output_text=mask_values(record.output_text, servers),
                output_items=tuple(mask_strings(record.output_items, servers)),
                raw=mask_strings(record.raw, servers),
            ),
            event.limits,
        )
    if isinstance(event, WireEvent):
        return WireEvent(event.type, event.sequence_number, mask_strings(event.payload, servers))
    return event
