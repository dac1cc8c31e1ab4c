"""A chat session: the chain, the turn settings, the totals. What the REPL's commands act on.

No UI here: the REPL (and the one-shot mode) call these methods and render the events ``ask``
yields. Where the next turn continues from (stored or stateless, and the switches between the
two) is the session's ``ChainState`` (core/chain.py); this module runs the turns.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from azresp_cli.core.attachments import (
    Attachment,
    attachment_parts,
    check_total,
    load_attachment,
    prepare_attachments,
)
from azresp_cli.core.chain import ChainState
from azresp_cli.core.compaction import Compaction, compact, compaction_turn
from azresp_cli.core.config import Settings
from azresp_cli.core.conversation import Conversation
from azresp_cli.core.errors import AzrespError, UsageError, classify
from azresp_cli.core.events import (
    Completed,
    ResponseRecord,
    ToolRound,
    TurnEvent,
    Usage,
)
from azresp_cli.core.fragments import fragment_parts, with_system_fragments
from azresp_cli.core.history import new_conversation_id
from azresp_cli.core.ids import check_id
from azresp_cli.core.job_store import note_job
from azresp_cli.core.meter import Meter
from azresp_cli.core.partial_turn import PartialAnswer
from azresp_cli.core.request import TurnRequest
from azresp_cli.core.resume_target import find_resume_target
from azresp_cli.core.safe_history import SafeHistory
from azresp_cli.core.session_meter import budget_guard, capped, with_flex_fallback
from azresp_cli.core.session_turns import (
    Ask,
    Chain,
    SessionTurn,
    finished_turn,
    stored_turns,
)
from azresp_cli.core.structured import refusal_text
from azresp_cli.core.tool_loop import run_tool_turn
from azresp_cli.core.tools import ToolKit
from azresp_cli.core.turn_extras import FragmentUse
from azresp_cli.core.turn_options import TurnOptions

if TYPE_CHECKING:
    from openai import OpenAI

# Called for each turn; the REPL hands in one whose client was built in the background.
ClientProvider = Callable[[], "OpenAI"]
# A response that failed carries no usable context; only these statuses advance the chain.
_CHAINABLE = frozenset({"completed", "incomplete"})


@dataclass
class ChatSession:
    settings: Settings
    client: ClientProvider
    # What every turn sends until a command changes it (the store flag lives in the chain).
    options: TurnOptions = field(default_factory=TurnOptions)
    history: SafeHistory | None = None
    chain: ChainState = field(default_factory=ChainState)
    conversation_id: str = field(default_factory=new_conversation_id)
    turns: list[SessionTurn] = field(default_factory=list)
    pending: list[Attachment] = field(default_factory=list)
    # Fragments (-f, --sf, /fragment) for the next turn: context before its prompt, or (system)
    # appended to its instructions; recorded once per content in the history.
    fragments: list[FragmentUse] = field(default_factory=list)
    config_dir: Path | None = None  # where templates and fragment names live (/template)
    tools: ToolKit = field(default_factory=ToolKit)
    clock: Callable[[], float] = time.time
    meter: Meter = field(default_factory=Meter)
    _held_tokens: int = 0  # what the service holds for the head (its input + output tokens)
    _last: Ask | None = None

    @property
    def conversation(self) -> Conversation:
        return self.chain.conversation

    @property
    def head(self) -> str | None:
        """The last response of the chain (None: a new chain)."""
        return self.chain.head

    @property
    def store(self) -> bool:
        return self.chain.store

    @property
    def totals(self) -> Usage:
        """Every response of the session added up (tool rounds and compactions too)."""
        return self.meter.total.usage or Usage()

    def ask(
        self,
        prompt: str,
        *,
        context: str | None = None,
        emit_wire_events: bool = False,
        background: bool = False,
    ) -> Generator[TurnEvent, None, None]:
        """Send ``prompt`` as the next turn and yield its events. The chain advances (and the turn
        is recorded) just before ``Completed`` is yielded; an interrupted turn leaves it as it was.
        Pending attachments go with this turn. Failures are raised as AzrespError.

        ``background``: the service runs the turn as a job (recorded for ``azresp bg``) and the
        stream is followed, resumed after drops; an interrupted one goes on running there."""
        if background and not self.store:
            raise UsageError(
                "a background turn needs a stored conversation (the service keeps the job)",
                hint="/store on (or drop --no-store), then ask again",
            )
        attachments = tuple(self.pending)
        self.pending.clear()
        fragments = tuple(self.fragments)
        self.fragments.clear()
        chain = self.chain.snapshot()
        self._last = Ask(prompt, attachments, chain, len(self.turns), fragments)
        started = self.clock()
        # Items of the turn's tool rounds: kept with the turn so a stateless chain replays them.
        rounds: list[Mapping[str, Any]] = []
        partial = PartialAnswer()  # kept in the history if the turn ends early
        billed: list[str] = []  # the turn's responses: tool rounds and the answer
        self.meter.start_turn()
        guard = budget_guard(self.meter, self.settings, lambda: self._held_tokens)
        try:
            attachments = prepare_attachments(self.client, attachments, self.tools)
            request = capped(
                self._request(prompt, context, attachments, emit_wire_events, fragments),
                self.meter,
            )
            if background:  # streamed, because only a streamed job can be resumed
                request = request.with_options(background=True, stream=True)
            events = with_flex_fallback(
                lambda r: run_tool_turn(self.client(), self.settings, r, self.tools, guard),
                request,
                self.options.flex_fallback,
            )
            for event in events:
                if background and self.history is not None:
                    note_job(self.history, event, request, self.settings, self.conversation_id)
                if isinstance(event, ToolRound):
                    rounds += [*event.response.output_items, *event.sent]
                    self._charge(event.response, billed)  # every response of the turn is billed
                if isinstance(event, Completed):
                    self._charge(event.response, billed)
                    self.meter.observe_limits(event.limits)
                if isinstance(event, Completed) and event.response.status in _CHAINABLE:
                    record = replace(
                        event.response, output_items=(*rounds, *event.response.output_items)
                    )
                    self._advance(request, fragments, chain, record, started, billed)
                partial.observe(event)
                yield event
        except AzrespError:
            raise
        except Exception as exc:
            raise classify(exc) from exc
        finally:
            self._keep_partial(partial, prompt, chain, started)

    def next_request(self, prompt: str, *, context: str | None = None) -> TurnRequest:
        """The request the next turn would send for ``prompt`` (``bg start`` sends it as a
        job); the chain does not advance."""
        fragments = tuple(self.fragments)
        return self._request(prompt, context, (), False, fragments)

    def retry(self) -> str:
        """Go back to where the last prompt was asked from; returns that prompt to ask again."""
        if self._last is None:
            raise UsageError("nothing to retry yet", hint="ask something first")
        last = self._last
        self.chain.restore(last.chain)
        del self.turns[last.turn_count :]
        self.pending[:0] = last.attachments
        self.fragments[:0] = last.fragments
        return last.prompt

    def new_chain(self) -> None:
        """Forget the chain: the next turn starts a new conversation."""
        self.chain.reset()
        self._last = None
        self._held_tokens = 0
        self.turns = []
        self.conversation_id = new_conversation_id()

    def continue_from(self, response_id: str) -> None:
        """Continue from any response id: one of this session, an earlier one, another session's.

        A stateless response the local history knows is continued by replaying its items."""
        check_id(response_id)
        self.new_chain()
        history = self.history
        segment = history.read(lambda s: s.chain(response_id)) if history else None
        if segment:
            usage = segment[-1].usage
            self._held_tokens = usage.input_tokens + usage.output_tokens
        self.chain.continue_at(response_id, segment)
        same = history.read(lambda s: s.conversation_of(response_id)) if history else None
        if same:
            self.conversation_id = same
            self.turns = stored_turns(self.history, same)

    def resume(self, identifier: str | None = None) -> str:
        """Reopen a conversation from the history (the last one when no id); a response id
        resumes from that response. Returns the conversation id."""
        target = find_resume_target(
            self.history.store if self.history else None, identifier, self.settings
        )
        turn = target.turn
        self.conversation.store = target.stored
        self.continue_from(turn.response_id)
        if self.options.instructions is None:
            self.options = replace(self.options, instructions=turn.instructions)
        return self.conversation_id

    def set_store(self, store: bool) -> None:
        self.chain.set_store(store)

    def compact(self) -> Compaction:
        """Compact the conversation on the service and go on from the result; raises
        NotSupportedError (the conversation unchanged) where the endpoint has no compact."""
        previous, items = self.chain.context()
        if previous is None and not items:
            raise UsageError("nothing to compact yet", hint="ask something first")
        result = compact(self.client(), self.settings, previous_response_id=previous, items=items)
        self.adopt_compaction(result)
        return result

    def adopt_compaction(self, compaction: Compaction) -> None:
        """Go on from a compaction's items: the next turn sends them, with no previous id."""
        parent, self._last = self.head, None
        self.chain.adopt(compaction.id, compaction.items)
        self._held_tokens = 0  # the compacted items are sent as input, and counted as such
        self.meter.start_turn()
        self.meter.charge_usage(compaction.id, compaction.usage, self.settings.deployment)
        if self.history is not None:
            turn = compaction_turn(compaction, self.settings, self.conversation_id, parent)
            self.history.record(turn)

    def set_model(self, deployment: str) -> None:
        self.settings = replace(self.settings, deployment=deployment)

    def set_option(self, name: str, value: Any) -> None:
        """Change one turn option from the next turn on (``/effort high``, ``/system off``);
        ``value`` is parsed as the command line's would be: raises UsageError."""
        self.options = self.options.changed(**{name: value})

    def set_effort(self, level: str | None) -> None:
        self.set_option("effort", level)

    def attach(self, path: str, *, cwd: Path | None = None) -> Attachment:
        """Check ``path`` now and send it with the next prompt; raises UsageError."""
        attachment = load_attachment(
            path, cwd=cwd, code_interpreter=self.tools.config.code_interpreter
        )
        check_total([*self.pending, attachment])
        self.pending.append(attachment)
        return attachment

    @property
    def endpoint_host(self) -> str:
        from azresp_cli.core.endpoint import endpoint_host

        return endpoint_host(self.settings.endpoint)

    def _charge(self, record: ResponseRecord, billed: list[str]) -> None:
        self.meter.charge(record, self.settings.deployment)
        billed.append(record.id)
        if record.usage is not None:
            self._held_tokens = record.usage.input_tokens + record.usage.output_tokens

    def _request(
        self,
        prompt: str,
        context: str | None,
        attachments: Sequence[Attachment],
        emit_wire_events: bool,
        fragments: Sequence[FragmentUse] = (),
    ) -> TurnRequest:
        base = TurnRequest(
            prompt=prompt,
            context=context,
            # background is asked per turn (ask), store is the chain's (prepare)
            options=replace(
                self.options,
                background=False,
                instructions=with_system_fragments(self.options.instructions, fragments),
            ),
            emit_wire_events=emit_wire_events,
            prompt_cache_key=(
                f"azresp-{self.conversation_id}" if self.options.prompt_cache_key else None
            ),
        )
        parts = [*fragment_parts(fragments), *attachment_parts(attachments)]
        return self.chain.prepare(replace(base, parts=parts))

    def _advance(
        self,
        request: TurnRequest,
        fragments: Sequence[FragmentUse],
        chain: Chain,
        record: ResponseRecord,
        started: float,
        billed: list[str],
    ) -> None:
        added = self.chain.advance(request, record)
        bill = self.meter.bill(billed)
        self._held_tokens = (
            record.usage.input_tokens + record.usage.output_tokens if record.usage else 0
        )
        # A refusal has no output text: the refusal is what the history keeps as the answer.
        answer = record.output_text or refusal_text(record.output_items) or ""
        self.turns.append(
            SessionTurn(
                record.id,
                request.prompt,
                answer,
                bill.usage,
                record.status,
                request.store,
            )
        )
        if self.history is not None:
            self.history.record(
                finished_turn(
                    self.conversation_id,
                    chain.head,
                    request,
                    record,
                    answer=answer,
                    # as typed: --sf fragments are kept once each, with the turn's fragments
                    instructions=self.options.instructions,
                    settings=self.settings,
                    times=(started, self.clock()),
                    items=added,
                    fragments=tuple(fragments),
                    bill=bill,
                    currency=self.meter.prices.currency,
                )
            )

    def _keep_partial(
        self, partial: PartialAnswer, prompt: str, chain: Chain, started: float
    ) -> None:
        turn = partial.turn(
            conversation_id=self.conversation_id,
            parent_id=chain.head,
            prompt=prompt,
            instructions=self.options.instructions,
            settings=self.settings,
            stored=chain.store,
            started=started,
            finished=self.clock(),
        )
        if turn is not None and self.history is not None:
            self.history.record(turn)
