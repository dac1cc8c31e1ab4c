"""What each ``azresp batch`` command does: read the input, call core, record, render.

Kept apart from ``cli/batch.py`` so that module stays the option table (and cheap to import).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from azresp_cli.cli.connection import Connection, ConnectionOptions
from azresp_cli.cli.prompt_options import PromptOptions
from azresp_cli.cli.state import AppState
from azresp_cli.core import batch_input, batch_store
from azresp_cli.core.batch_input import (
    Limits,
    Row,
    input_format,
    read_rows,
)
from azresp_cli.core.batch_records import BatchInfo
from azresp_cli.core.batch_results import Result, pricer, write_results
from azresp_cli.core.batches import (
    cancel,
    fetch,
    list_batches,
    retrieve,
    retry_failed,
    submit,
    upload_batch_file,
)
from azresp_cli.core.errors import BatchUnfinished, Interrupted, NotFoundError, UsageError
from azresp_cli.core.request import build_create_body
from azresp_cli.core.session_start import SessionStart, session_options
from azresp_cli.render import batch as view

if TYPE_CHECKING:
    from azresp_cli.core.templates import Template

# A batch takes minutes to hours: --watch asks once a minute (docs/batch.md). A hidden
# variable lowers it, for tests and the emulator only.
POLL_SECONDS = 60.0
POLL_VARIABLE = "AZRESP_BATCH_POLL_SECONDS"


def read_input(state: AppState, path: str, column: str | None, fmt: str | None) -> list[Row]:
    return read_rows(batch_input.read_input(path, state.env.stdin), input_format(path, fmt), column)


@dataclass(frozen=True)
class PreparedBatch:
    """The command line's turn options with template ``-t`` (and fragments) applied."""

    start: SessionStart
    connection: ConnectionOptions
    prompt_options: PromptOptions
    template: Template | None


def prepare(
    state: AppState, options: PromptOptions, start: SessionStart, connection: ConnectionOptions
) -> PreparedBatch:
    """Apply ``-t``/``--param``/``-f``/``--sf`` as chat does; refuse what a batch cannot do."""
    from azresp_cli.cli.prompt_options import apply_template
    from azresp_cli.cli.tool_options import ToolOptions
    from azresp_cli.core.tool_setup import ToolFlags

    if options.save:
        raise UsageError("--save saves a template from chat", hint="azresp chat --save NAME ...")
    if start.previous or start.resume:
        raise UsageError("-p and -c continue one conversation; a batch's lines are separate")
    none = ToolOptions(attach=(), flags=ToolFlags())
    prepared = apply_template(state, options, start, none, connection)
    if prepared.tools != none:
        raise UsageError(
            "the template names tools or attachments, which batch lines do not carry yet",
            hint="use a template without tools, or pass its prompt and options as flags",
        )
    return PreparedBatch(prepared.start, prepared.connection, options, prepared.template)


def body_maker(conn: Connection, prepared: PreparedBatch) -> Callable[[Row], dict[str, Any]]:
    """The body chat would send for a row's prompt, with the same options, not streamed: the
    session's own ``next_request`` builds it (template, fragments, schema and all)."""
    from azresp_cli.cli.prompt_options import template_prompt
    from azresp_cli.core.session import ChatSession

    start = prepared.start
    options = replace(session_options(start, conn.settings), stream=False, background=False)
    session = ChatSession(conn.settings, lambda: conn.client, options=options, history=None)
    session.conversation.store = options.store
    session.fragments.extend(start.fragments)
    deployment = conn.settings.deployment

    def body_of(row: Row) -> dict[str, Any]:
        prompt = template_prompt(prepared.template, prepared.prompt_options, row.prompt) or ""
        body = build_create_body(deployment, session.next_request(prompt))
        if "prompt_cache_key" in body:
            # One key for the whole batch, from what its lines share (model, instructions): the
            # lines hit one prompt cache, and the same input makes the same lines (resume).
            shared = json.dumps([deployment, body.get("instructions")]).encode()
            body["prompt_cache_key"] = "azresp-batch-" + hashlib.sha256(shared).hexdigest()[:16]
        return body

    return body_of


def uploader(state: AppState, conn: Connection) -> Callable[[Path], str]:
    from azresp_cli.render.files import upload_progress

    def upload(path: Path) -> str:
        with upload_progress(state.env, path.name, path.stat().st_size) as progress:
            return upload_batch_file(conn.client, path, progress)

    return upload


def submit_command(
    state: AppState,
    conn: Connection,
    prepared: PreparedBatch,
    path: str,
    column: str | None,
    fmt: str | None,
) -> None:
    rows = read_input(state, path, column, fmt)
    body_of = body_maker(conn, prepared)
    limits = Limits.from_variables(state.env.variables)
    submission = new_submission(state, conn, path, rows, "batch")
    ids = submit(conn.client, submission, body_of, limits, uploader(state, conn))
    view.print_ids(state.env, ids)
    if not state.quiet:
        split = f" in {len(ids)} batches" if len(ids) > 1 else ""
        view.note(state.env, f"submitted {len(rows):,} requests{split}; follow with:")
        view.note(state.env, f"  azresp batch status --watch {submission.submission_id}")


