"""``azresp compact``: shrink a conversation's context on the service (/responses/compact)."""

from __future__ import annotations

from typing import Annotated

import typer

from azresp_cli.cli.connection import ConnectionOptions, open_connection, with_connection
from azresp_cli.cli.state import app_state
from azresp_cli.core.environment import Environment


@with_connection
def compact(
    ctx: typer.Context,
    response_id: Annotated[
        str, typer.Argument(metavar="ID", help="The last response of the conversation.")
    ],
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the compaction object as JSON.")
    ] = False,
    *,
    connection: ConnectionOptions,
) -> None:
    """Compact a conversation; `chat -c` goes on from the compacted context.

    Prints the compaction's id, and on stderr the input tokens before and after. Where the
    endpoint does not offer compaction, it says so and changes nothing.

    Examples:

    \b
      azresp compact resp_68af...
      azresp compact resp_68af... && azresp chat -c "go on"
    """
    from azresp_cli.core.compaction import compact as compact_chain
    from azresp_cli.core.compaction import compaction_turn, summary_text
    from azresp_cli.core.history import (
        HistoryStore,
        history_path,
        iter_segment_items,
        new_conversation_id,
    )
    from azresp_cli.core.preferences import load_preferences
    from azresp_cli.core.safe_history import SafeHistory
    from azresp_cli.render.compaction import print_compaction

    state = app_state(ctx)
    env = state.env
    with open_connection(state, connection) as conn:
        history = None
        if load_preferences(env, conn.settings).history:
            path = history_path(env.data_dir)
            history = SafeHistory(lambda: HistoryStore.open(path), lambda text: _warn(env, text))
        try:
            chain = history.read(lambda s: s.chain(response_id)) if history else None
            if chain and not chain[-1].stored:  # stateless: the service has only the items
                previous = chain[-1].previous_response_id
                items = tuple(iter_segment_items(chain))
            else:
                previous, items = response_id, ()
            result = compact_chain(
                conn.client, conn.settings, previous_response_id=previous, items=items
            )
            if history is not None:
                same = history.read(lambda s: s.conversation_of(response_id))
                turn = compaction_turn(
                    result, conn.settings, same or new_conversation_id(), response_id
                )
                history.record(turn)
        finally:
            if history is not None:
                history.close()
    summary = summary_text(result, response_id)
    print_compaction(
        env,
        result.id,
        result.raw,
        summary,
        json_output=json_output,
        quiet=state.quiet,
        emulator=conn.settings.is_emulator,
    )


def _warn(env: Environment, text: str) -> None:
    env.stderr.write(f"warning: {text}\n")
    env.stderr.flush()
