"""``azresp bg``: background responses that outlive the terminal that started them.

``start`` prints the id and returns while the service works; ``poll``, ``stream`` and ``cancel``
find the job again by id, from any shell; ``list`` shows the local record of started jobs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from azresp_cli.cli.connection import ConnectionOptions, open_connection, with_connection
from azresp_cli.cli.prompt_options import PromptOptions, prompt_options_except
from azresp_cli.cli.state import app_state
from azresp_cli.cli.turn_flags import with_turn_options
from azresp_cli.cli.typer_base import AzrespTyper

if TYPE_CHECKING:
    from azresp_cli.core.session_start import SessionStart

BG_EXAMPLES = """Examples:

\b
  azresp bg start "Summarize RFC 9110 in five bullets"
  azresp bg list
"""

bg_app = AzrespTyper(
    help="Run responses in the background: start one now, come back for it later.",
    no_args_is_help=True,
)

ID_ARGUMENT = typer.Argument(metavar="ID", help="A background response id (resp_...).")
CANCEL_ON_INTERRUPT = typer.Option(
    "--cancel-on-interrupt",
    help="Ctrl-C cancels the job (by default it only stops waiting; the job goes on).",
)


@bg_app.command("start")
@with_connection
@prompt_options_except("save")
@with_turn_options(exclude=("store", "stream", "background"))
def start_command(
    ctx: typer.Context,
    prompt: Annotated[
        str | None,
        typer.Argument(
            help="The prompt (piped stdin is read too, as with chat).", show_default=False
        ),
    ] = None,
    *,
    start: SessionStart,
    prompt_options: PromptOptions,
    connection: ConnectionOptions,
) -> None:
    """Start a background response; print its id and return at once.

    The service keeps working after azresp exits. Come back with `azresp bg poll --wait ID`
    or `azresp bg stream ID`, from any shell; `azresp bg list` remembers the ids.

    Examples:

    \b
      azresp bg start --effort high "Prove that the square root of 2 is irrational"
      azresp bg poll --wait "$(azresp bg start 'Summarize RFC 9110')"
      azresp bg start -t brief -f build.log "why did the build fail?"
    """
    from azresp_cli.cli.bg_wiring import prompt_and_context, start_job_command
    from azresp_cli.cli.prompt_options import apply_job_template, template_prompt

    state = app_state(ctx)
    # -t, -f and --sf as on chat: flag > template > profile > default, $input and --param.
    start, connection, template = apply_job_template(state, prompt_options, start, connection)
    if template is not None and template.prompt is not None and prompt is None:
        prompt_text, context = prompt_and_context(state, prompt, required=False)
    else:
        prompt_text, context = prompt_and_context(state, prompt)
    prompt_text = template_prompt(template, prompt_options, prompt_text or None) or ""
    with open_connection(state, connection) as conn:
        start_job_command(state, conn, start, prompt_text, context, emulator=connection.emulator)


@bg_app.command("poll", short_help="Print a job's status; --wait waits for its answer.")
@with_connection
def poll(
    ctx: typer.Context,
    response_id: Annotated[str, ID_ARGUMENT],
    wait: Annotated[
        bool, typer.Option("--wait", "-w", help="Wait until it ends, then print its answer.")
    ] = False,
    interval: Annotated[
        float,
        typer.Option("--interval", help="Seconds between polls at first (then slower).", min=0.01),
    ] = 2.0,
    cancel_on_interrupt: Annotated[bool, CANCEL_ON_INTERRUPT] = False,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the Response object as JSON.")
    ] = False,
    *,
    connection: ConnectionOptions,
) -> None:
    """Print a job's status; with --wait, wait for it and print its answer.

    With --wait the exit code follows how the job ended: 0 completed, 1 failed, 6 stopped by
    the content filter, 8 incomplete, 9 cancelled. Ctrl-C stops waiting and leaves the job
    running (exit 130), unless --cancel-on-interrupt.

    Examples:

    \b
      azresp bg poll resp_68af...
      azresp bg poll --wait --interval 5 resp_68af...
    """
    from azresp_cli.cli.bg_wiring import poll_command, wait_command
    from azresp_cli.core.jobs import PollPolicy

    state = app_state(ctx)
    with open_connection(state, connection) as conn:
        if not wait:
            poll_command(state, conn, response_id, json_output=json_output)
            return
        wait_command(
            state,
            conn,
            response_id,
            PollPolicy(interval=interval),
            cancel_on_interrupt=cancel_on_interrupt,
            json_output=json_output,
            emulator=connection.emulator,
        )


@bg_app.command("cancel", short_help="Cancel a job (a finished one is left as it is).")
@with_connection
def cancel(
    ctx: typer.Context,
    response_id: Annotated[str, ID_ARGUMENT],
    *,
    connection: ConnectionOptions,
) -> None:
    """Cancel a job and print its status; one that already ended is left as it is.

    Examples:

    \b
      azresp bg cancel resp_68af...
    """
    from azresp_cli.cli.bg_wiring import cancel_command

    state = app_state(ctx)
    with open_connection(state, connection) as conn:
        cancel_command(state, conn, response_id)


@bg_app.command("stream", short_help="Stream a job's answer, resuming after drops.")
@with_connection
def stream(
    ctx: typer.Context,
    response_id: Annotated[str, ID_ARGUMENT],
    after: Annotated[
        int | None,
        typer.Option(
            "--after",
            metavar="N",
            help="Start after event N (its sequence_number); default: from the start.",
            min=-1,
            show_default=False,
        ),
    ] = None,
    jsonl_output: Annotated[
        bool, typer.Option("--jsonl", help="Print each stream event as a JSON line.")
    ] = False,
    cancel_on_interrupt: Annotated[bool, CANCEL_ON_INTERRUPT] = False,
    *,
    connection: ConnectionOptions,
) -> None:
    """Stream a job's answer (or what follows event N), resuming after drops.

    Exit codes as for `bg poll --wait`. A job whose stream cannot be replayed is polled and
    its answer printed when it ends.

    Examples:

    \b
      azresp bg stream resp_68af...
      azresp bg stream --after 41 resp_68af...
    """
    from azresp_cli.cli.bg_wiring import stream_command

    state = app_state(ctx)
    with open_connection(state, connection) as conn:
        stream_command(
            state,
            conn,
            response_id,
            -1 if after is None else after,
            jsonl=jsonl_output,
            cancel_on_interrupt=cancel_on_interrupt,
            emulator=connection.emulator,
        )


@bg_app.command("list", short_help="List the jobs started here and their status.")
@with_connection
def list_jobs(
    ctx: typer.Context,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Ask the service for the status of unfinished jobs.")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", help="At most this many jobs.", min=1)] = 20,
    json_output: Annotated[bool, typer.Option("--json", help="Print the jobs as JSON.")] = False,
    *,
    connection: ConnectionOptions,
) -> None:
    """List the jobs started here, newest first, with their last known status.

    Examples:

    \b
      azresp bg list
      azresp bg list --refresh
    """
    from azresp_cli.cli.bg_wiring import list_command

    list_command(app_state(ctx), connection, refresh=refresh, limit=limit, json_output=json_output)
