"""``azresp batch``: many prompts at once, on Azure's batch engine or sent directly (--live)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from azresp_cli.cli.connection import ConnectionOptions, open_connection, with_connection
from azresp_cli.cli.prompt_options import PromptOptions, with_prompt_options
from azresp_cli.cli.state import app_state
from azresp_cli.cli.turn_flags import with_turn_options
from azresp_cli.cli.typer_base import AzrespTyper

if TYPE_CHECKING:
    from azresp_cli.core.session_start import SessionStart

BATCH_HELP = """Many prompts at once, on Azure's batch engine (24 h, about half price).

Examples:

\b
  azresp batch submit tickets.csv --column text -s "Classify: bug, billing or other"
  azresp batch status --watch batch_6a1f...
  azresp batch fetch batch_6a1f... -o answers.csv
"""

batch_app = AzrespTyper(help=BATCH_HELP, no_args_is_help=True)

INPUT = typer.Argument(
    metavar="INPUT",
    help="A text file (one prompt a line), a CSV/TSV file (with --column), a JSONL file of "
    "request bodies, or - for stdin.",
    show_default=False,
)
ID = typer.Argument(metavar="ID", help="A batch id (batch_...) or a submission id.")
COLUMN = typer.Option(
    "--column", metavar="NAME", help="CSV/TSV: the column holding the prompt.", show_default=False
)
FORMAT = typer.Option(
    "--format",
    metavar="FORMAT",
    help="text, csv, tsv or jsonl (default: from the file's extension).",
    show_default=False,
)
OUTPUT = typer.Option(
    "--output",
    "-o",
    metavar="OUT",
    help="Write the results here (.jsonl, .csv or .tsv; never over an existing file); "
    "default: JSONL on stdout.",
    show_default=False,
)


@batch_app.command("submit", short_help="Upload INPUT as batch(es); print the batch id(s).")
@with_connection
@with_prompt_options
@with_turn_options(exclude=("stream", "background"))
def submit(
    ctx: typer.Context,
    input_path: Annotated[str, INPUT],
    column: Annotated[str | None, COLUMN] = None,
    input_format: Annotated[str | None, FORMAT] = None,
    *,
    start: SessionStart,
    prompt_options: PromptOptions,
    connection: ConnectionOptions,
) -> None:
    """Upload INPUT as one batch (several beyond a file's limits); print the id(s).

    Each line becomes the request chat would send with the same options. The deployment
    must be a Global Batch or Data Zone Batch one.

    Examples:

    \b
      azresp batch submit prompts.txt -m gpt-4o-mini-batch
      azresp batch submit tickets.csv --column text --effort low
    """
    from azresp_cli.cli.batch_wiring import prepare, submit_command

    state = app_state(ctx)
    prepared = prepare(state, prompt_options, start, connection)
    with open_connection(state, prepared.connection) as conn:
        submit_command(state, conn, prepared, input_path, column, input_format)


@batch_app.command("status", short_help="Print a batch's status and counts; --watch follows it.")
@with_connection
def status(
    ctx: typer.Context,
    batch_id: Annotated[str, ID],
    watch: Annotated[
        bool, typer.Option("--watch", "-w", help="Follow it until it ends (Ctrl-C detaches).")
    ] = False,
    *,
    connection: ConnectionOptions,
) -> None:
    """Print the status of a batch, or of every batch of a submission.

    One line per batch: id, status, completed, failed, total, input. With --watch,
    poll once a minute until every batch ended; a bar shows the progress on a
    terminal. Ctrl-C stops watching (exit 130); the batch goes on.

    Examples:

    \b
      azresp batch status batch_6a1f...
      azresp batch status --watch batch_6a1f...
    """
    from azresp_cli.cli.batch_wiring import status_command

    state = app_state(ctx)
    with open_connection(state, connection) as conn:
        status_command(state, conn, batch_id, watch=watch)


@batch_app.command("fetch", short_help="Write the results joined to the input, in input order.")
@with_connection
def fetch(
    ctx: typer.Context,
    batch_id: Annotated[str, ID],
    output: Annotated[Path | None, OUTPUT] = None,
    retry_failed: Annotated[
        bool,
        typer.Option(
            "--retry-failed", help="Also submit the lines that did not succeed as a new batch."
        ),
    ] = False,
    *,
    connection: ConnectionOptions,
) -> None:
    """Download the results and join them to the input, one row per input line.

    Each row has the answer, status, token usage and any error. Exit 14 when some lines did
    not succeed (--retry-failed sends them again; fetch the same ID later for the whole).

    Examples:

    \b
      azresp batch fetch batch_6a1f... -o answers.jsonl
      azresp batch fetch --retry-failed batch_6a1f... -o first-pass.jsonl
    """
    from azresp_cli.cli.batch_wiring import fetch_command

    state = app_state(ctx)
    with open_connection(state, connection) as conn:
        fetch_command(state, conn, batch_id, output, retry_failed=retry_failed)


@batch_app.command("list", short_help="List the service's batches with their status.")
@with_connection
def list_(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", help="At most this many.", min=1)] = 20,
    *,
    connection: ConnectionOptions,
) -> None:
    """List the service's batches, newest first, with the input of each.

    Example:

    \b
      azresp batch list
    """
    from azresp_cli.cli.batch_wiring import list_command

    state = app_state(ctx)
    with open_connection(state, connection) as conn:
        list_command(state, conn, limit)


@batch_app.command("cancel", short_help="Cancel a batch; what finished stays fetchable.")
@with_connection
def cancel(
    ctx: typer.Context,
    batch_id: Annotated[str, ID],
    *,
    connection: ConnectionOptions,
) -> None:
    """Cancel a batch (every batch of a submission); what finished stays fetchable.

    Example:

    \b
      azresp batch cancel batch_6a1f...
    """
    from azresp_cli.cli.batch_wiring import cancel_command

    state = app_state(ctx)
    with open_connection(state, connection) as conn:
        cancel_command(state, conn, batch_id)


@batch_app.command("run", short_help="Send the lines directly (--live), paced and resumable.")
@with_connection
@with_prompt_options
@with_turn_options(exclude=("stream", "background"))
def run(
    ctx: typer.Context,
    input_path: Annotated[str, INPUT],
    live: Annotated[
        bool,
        typer.Option("--live", help="Send the lines directly (no batch deployment needed)."),
    ] = False,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", metavar="N", help="At most N requests at once.", min=1)
    ] = 4,
    output: Annotated[Path | None, OUTPUT] = None,
    column: Annotated[str | None, COLUMN] = None,
    input_format: Annotated[str | None, FORMAT] = None,
    resume: Annotated[
        str | None,
        typer.Option(
            "--resume",
            metavar="ID",
            help="Go on with an interrupted run (its id is printed when it starts).",
            show_default=False,
        ),
    ] = None,
    *,
    start: SessionStart,
    prompt_options: PromptOptions,
    connection: ConnectionOptions,
) -> None:
    """Send every line directly, N at a time, within the deployment's rate limits.

    Resumable without sending a line twice: each line goes as a stored background
    response whose id is journaled at once, so after Ctrl-C or a crash the same command
    (or `--resume ID`) fetches the responses already made and sends only the others.
    -j counts a line until its response ends. Results as `batch fetch` writes them.

    Examples:

    \b
      azresp batch run prompts.txt --live -j 8 -o live.jsonl
      azresp batch run tickets.csv --column text --live -o live.csv
    """
    from azresp_cli.cli.batch_live import run_command
    from azresp_cli.cli.batch_wiring import prepare
    from azresp_cli.core.errors import UsageError

    if not live:
        raise UsageError("batch run sends lines directly: pass --live", hint="or use batch submit")
    state = app_state(ctx)
    prepared = prepare(state, prompt_options, start, connection)
    with open_connection(state, prepared.connection) as conn:
        run_command(
            state, conn, prepared, input_path, column, input_format, jobs, output, resume=resume
        )
