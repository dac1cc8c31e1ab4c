"""``azresp batch run --live``: the input's lines sent directly, journaled, resumable.

The run's record is a submission like a batch's (``mode: live``) with its lines
(``live.jsonl``) and journal (core/live_journal.py); core/live_run.py sends them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from azresp_cli.cli.batch_wiring import (
    PreparedBatch,
    body_maker,
    finish,
    input_name,
    interrupted,
    new_submission,
    read_input,
)
from azresp_cli.cli.connection import Connection
from azresp_cli.cli.state import AppState
from azresp_cli.core import batch_store
from azresp_cli.core.atomic_write import write_atomic
from azresp_cli.core.batch_input import Row, batch_line
from azresp_cli.core.batch_results import join, merge, pricer, write_results
from azresp_cli.core.errors import UsageError
from azresp_cli.core.live_journal import Sent
from azresp_cli.render import batch as view


def run_command(
    state: AppState,
    conn: Connection,
    prepared: PreparedBatch,
    path: str,
    column: str | None,
    fmt: str | None,
    jobs: int,
    output: Path | None,
    *,
    resume: str | None,
) -> None:
    from azresp_cli.core.live_run import Journal, answered, run_live

    target = output.expanduser() if output is not None else None
    if target is not None and target.exists():
        raise UsageError(
            f"{target} exists; azresp does not overwrite it", hint="choose another -o path"
        )
    if resume is not None:
        submission = batch_store.find(state.env.data_dir, resume)
        if submission.mode != "live":
            raise UsageError(
                f"{resume} was not a --live run", hint="azresp batch fetch gets a batch"
            )
    else:
        rows = read_input(state, path, column, fmt)
        data = encode_lines(rows, body_maker(conn, prepared), conn.settings.deployment)
        submission = _same_run(state, path, data) or _new_run(state, conn, path, rows, data)
    journal = Journal(submission.directory / JOURNAL_NAME)
    earlier = journal.read_state()
    results = earlier.results
    skip = answered(results)
    lines = [line for line in _live_lines(submission) if line["custom_id"] not in skip]
    _check_storable(lines)
    if not state.quiet:
        made = sum(1 for line in lines if earlier.sent.get(line["custom_id"], _NONE).response_id)
        done = [f"{len(skip):,} already answered"] if skip else []
        done += [f"{made:,} already sent (their responses are fetched)"] if made else []
        already = f", {', '.join(done)}" if done else ""
        view.note(
            state.env,
            f"run {submission.submission_id}: {len(lines) - made:,} to send{already}",
        )
    ticker = view.LiveTicker(state.env, len(submission.rows), len(skip))
    try:
        run_live(conn.client, lines, journal, jobs, sent=earlier.sent, done=ticker.done)
    except KeyboardInterrupt:
        interrupted(
            state,
            "stopped; every answered line is kept",
            f"azresp batch run {path} --live --resume {submission.submission_id} goes on",
        )
    finally:
        ticker.stop()
        journal.close()
    merge(results, Journal(submission.directory / JOURNAL_NAME).read().values())
    joined = join(submission.rows, results, "missing")
    cost = pricer(conn.settings.prices, submission.deployment, batch=False)
    write_results(target, state.env.stdout, submission.rows, joined, cost)
    state.env.stdout.flush()
    finish(state, conn, submission, joined, target, retry=False)


JOURNAL_NAME = "journal.jsonl"
_NONE = Sent("")
LIVE_LINES = "live.jsonl"


def encode_lines(
    rows: list[Row], body_of: Callable[[Row], dict[str, Any]], deployment: str
) -> bytes:
    return b"".join(batch_line(row, body_of, deployment) for row in rows)


def _same_run(state: AppState, path: str, data: bytes) -> batch_store.Submission | None:
    """An earlier unfinished run of the same input with the same requests: it goes on."""
    if path == "-":
        return None
    name = input_name(path)
    for submission in batch_store.submissions(state.env.data_dir):
        lines = submission.directory / LIVE_LINES
        same = submission.mode == "live" and submission.input == name and lines.is_file()
        if same and lines.read_bytes() == data:
            if not state.quiet:
                view.note(state.env, f"resuming {submission.submission_id} (same input)")
            return submission
    return None


def _new_run(
    state: AppState, conn: Connection, path: str, rows: list[Row], data: bytes
) -> batch_store.Submission:
    submission = new_submission(state, conn, path, rows, "live")
    write_atomic(submission.directory / LIVE_LINES, data.decode())
    submission.save()
    return submission


def _check_storable(lines: list[dict[str, Any]]) -> None:
    """--live resumes by fetching each line's stored response: it cannot do without them."""
    if any(
        isinstance(line.get("body"), dict) and line["body"].get("store") is False for line in lines
    ):
        raise UsageError(
            "batch run --live stores each response (background mode), so that a stopped run "
            "resumes without sending a line twice; the lines say store=false",
            hint="drop --no-store (or store=false in the JSONL bodies)",
        )


def _live_lines(submission: batch_store.Submission) -> list[dict[str, Any]]:
    with (submission.directory / LIVE_LINES).open(encoding="utf-8") as file:
        return [json.loads(line) for line in file if line.strip()]
