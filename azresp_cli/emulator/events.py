"""The event script of one response: a pure generator of stream events and pauses.

Order follows docs/protocol.md §0: `response.created` (+ `response.queued` in background) and
`response.in_progress`, then each output item from `output_item.added` to
`output_item.done` with its own events between, then exactly one terminal event carrying
the full output and usage. Sequence numbers are added by the event log, not here.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

from azresp_cli.emulator import objects, tokens
from azresp_cli.emulator.faults import Ending, filter_result
from azresp_cli.emulator.objects import Json, ResponseShell

FAILURE_MESSAGE = "The model failed to generate a response (emulated fault)."


@dataclass(frozen=True)
class Pause:
    seconds: float


Step = Pause | Json


@dataclass(frozen=True)
class ReasoningPlan:
    item_id: str
    summary: tuple[str, ...]
    tokens: int
    encrypted_content: str | None


@dataclass(frozen=True)
class CallPlan:
    item_id: str
    call_id: str
    name: str
    arguments: str  # JSON text; a custom tool's input text
    custom: bool = False  # a `custom_tool_call` rather than a `function_call`


@dataclass(frozen=True)
class ItemScript:
    """A hosted tool's output item, decided in full before the response starts.

    `events` are the item's own events between `output_item.added` and `.done`, written
    without `item_id` and `output_index`, which the script adds. MCP, code interpreter
    and image generation items are all played this way (tools_*.py make them).
    """

    added: Json  # the item as `output_item.added` carries it
    events: tuple[Json, ...]
    done: Json  # the final item
    output_tokens: int = 0


@dataclass(frozen=True)
class Plan:
    """Everything the script needs, decided before the first event."""

    message_id: str
    text: str | None  # None: no message item
    reasoning: ReasoningPlan | None = None
    calls: tuple[CallPlan, ...] = ()
    hosted: tuple[ItemScript, ...] = ()  # hosted tool items, played before the message
    annotations: tuple[Json, ...] = ()  # on the message's text, e.g. container_file_citation
    ending: Ending = "completed"
    filtered: tuple[str, ...] = ()  # output_filter: the categories Azure's filter names
    input_tokens: int = 0
    cached_tokens: int = 0
    max_output_tokens: int | None = None
    is_background: bool = False
    background_step: float = 0.0
    delta_delay: float = 0.0
    refusal: str | None = None  # [[refuse]]: the message is this refusal, not text


def script(shell: ResponseShell, plan: Plan) -> Iterator[Step]:
    """Every event of the response, with pauses where time should pass."""
    state = _Script(shell, plan)
    yield from state.opening()
    if plan.reasoning is not None:
        yield from state.reasoning(plan.reasoning)
        if state.budget_left() <= 0:
            yield state.terminal("incomplete", reason="max_output_tokens")
            return
    for hosted in plan.hosted:
        yield from state.hosted(hosted)
    if plan.refusal is not None:
        yield from state.refusal(plan.refusal)
    elif plan.text is not None:
        yield from state.message(plan.text)
    if plan.ending == "error_event":
        yield error_event(FAILURE_MESSAGE)
        return  # no terminal event: the stream just stops
    for call in plan.calls:
        yield from state.function_call(call)
    yield from state.closing()


def error_event(message: str, code: str = "server_error") -> Json:
    """An `error` event nested as the live API sends it, with the spec's flat fields too."""
    error = {"type": "server_error", "code": code, "message": message, "param": None}
    return {"type": "error", "code": code, "message": message, "param": None, "error": error}


