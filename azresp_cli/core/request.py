"""What one turn asks of the service, and the create-response body built from it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Effort = Literal["none", "minimal", "low", "medium", "high", "xhigh"]
Summary = Literal["auto", "concise", "detailed"]
Verbosity = Literal["low", "medium", "high"]

ENCRYPTED_REASONING = "reasoning.encrypted_content"


@dataclass(frozen=True)
class TurnRequest:
    prompt: str
    # Piped stdin given together with a prompt: sent before the prompt, as context.
    context: str | None = None
    # Attachment parts (images, files) that go in the same user message, before the prompt.
    parts: Sequence[Mapping[str, Any]] = ()
    instructions: str | None = None
    previous_response_id: str | None = None
    store: bool = True
    stream: bool = True
    background: bool = False
    max_output_tokens: int | None = None
    effort: Effort | None = None
    summary: Summary | None = None
    verbosity: Verbosity | None = None
    # Items the client keeps itself when store=false: the conversation so far, replayed whole.
    replay_items: Sequence[Mapping[str, Any]] = ()
    # Yield every wire event as well (for --jsonl); off by default, it costs a dict per event.
    emit_wire_events: bool = False
    extra_headers: Mapping[str, str] = field(default_factory=dict)
    extra_query: Mapping[str, str] = field(default_factory=dict)
    # Tools (core/tools.py builds them) and what the response should include for them.
    tools: Sequence[Mapping[str, Any]] = ()
    tool_choice: str | None = None
    include: Sequence[str] = ()
    # A tool round's follow-up: these items are the input, in place of a user message.
    follow_up: Sequence[Mapping[str, Any]] | None = None


def user_message(request: TurnRequest) -> dict[str, Any]:
    content: list[dict[str, Any]] = []
    if request.context:
        content.append({"type": "input_text", "text": request.context})
    content.extend(dict(part) for part in request.parts)
    content.append({"type": "input_text", "text": request.prompt})
    return {"type": "message", "role": "user", "content": content}


def build_create_body(deployment: str, request: TurnRequest) -> dict[str, Any]:
    """The JSON body of ``POST /responses`` for this turn (validated against the spec in tests)."""
    body: dict[str, Any] = {"model": deployment}
    if request.follow_up is not None:
        body["input"] = [*request.replay_items, *request.follow_up]
    elif request.replay_items:
        body["input"] = [*request.replay_items, user_message(request)]
    elif request.context or request.parts:
        body["input"] = [user_message(request)]
    else:
        body["input"] = request.prompt
    if request.instructions:
        # Not carried by previous_response_id, so it is sent on every turn.
        body["instructions"] = request.instructions
    if request.previous_response_id:
        body["previous_response_id"] = request.previous_response_id
    body["store"] = request.store
    if request.stream:
        body["stream"] = True
    if request.background:
        body["background"] = True
    if request.max_output_tokens is not None:
        body["max_output_tokens"] = request.max_output_tokens
    reasoning: dict[str, Any] = {}
    if request.effort:
        reasoning["effort"] = request.effort
    if request.summary:
        reasoning["summary"] = request.summary
    if reasoning:
        body["reasoning"] = reasoning
    if request.verbosity:
        body["text"] = {"verbosity": request.verbosity}
    include = list(request.include)
    if not request.store:
        # Without it a reasoning model's next stateless turn cannot replay its reasoning.
        include.insert(0, ENCRYPTED_REASONING)
    if include:
        body["include"] = include
    if request.tools:
        # Request-level settings are not carried by previous_response_id: sent every round.
        body["tools"] = [dict(tool) for tool in request.tools]
    if request.tool_choice:
        body["tool_choice"] = request.tool_choice
    return body


def input_items(request: TurnRequest) -> list[dict[str, Any]]:
    """The request's input as a list of items (a plain-string prompt becomes a user message)."""
    if request.follow_up is not None:
        return [dict(item) for item in (*request.replay_items, *request.follow_up)]
    return [dict(item) for item in request.replay_items] + [user_message(request)]
