"""``azresp get``, ``azresp items``, ``azresp delete``: stored responses."""

from __future__ import annotations

from typing import Annotated

import typer

from azresp_cli.cli.connection import ConnectionOptions, open_connection, with_connection
from azresp_cli.cli.state import app_state


@with_connection
def get(
    ctx: typer.Context,
    response_id: Annotated[str, typer.Argument(metavar="ID", help="A response id (resp_...).")],
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the whole Response object as JSON.")
    ] = False,
    stream: Annotated[
        bool,
        typer.Option(
            "--stream",
            help="Replay a background response's stream (and follow it live), resuming after "
            "drops; as `azresp bg stream`.",
        ),
    ] = False,
    after: Annotated[
        int | None,
        typer.Option(
            "--after",
            metavar="N",
            help="With --stream: start after event N (its sequence_number).",
            min=-1,
            show_default=False,
        ),
    ] = None,
    *,
    connection: ConnectionOptions,
) -> None:
    """Print a stored response's answer text.

    Examples:

    \b
      azresp get resp_68af...
      azresp get resp_68af... --json | jq .usage
      azresp get resp_68af... --stream --after 41
    """
    from azresp_cli.core.errors import UsageError

    state = app_state(ctx)
    if after is not None and not stream:
        raise UsageError("--after goes with --stream", hint="azresp get ID --stream --after N")
    if stream and json_output:
        raise UsageError("--json and --stream cannot be combined", hint="use bg stream --jsonl")
    with open_connection(state, connection) as conn:
        if stream:
            from azresp_cli.cli.bg_wiring import stream_command

            stream_command(
                state,
                conn,
                response_id,
                -1 if after is None else after,
                jsonl=False,
                cancel_on_interrupt=False,
                emulator=connection.emulator,
            )
            return
        from azresp_cli.core.responses import get_response
        from azresp_cli.render.records import print_response

        record = get_response(conn.client, response_id)
    print_response(state.env, record, json_output=json_output)


@with_connection
def items(
    ctx: typer.Context,
    response_id: Annotated[str, typer.Argument(metavar="ID", help="A response id (resp_...).")],
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the list object as JSON.")
    ] = False,
    limit: Annotated[
        int | None,
        typer.Option("--limit", help="At most this many items.", min=1, show_default=False),
    ] = None,
    newest_first: Annotated[
        bool, typer.Option("--newest-first", help="List the newest item first.")
    ] = False,
    *,
    connection: ConnectionOptions,
) -> None:
    """List the input items a stored response was given, oldest first.

    Examples:

      azresp items resp_68af...

      azresp items resp_68af... --json | jq -r '.data[].id'
    """
    from azresp_cli.core.responses import list_input_items
    from azresp_cli.render.records import print_items

    state = app_state(ctx)
    with open_connection(state, connection) as conn:
        page = list_input_items(
            conn.client, response_id, limit=limit, order="desc" if newest_first else "asc"
        )
    print_items(state.env, page.items, raw=page.raw, json_output=json_output)


@with_connection
def delete(
    ctx: typer.Context,
    response_ids: Annotated[
        list[str], typer.Argument(metavar="ID...", help="One or more response ids.")
    ],
    *,
    connection: ConnectionOptions,
) -> None:
    """Delete stored responses; each deletion is reported on stderr.

    Every id is tried; the exit status is 4 when any was not found.

    Example:

      azresp delete resp_68af... resp_71bc...
    """
    from azresp_cli.core.ids import delete_each
    from azresp_cli.core.responses import delete_response
    from azresp_cli.render.errors import print_error
    from azresp_cli.render.records import print_deleted

    state = app_state(ctx)
    with open_connection(state, connection) as conn:
        delete_each(
            response_ids,
            lambda response_id: delete_response(conn.client, response_id),
            deleted=lambda response_id: print_deleted(state.env, [response_id]),
            failed=lambda error: print_error(state.env, error, debug=state.debug),
        )
