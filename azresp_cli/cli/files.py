"""``azresp files upload|list|download|delete``: the Files API."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from azresp_cli.cli.connection import ConnectionOptions, open_connection, with_connection
from azresp_cli.cli.state import app_state
from azresp_cli.cli.typer_base import AzrespTyper
from azresp_cli.core.errors import UsageError

FILES_HELP = """Upload, list, download and delete files (PDFs, code interpreter data).

Examples:

\b
  azresp files upload report.pdf
  azresp files list
"""

files_app = AzrespTyper(help=FILES_HELP, no_args_is_help=True)


@files_app.command("upload")
@with_connection
def upload(
    ctx: typer.Context,
    path: Annotated[
        Path, typer.Argument(metavar="PATH", help="The file to upload.", dir_okay=False)
    ],
    purpose: Annotated[
        str,
        typer.Option(
            "--purpose",
            help="assistants (PDF inputs, code interpreter), user_data, batch, fine-tune, "
            "vision or evals.",
        ),
    ] = "assistants",
    *,
    connection: ConnectionOptions,
) -> None:
    """Upload a file; prints its id.

    Example:

    \b
      azresp files upload report.pdf
    """
    from azresp_cli.core.files import PURPOSES, check_upload, upload_file
    from azresp_cli.render.files import print_file_id, upload_progress

    if purpose not in PURPOSES:
        raise UsageError(f"unknown purpose '{purpose}'", hint=f"use one of {', '.join(PURPOSES)}")
    state = app_state(ctx)
    file = path.expanduser()
    size = check_upload(file)  # before connecting: a typo needs no credential
    with (
        open_connection(state, connection) as conn,
        upload_progress(state.env, file.name, size) as progress,
    ):
        info = upload_file(conn.client, file, purpose, progress=progress)
    print_file_id(state.env, info)


@files_app.command("list")
@with_connection
def list_(
    ctx: typer.Context,
    purpose: Annotated[
        str | None,
        typer.Option("--purpose", help="Only files with this purpose.", show_default=False),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")] = False,
    *,
    connection: ConnectionOptions,
) -> None:
    """List uploaded files: id, size, purpose, name.

    Examples:

    \b
      azresp files list
      azresp files list --json | jq -r '.data[].id'
    """
    from azresp_cli.core.files import list_files
    from azresp_cli.render.files import print_files

    state = app_state(ctx)
    with open_connection(state, connection) as conn:
        files = list_files(conn.client, purpose=purpose)
    print_files(state.env, files, json_output=json_output)


@files_app.command("download")
@with_connection
def download(
    ctx: typer.Context,
    file_id: Annotated[str, typer.Argument(metavar="ID", help="The file's id.")],
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", metavar="PATH", help="Where to save it (never over a file)."
        ),
    ],
    *,
    connection: ConnectionOptions,
) -> None:
    """Save an uploaded file to PATH (never over an existing file).

    Example:

    \b
      azresp files download assistant-abc123 -o copy.pdf
    """
    from azresp_cli.core.files import download_file
    from azresp_cli.core.ids import check_id
    from azresp_cli.render.files import print_saved_file

    state = app_state(ctx)
    check_id(file_id, "file")
    target = output.expanduser()
    if (target.exists() or target.is_symlink()) and not target.is_dir():
        raise UsageError(f"{output} exists; azresp never overwrites a file", hint="pick a new -o")
    with open_connection(state, connection) as conn:
        saved, size = download_file(conn.client, file_id, target)
    print_saved_file(state.env, str(saved), size)


@files_app.command("delete")
@with_connection
def delete(
    ctx: typer.Context,
    file_ids: Annotated[list[str], typer.Argument(metavar="ID...", help="One or more file ids.")],
    *,
    connection: ConnectionOptions,
) -> None:
    """Delete uploaded files; each deletion is reported on stderr.

    Every id is tried; the exit status is 4 when any was not found.

    Example:

    \b
      azresp files delete assistant-abc123
    """
    from azresp_cli.core.files import delete_file
    from azresp_cli.core.ids import delete_each
    from azresp_cli.render.errors import print_error
    from azresp_cli.render.files import print_deleted_file

    state = app_state(ctx)
    with open_connection(state, connection) as conn:
        delete_each(
            file_ids,
            lambda file_id: delete_file(conn.client, file_id),
            deleted=lambda file_id: print_deleted_file(state.env, file_id),
            failed=lambda error: print_error(state.env, error, debug=state.debug),
            what="file",
        )
