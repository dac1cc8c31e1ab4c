"""``azresp history list|show|search``: the local record of conversations and response ids."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from azresp_cli.cli.state import app_state
from azresp_cli.cli.typer_base import AzrespTyper
from azresp_cli.core.errors import NotFoundError, UsageError

if TYPE_CHECKING:
    from azresp_cli.core.environment import Environment
    from azresp_cli.core.history import ConversationSummary, HistoryStore, StoredTurn

T = TypeVar("T")

history_app = AzrespTyper(
    name="history",
    help="The local record of conversations and response ids.",
    no_args_is_help=True,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
LimitOption = Annotated[int, typer.Option("--limit", "-n", help="At most this many.", min=1)]


@history_app.command("list")
def list_conversations(
    ctx: typer.Context, json_output: JsonOption = False, limit: LimitOption = 20
) -> None:
    """Recent conversations: id, when, turns, and how each began.

    Example:

      azresp history list --json | jq -r '.[0].last_response_id'
    """
    env = app_state(ctx).env
    found: list[ConversationSummary] = _read(env, lambda store: store.conversations(limit), [])
    if json_output:
        _write(env, json.dumps([_conversation_json(c) for c in found], indent=2))
        return
    if not found:
        _note(env, 'no conversations yet; start one with azresp chat "..." or azresp chat')
        return
    rows = [(c.id, _when(c.updated_at), str(c.turns), _snippet(c.first_prompt)) for c in found]
    _write(env, _table(("CONVERSATION", "WHEN", "TURNS", "FIRST PROMPT"), rows))


@history_app.command("show")
def show(
    ctx: typer.Context,
    identifier: Annotated[
        str | None,
        typer.Argument(
            metavar="CONV|RESPONSE",
            help="A conversation id or a response id.",
            show_default=False,
        ),
    ] = None,
    last: Annotated[
        bool, typer.Option("--last", help="The last conversation (in place of an id).")
    ] = False,
    json_output: JsonOption = False,
    json_data: Annotated[
        bool,
        typer.Option(
            "--json-data",
            help="Only the structured (--schema) answers, one JSON value a line.",
        ),
    ] = False,
) -> None:
    """Show a conversation's turns, or one turn by its response id.

    Examples:

      azresp history show conv_1a2b3c4d5e6f

      azresp history show resp_68af... --json | jq -r .answer

      azresp history show --last --json-data | jq -r .name
    """
    env = app_state(ctx).env
    if (identifier is None) == (not last):
        raise UsageError(
            "give a conversation or response id, or --last",
            hint="azresp history show --last; `azresp history list` shows the ids",
        )
    if json_output and json_data:
        raise UsageError("--json and --json-data cannot be combined", hint="pick one")

    def lookup(store: HistoryStore) -> tuple[ConversationSummary | None, list[StoredTurn]]:
        if last:
            latest = store.last_conversation()
            return (latest, store.turns(latest.id)) if latest else (None, [])
        conversation = store.conversation(identifier or "")
        if conversation is not None:
            return conversation, store.turns(conversation.id)
        turn = store.turn(identifier or "")
        return None, [turn] if turn else []

    empty: tuple[ConversationSummary | None, list[StoredTurn]] = (None, [])
    conversation, turns = _read(env, lookup, empty)
    if not turns:
        raise NotFoundError(
            "the local history is empty"
            if last
            else f"no conversation or response '{identifier}' in the local history",
            hint="`azresp history list` shows the conversations",
        )
    if json_data:
        from azresp_cli.core.turn_extras import structured_answers

        ids = [turn.response_id for turn in turns]
        nothing: list[tuple[str, Any]] = []
        found = _read(env, lambda store: structured_answers(store.db, ids), nothing)
        for _, value in found:
            _write(env, json.dumps(value, ensure_ascii=False, separators=(",", ":")))
        if not found:
            _note(env, "no structured (--schema) answers there")
        return
    if json_output:
        from azresp_cli.core.turn_extras import turn_fragments

        def fragments_of(store: HistoryStore) -> dict[str, list[dict[str, Any]]]:
            # -f/--sf: each turn names its fragments; the content is stored once, by hash
            return {
                t.response_id: [
                    {"source": f.source, "system": f.system, "sha256": f.hash}
                    for f in turn_fragments(store.db, t.response_id)
                ]
                for t in turns
            }

        none: dict[str, list[dict[str, Any]]] = {}
        used = _read(env, fragments_of, none)

        def turn_json(turn: StoredTurn) -> dict[str, Any]:
            return {**_turn_json(turn), "fragments": used.get(turn.response_id, [])}

        if conversation is None:
            _write(env, json.dumps(turn_json(turns[0]), indent=2))
        else:
            payload = {**_conversation_json(conversation), "turns": [turn_json(t) for t in turns]}
            _write(env, json.dumps(payload, indent=2))
        return
    if conversation is not None:
        _note(env, f"conversation {conversation.id} · {conversation.turns} turns")
    _write(env, "\n\n".join(_turn_text(turn) for turn in turns))


@history_app.command("search")
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Words that must all appear, in prompt or answer.")],
    json_output: JsonOption = False,
    limit: LimitOption = 20,
) -> None:
    """Find turns by the words in their prompt or answer, newest first.

    Example:

      azresp history search "postgres vacuum"
    """
    env = app_state(ctx).env
    found: list[StoredTurn] = _read(env, lambda store: store.search(text, limit), [])
    if json_output:
        _write(env, json.dumps([_turn_json(t) for t in found], indent=2))
        return
    if not found:
        _note(env, f"nothing matches '{text}'")
        return
    rows = [
        (t.response_id, t.conversation_id, _when(t.finished_at), _snippet(t.prompt, 50))
        for t in found
    ]
    _write(env, _table(("RESPONSE", "CONVERSATION", "WHEN", "PROMPT"), rows))


def _read(env: Environment, action: Callable[[HistoryStore], T], empty: T) -> T:
    from azresp_cli.core.history import HistoryStore, history_path

    path = history_path(env.data_dir)
    if not path.exists():  # reading must not create the database
        return empty
    store = HistoryStore.open(path)
    try:
        return action(store)
    finally:
        store.close()


def _conversation_json(conversation: ConversationSummary) -> dict[str, Any]:
    from azresp_cli.core.endpoint import endpoint_host

    return {
        "id": conversation.id,
        "created_at": _iso(conversation.created_at),
        "updated_at": _iso(conversation.updated_at),
        "turns": conversation.turns,
        "first_prompt": conversation.first_prompt,
        "last_response_id": conversation.last_response_id,
        "stored": conversation.stored,
        "deployment": conversation.deployment,
        "endpoint_host": endpoint_host(conversation.endpoint),
    }


def _turn_json(turn: StoredTurn) -> dict[str, Any]:
    return {
        "conversation_id": turn.conversation_id,
        "response_id": turn.response_id,
        "parent_id": turn.parent_id,
        "previous_response_id": turn.previous_response_id,
        "prompt": turn.prompt,
        "answer": turn.answer,
        "instructions": turn.instructions,
        "deployment": turn.deployment,
        "endpoint_host": turn.endpoint_host,
        "status": turn.status,
        "stored": turn.stored,
        "usage": {
            "input_tokens": turn.usage.input_tokens,
            "output_tokens": turn.usage.output_tokens,
            "reasoning_tokens": turn.usage.reasoning_tokens,
            "cached_tokens": turn.usage.cached_tokens,
        }
        if turn.usage_known
        else None,
        # null: no price for the deployment, or recorded before azresp kept costs
        "cost": turn.cost if turn.metered else None,
        "currency": turn.currency if turn.metered and turn.cost is not None else None,
        "service_tier": turn.service_tier,
        "started_at": _iso(turn.started_at),
        "finished_at": _iso(turn.finished_at),
    }


def _turn_text(turn: StoredTurn) -> str:
    from azresp_cli.core.meter import usage_words
    from azresp_cli.core.pricing import format_money

    usage = turn.usage
    facts = [
        turn.response_id,
        _when(turn.finished_at),
        f"{turn.deployment} on {turn.endpoint_host}",
        usage_words(usage) if turn.usage_known else "usage unknown",
        format_money(turn.cost if turn.metered else None, turn.currency or "USD"),
    ]
    if not turn.stored:
        facts.append("not stored")
    if turn.status != "completed":
        facts.append(turn.status)
    quoted = "\n".join(f"> {line}" for line in turn.prompt.splitlines() or [""])
    return f"## {' · '.join(facts)}\n\n{quoted}\n\n{turn.answer.strip()}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    lines = []
    for row in [header, *rows]:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[-1]]))
    return "\n".join(lines)


def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp).astimezone().isoformat(timespec="seconds")


def _when(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M")


def _snippet(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _write(env: Environment, text: str) -> None:
    env.stdout.write(text + "\n")


def _note(env: Environment, text: str) -> None:
    env.stderr.write(text + "\n")
