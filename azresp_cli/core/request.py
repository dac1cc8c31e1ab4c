"""What one turn asks of the service, and the create-response body built from it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from azresp_cli.core.turn_options import TurnOptions

ENCRYPTED_REASONING = "reasoning.encrypted_content"


@dataclass(frozen=True)
class TurnRequest:
    prompt: str
    # Piped stdin given together with a prompt: sent before the prompt, as context.
    context: str | None = None
    # Attachment parts (images, files) that go in the same user message, before the prompt.
    parts: Sequence[Mapping[str, Any]] = ()
    # The session's options: instructions, effort, store, stream ... (core/turn_options.py).
    options: TurnOptions = field(default_factory=TurnOptions)
    previous_response_id: str | None = None
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
    # Routes requests with the same long prefix to the same cache: one key per conversation,
    # made by the session (the option ``prompt_cache_key`` says whether to send one).
    prompt_cache_key: str | None = None

    @property
    def store(self) -> bool:
        return self.options.store

    @property
    def stream(self) -> bool:
        return self.options.stream

    @property
    def background(self) -> bool:
        return self.options.background

    @property
    def instructions(self) -> str | None:
        return self.options.instructions

    def with_options(self, **values: Any) -> TurnRequest:
        """This request with some of its options changed (``store=False``, ``stream=True``)."""
        return replace(self, options=replace(self.options, **values))


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
    options = request.options
    if request.previous_response_id:
        body["previous_response_id"] = request.previous_response_id
    body["store"] = options.store
    if options.stream:
        body["stream"] = True
    if options.background:
        body["background"] = True
    # The pass-through options (instructions, reasoning, text, max_output_tokens ...), each
    # where its OptionSpec says; previous_response_id carries none of them: sent every turn.
    body.update(options.wire_fields())
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
    if request.prompt_cache_key:
        body["prompt_cache_key"] = request.prompt_cache_key
    return body


def input_items(request: TurnRequest) -> list[dict[str, Any]]:
    """The request's input as a list of items (a plain-string prompt becomes a user message)."""
    if request.follow_up is not None:
        return [dict(item) for item in (*request.replay_items, *request.follow_up)]
    return [dict(item) for item in request.replay_items] + [user_message(request)]