class _Script:
    def __init__(self, shell: ResponseShell, plan: Plan) -> None:
        self.shell = shell
        self.plan = plan
        self.output: list[Json] = []
        self.output_tokens = 0
        self.incomplete_reason: str | None = None

    def opening(self) -> Iterator[Step]:
        if self.plan.is_background:
            yield {"type": "response.created", "response": self.shell.snapshot("queued")}
            yield {"type": "response.queued", "response": self.shell.snapshot("queued")}
            yield Pause(self.plan.background_step)
        else:
            yield {"type": "response.created", "response": self.shell.snapshot("in_progress")}
        yield {"type": "response.in_progress", "response": self.shell.snapshot("in_progress")}
        if self.plan.is_background:
            yield Pause(self.plan.background_step)

    def budget_left(self) -> float:
        limit = self.plan.max_output_tokens
        return float("inf") if limit is None else limit - self.output_tokens

    def reasoning(self, reasoning: ReasoningPlan) -> Iterator[Step]:
        index = len(self.output)
        ids = {"item_id": reasoning.item_id, "output_index": index}
        yield self._added(objects.reasoning(reasoning.item_id, [], None))
        for summary_index, text in enumerate(reasoning.summary):
            part = {"type": "summary_text", "text": text}
            at = {**ids, "summary_index": summary_index}
            yield {
                "type": "response.reasoning_summary_part.added",
                **at,
                "part": {**part, "text": ""},
            }
            for delta in self._paced(text):
                yield (
                    delta
                    if isinstance(delta, Pause)
                    else {"type": "response.reasoning_summary_text.delta", **at, "delta": delta}
                )
            yield {"type": "response.reasoning_summary_text.done", **at, "text": text}
            yield {"type": "response.reasoning_summary_part.done", **at, "part": part}
        self.output_tokens += reasoning.tokens
        item = objects.reasoning(
            reasoning.item_id, list(reasoning.summary), reasoning.encrypted_content
        )
        yield self._done(item)

    def message(self, full_text: str) -> Iterator[Step]:
        text, status = self._visible_text(full_text)
        index = len(self.output)
        at = {"item_id": self.plan.message_id, "output_index": index, "content_index": 0}
        yield self._added(objects.message(self.plan.message_id, "in_progress", []))
        yield {"type": "response.content_part.added", **at, "part": objects.output_text_part("")}
        # Annotations that the visible text covers, each streamed right after the delta that
        # completes its span (docs/protocol.md §1); those cut off by a truncation are dropped.
        pending = [note for note in self.plan.annotations if note["end_index"] <= len(text)]
        annotations: list[Json] = []
        sent = 0
        for delta in self._paced(text):
            if isinstance(delta, Pause):
                yield delta
                continue
            yield {"type": "response.output_text.delta", **at, "delta": delta, "logprobs": []}
            sent += len(delta)
            while pending and pending[0]["end_index"] <= sent:
                annotations.append(pending.pop(0))
                yield {
                    "type": "response.output_text.annotation.added",
                    **at,
                    "annotation_index": len(annotations) - 1,
                    "annotation": annotations[-1],
                }
        self.output_tokens += tokens.count(text)
        if self.plan.ending == "error_event":
            return
        part = objects.output_text_part(text, annotations)
        yield {"type": "response.output_text.done", **at, "text": text, "logprobs": []}
        yield {"type": "response.content_part.done", **at, "part": part}
        yield self._done(objects.message(self.plan.message_id, status, [part]))

    def refusal(self, text: str) -> Iterator[Step]:
        """A message whose one part is a refusal, streamed as the service streams one."""
        at = {"item_id": self.plan.message_id, "output_index": len(self.output), "content_index": 0}
        yield self._added(objects.message(self.plan.message_id, "in_progress", []))
        empty = {"type": "refusal", "refusal": ""}
        yield {"type": "response.content_part.added", **at, "part": empty}
        for delta in self._paced(text):
            if not isinstance(delta, Pause):
                yield {"type": "response.refusal.delta", **at, "delta": delta}
        part = {"type": "refusal", "refusal": text}
        self.output_tokens += tokens.count(text)
        yield {"type": "response.refusal.done", **at, "refusal": text}
        yield {"type": "response.content_part.done", **at, "part": part}
        yield self._done(objects.message(self.plan.message_id, "completed", [part]))

    def hosted(self, item: ItemScript) -> Iterator[Step]:
        at = {"item_id": item.added["id"], "output_index": len(self.output)}
        yield self._added(item.added)
        for event in item.events:
            yield {"type": event["type"], **at, **{k: v for k, v in event.items() if k != "type"}}
        self.output_tokens += item.output_tokens
        yield self._done(item.done)

    def function_call(self, call: CallPlan) -> Iterator[Step]:
        if call.custom:
            yield from self.custom_tool_call(call)
            return
        at = {"item_id": call.item_id, "output_index": len(self.output)}
        yield self._added(
            objects.function_call(call.item_id, call.call_id, call.name, "", "in_progress")
        )
        half = len(call.arguments) // 2  # two deltas show that arguments arrive in pieces
        for delta in (call.arguments[:half], call.arguments[half:]):
            yield {"type": "response.function_call_arguments.delta", **at, "delta": delta}
        yield {
            "type": "response.function_call_arguments.done",
            **at,
            "name": call.name,
            "arguments": call.arguments,
        }
        self.output_tokens += tokens.count(call.name) + tokens.count(call.arguments)
        yield self._done(
            objects.function_call(
                call.item_id, call.call_id, call.name, call.arguments, "completed"
            )
        )

    def custom_tool_call(self, call: CallPlan) -> Iterator[Step]:
        at = {"item_id": call.item_id, "output_index": len(self.output)}
        item = functools.partial(objects.custom_tool_call, call.item_id, call.call_id, call.name)
        yield self._added(item("", "in_progress"))
        half = len(call.arguments) // 2
        for delta in (call.arguments[:half], call.arguments[half:]):
            yield {"type": "response.custom_tool_call_input.delta", **at, "delta": delta}
        yield {"type": "response.custom_tool_call_input.done", **at, "input": call.arguments}
        self.output_tokens += tokens.count(call.name) + tokens.count(call.arguments)
        yield self._done(item(call.arguments, "completed"))

    def closing(self) -> Iterator[Step]:
        if self.plan.ending == "failed":
            error = {"code": "server_error", "message": FAILURE_MESSAGE}
            yield self.terminal("failed", error=error)
            yield error_event(FAILURE_MESSAGE)
        elif self.plan.ending == "output_filter":
            yield self.terminal("incomplete", reason="content_filter", filters=self._filters())
        elif self.incomplete_reason is not None:
            yield self.terminal("incomplete", reason=self.incomplete_reason)
        else:
            yield self.terminal("completed")

    def terminal(
        self,
        status: str,
        *,
        reason: str | None = None,
        error: Json | None = None,
        filters: list[Json] | None = None,
    ) -> Json:
        reasoning_tokens = self.plan.reasoning.tokens if self.plan.reasoning else 0
        usage = objects.usage(
            self.plan.input_tokens, self.output_tokens, reasoning_tokens, self.plan.cached_tokens
        )
        response = self.shell.snapshot(
            status,
            self.output,
            usage=usage,
            error=error,
            incomplete_details={"reason": reason} if reason else None,
            content_filters=filters,
        )
        event_type = {"completed": "response.completed", "failed": "response.failed"}.get(
            status, "response.incomplete"
        )
        return {"type": event_type, "response": response}

    def _filters(self) -> list[Json]:
        """Azure's `content_filters` entry for the blocked completion. Its exact shape on
        /responses is unconfirmed (docs/protocol.md §8); this one mirrors Chat Completions'
        per-choice `content_filter_results`, which clients already know how to read."""
        return [
            {
                "blocked": True,
                "source_type": "completion",
                "content_filter_results": filter_result(self.plan.filtered or ("hate",)),
            }
        ]

    def _visible_text(self, text: str) -> tuple[str, str]:
        """The part of the answer that gets out, and the message's final status."""
        if self.plan.ending != "completed":  # a fault strikes about half-way through
            return tokens.first_tokens(text, max(tokens.count(text) // 2, 1)), "incomplete"
        budget = self.budget_left()
        if tokens.count(text) > budget:
            self.incomplete_reason = "max_output_tokens"
            return tokens.first_tokens(text, int(budget)), "incomplete"
        return text, "completed"

    def _paced(self, text: str) -> Iterator[str | Pause]:
        for number, delta in enumerate(tokens.deltas(text)):
            if number and self.plan.delta_delay > 0:
                yield Pause(self.plan.delta_delay)
            yield delta

    def _added(self, item: Json) -> Json:
        return {
            "type": "response.output_item.added",
            "output_index": len(self.output),
            "item": item,
        }

    def _done(self, item: Json) -> Json:
        event = {
            "type": "response.output_item.done",
            "output_index": len(self.output),
            "item": item,
        }
        self.output.append(item)
        return event