def new_submission(
    state: AppState, conn: Connection, path: str, rows: list[Row], mode: str
) -> batch_store.Submission:
    """The local record of what INPUT (``path``) is about to become."""
    return batch_store.new_submission(
        state.env.data_dir,
        input_name=input_name(path),
        deployment=conn.settings.deployment,
        endpoint=conn.settings.endpoint,
        rows=rows,
        mode=mode,
    )


def input_name(path: str) -> str:
    return path if path == "-" else str(Path(path).expanduser().resolve())


def _infos(conn: Connection, state: AppState, identifier: str) -> tuple[list[str], dict[str, str]]:
    """The batch ids behind ``identifier`` (a submission's, or the one given) and their labels."""
    try:
        submission = batch_store.find(state.env.data_dir, identifier)
    except NotFoundError:
        return [identifier], {}
    labels = {ref.batch_id: Path(submission.input).name for ref in submission.batches}
    return submission.ids(), labels


def status_command(state: AppState, conn: Connection, identifier: str, *, watch: bool) -> None:
    ids, labels = _infos(conn, state, identifier)
    if not watch:
        view.print_statuses(state.env, [retrieve(conn.client, i) for i in ids], labels=labels)
        return
    from azresp_cli.core.polling import PollPolicy, poll_until

    interval = _poll_seconds(state)
    watcher = view.WatchView(state.env)
    infos: list[BatchInfo] = []
    try:
        for infos in poll_until(
            lambda: [retrieve(conn.client, i) for i in ids],
            lambda seen: all(info.is_terminal for info in seen),
            PollPolicy(interval, interval),
        ):
            watcher.update(infos)
    except KeyboardInterrupt:
        watcher.stop()
        interrupted(
            state,
            "stopped watching; the batch goes on",
            f"azresp batch status --watch {identifier} follows it again",
        )
    watcher.stop()
    view.print_statuses(state.env, infos, labels=labels)
    _raise_for_endings(infos, identifier)


def interrupted(state: AppState, message: str, hint: str) -> NoReturn:
    """Ctrl-C: say what goes on and how to come back (cli/main.py prints nothing for it)."""
    from azresp_cli.render.errors import print_error

    error = Interrupted(message, hint=hint)
    print_error(state.env, error, debug=False, exception=None)
    raise error


def _raise_for_endings(infos: list[BatchInfo], identifier: str) -> None:
    ended = [info for info in infos if info.status != "completed"]
    if ended:
        worst = ended[0]
        raise BatchUnfinished(
            f"{worst.batch_id} ended {worst.status}",
            hint=f"azresp batch fetch {identifier} gets what finished",
        )


def _poll_seconds(state: AppState) -> float:
    raw = state.env.variables.get(POLL_VARIABLE, "")
    try:
        return max(0.01, float(raw)) if raw else POLL_SECONDS
    except ValueError:
        return POLL_SECONDS


def fetch_command(
    state: AppState, conn: Connection, identifier: str, output: Path | None, *, retry_failed: bool
) -> None:
    submission = batch_store.find(state.env.data_dir, identifier)
    joined, infos = fetch(conn.client, submission)
    running = [info for info in infos if not info.is_terminal]
    if running:
        raise BatchUnfinished(
            f"{running[0].batch_id} is still {running[0].status}; nothing was written",
            hint=f"azresp batch status --watch {identifier} waits for it",
        )
    target = output.expanduser() if output is not None else None
    cost = pricer(conn.settings.prices, submission.deployment, batch=True)
    write_results(target, state.env.stdout, submission.rows, joined, cost)
    state.env.stdout.flush()
    finish(state, conn, submission, joined, target, retry=retry_failed)


def finish(
    state: AppState,
    conn: Connection,
    submission: batch_store.Submission,
    joined: list[Result],
    target: Path | None,
    *,
    retry: bool,
) -> None:
    counts = Counter(result.status for result in joined)
    if not state.quiet:
        view.print_summary(state.env, dict(counts), str(target) if target else None)
    bad = len(joined) - counts.get("completed", 0)
    if not bad:
        return
    if retry:
        limits = Limits.from_variables(state.env.variables)
        ids = retry_failed(conn.client, submission, joined, limits, uploader(state, conn))
        if target is not None:  # stdout has the results otherwise: the ids go to stderr
            view.print_ids(state.env, ids)
        view.note(state.env, f"resubmitted {bad:,} lines as {', '.join(ids)}")
        view.note(
            state.env, f"when it ends, azresp batch fetch {submission.submission_id} has them all"
        )
        return
    raise BatchUnfinished(f"{bad:,} of {len(joined):,} lines did not succeed")


def list_command(state: AppState, conn: Connection, limit: int) -> None:
    labels: dict[str, str] = {}
    for submission in batch_store.submissions(state.env.data_dir):
        for ref in submission.batches:
            labels[ref.batch_id] = Path(submission.input).name
    view.print_statuses(state.env, list_batches(conn.client, limit), labels=labels)


def cancel_command(state: AppState, conn: Connection, identifier: str) -> None:
    ids, labels = _infos(conn, state, identifier)
    infos = []
    for batch_id in ids:
        info = retrieve(conn.client, batch_id)
        infos.append(info if info.is_terminal else cancel(conn.client, batch_id))
    view.print_statuses(state.env, infos, labels=labels)
