"""One answer: build the turn, stream its events to a writer, remember the chain for -c."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from azresp_cli.cli.connection import Connection
from azresp_cli.cli.state import AppState
from azresp_cli.core.conversation import Conversation
from azresp_cli.core.errors import Interrupted, UsageError
from azresp_cli.core.events import Completed, ResponseRecord
from azresp_cli.core.request import TurnRequest
from azresp_cli.core.state import LastConversation, load_last, save_last
from azresp_cli.core.turn import run_turn


@dataclass(frozen=True)
class OneShot:
    prompt: str
    context: str | None
    system: str | None
    previous: str | None
    continue_last: bool
    store: bool
    stream: bool
    effort: str | None
    summary: str | None
    verbosity: str | None
    max_output_tokens: int | None
    output: Literal["text", "json", "jsonl"]


def run_one_shot(state: AppState, conn: Connection, options: OneShot) -> None:
    from azresp_cli.render.writers import OutputFormat, Outcome, writer_for

    conversation = _conversation_for(state, conn, options)
    request = conversation.prepare(
        TurnRequest(
            prompt=options.prompt,
            context=options.context,
            instructions=options.system or conn.settings.defaults.get("system"),
            previous_response_id=options.previous if not options.store else None,
            stream=options.stream,
            max_output_tokens=options.max_output_tokens
            or conn.settings.defaults.get("max_output_tokens"),
            effort=options.effort or conn.settings.defaults.get("effort"),  # type: ignore[arg-type]
            summary=options.summary or conn.settings.defaults.get("summary"),  # type: ignore[arg-type]
            verbosity=options.verbosity or conn.settings.defaults.get("verbosity"),  # type: ignore[arg-type]
            emit_wire_events=options.output == "jsonl",
        )
    )
    writer = writer_for(state.env, OutputFormat(options.output))
    completed: ResponseRecord | None = None
    try:
        for event in run_turn(conn.client, conn.settings, request):
            writer.handle(event)
            if isinstance(event, Completed):
                completed = event.response
                # Remembered before raise_for_outcome may raise: a filtered answer is still a turn.
                _remember(state, conn, conversation, request, completed)
    except KeyboardInterrupt:
        writer.finish(Outcome.interrupted())
        raise Interrupted("interrupted") from None
    except Exception as exc:
        from azresp_cli.core.errors import classify

        writer.finish(Outcome.failed(classify(exc)))
        raise
    writer.finish(Outcome.completed())


def _conversation_for(state: AppState, conn: Connection, options: OneShot) -> Conversation:
    conversation = Conversation(store=options.store, previous_response_id=options.previous)
    if not options.continue_last:
        return conversation
    last = load_last(state.env.data_dir)
    if last is None or last.response_id is None:
        raise UsageError(
            "there is no earlier conversation to continue",
            hint='start one with azresp chat "..."; -c then continues it',
        )
    if last.endpoint and last.endpoint != conn.settings.endpoint:
        raise UsageError(
            f"the last conversation was on {last.endpoint}, not {conn.settings.endpoint}",
            hint="use the same endpoint, or -p/--previous with an id from that endpoint",
        )
    if not last.store and options.store:
        # A stateless conversation can only go on statelessly: the service never stored it.
        conversation.store = False
    conversation.previous_response_id = last.response_id
    conversation.items = list(last.items)
    if not conversation.store:
        conversation.previous_response_id = None
    return conversation


def _remember(
    state: AppState,
    conn: Connection,
    conversation: Conversation,
    request: TurnRequest,
    record: ResponseRecord,
) -> None:
    conversation.record(request, record)
    try:
        save_last(
            state.env.data_dir,
            LastConversation(
                response_id=record.id,
                store=conversation.store,
                endpoint=conn.settings.endpoint,
                items=tuple(conversation.items),
            ),
        )
    except OSError:
        pass  # -c will not work next time; the answer itself must not fail for it
