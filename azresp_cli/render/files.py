"""Output of ``azresp files``: ids on stdout, a table or tab-separated lines, progress on stderr.

Piped output has no escape sequences and one file per line (``id<TAB>bytes<TAB>purpose<TAB>
filename``), for ``cut`` and ``awk``; notes ("deleted ...", "saved ...") go to stderr.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime

from rich.table import Table
from rich.text import Text

from azresp_cli.core.environment import Environment
from azresp_cli.core.file_records import FileInfo
from azresp_cli.render.json_writers import to_json

# Below this a bar would only flash; the upload is over before it could be read.
PROGRESS_MIN_BYTES = 1024 * 1024


def print_file_id(env: Environment, info: FileInfo) -> None:
    """``files upload``: the id alone on stdout; name and size on stderr."""
    env.stdout.write(info.id + "\n")
    env.stdout.flush()
    _note(env, f"uploaded {info.filename} ({info.bytes} bytes, purpose {info.purpose})")


def print_files(env: Environment, files: Sequence[FileInfo], *, json_output: bool) -> None:
    """``files list``: a table on a colour terminal, tab-separated lines on a pipe, or JSON."""
    if json_output:
        page = {"object": "list", "data": [dict(f.raw) for f in files]}
        env.stdout.write(to_json(page, indent=2) + "\n")
        return
    if not files:
        _note(env, "no files")
        return
    if env.color:
        from azresp_cli.render.console import stdout_console

        table = Table(
            "id", "bytes", "purpose", "created", "filename", box=None, header_style="bold"
        )
        for f in files:
            table.add_row(f.id, str(f.bytes), f.purpose, _date(f.created_at), Text(f.filename))
        stdout_console(env).print(table)
        return
    for f in files:
        env.stdout.write(f"{f.id}\t{f.bytes}\t{f.purpose}\t{f.filename}\n")
    env.stdout.flush()


def print_deleted_file(env: Environment, file_id: str) -> None:
    _note(env, f"deleted {file_id}")


def print_saved_file(env: Environment, path: str, size: int) -> None:
    _note(env, f"saved {path} ({size} bytes)")


@contextlib.contextmanager
def upload_progress(
    env: Environment, filename: str, total: int
) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr for a large upload on a terminal; None (no bar) otherwise."""
    if not env.stderr_color or total < PROGRESS_MIN_BYTES:
        yield None
        return
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TransferSpeedColumn,
    )

    from azresp_cli.render.console import stderr_console

    progress = Progress(
        TextColumn("uploading {task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=stderr_console(env),
        transient=True,
    )
    task = progress.add_task(filename, total=total)
    with progress:
        yield lambda sent, _total: progress.update(task, completed=sent)


def _note(env: Environment, text: str) -> None:
    env.stderr.write(text + "\n")
    env.stderr.flush()


def _date(timestamp: int | None) -> str:
    if not timestamp:
        return "-"
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%d %H:%M")
