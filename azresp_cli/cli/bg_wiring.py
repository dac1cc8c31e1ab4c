"""What each ``azresp bg`` command does: core calls, the local job record, render output.

Kept apart from ``cli/bg.py`` so that module stays the option table (and cheap to import).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, NoReturn

from azresp_cli.cli.connection import Connection, ConnectionOptions, open_connection
from azresp_cli.cli.state import AppState
from azresp_cli.core.errors import Interrupted, UsageError, classify
from azresp_cli.core.events import Completed, ResponseRecord
from azresp_cli.core.history import HistoryStore, history_path, recorded_endpoint
from azresp_cli.core.input_files import read_piped
from azresp_cli.core.job_store import TERMINAL, Job, JobStore
from azresp_cli.core.jobs import (
    PollPolicy,
    cancel_job,
    raise_for_job,
    start_job,
    wait,
)
from azresp_cli.core.meter import Meter
from azresp_cli.core.preferences import load_preferences
from azresp_cli.core.pricing import PriceTable
from azresp_cli.core.responses import get_response
from azresp_cli.core.safe_history import SafeHistory
from azresp_cli.core.schema import OutputSchema
from azresp_cli.core.session_start import SessionStart, start_session
from azresp_cli.core.structured import echoed_schema, structured_answer


def start_job_command(
    state: AppState,
    conn: Connection,
    start: SessionStart,
    prompt: str,
    context: str | None,
    *,
    emulator: bool,
) -> None:
    """Start ``prompt`` as a background job where ``start`` says (-p, -c), as chat would ask
    it, and print its id."""
    from azresp_cli.render.console import stderr_console
    from azresp_cli.render.jobs import print_started
    from azresp_cli.render.progress import RetryCountdown

    env = state.env
    keep = start.history and load_preferences(env, conn.settings).history
    # The same session start as chat's: -c checks the endpoint, -p replays a stateless chain.
    session = start_session(
        conn.settings,
        lambda: conn.client,
        replace(start, history=keep),
        data_dir=env.data_dir,
        warn=lambda text: _warn(state, text),
    )
    try:
        if not session.store:
            raise UsageError(
                "the last conversation is stateless (--no-store); a background job needs one "
                "the service stores",
                hint="pass -p ID of a stored response",
            )
        request = session.next_request(prompt, context=context)
        countdown = RetryCountdown(stderr_console(env))
        try:
            started = start_job(conn.client, conn.settings, request, countdown.show)
        finally:
            countdown.clear()
        now = time.time()
        job = Job(
            response_id=started.response_id,
            prompt=prompt,
            deployment=conn.settings.deployment,
            endpoint=recorded_endpoint(conn.settings),
            status=started.status,
            created_at=now,
            updated_at=now,
            previous_response_id=request.previous_response_id,
            instructions=request.instructions,
            fragments=tuple(session.fragments),
        )
        if session.history is not None:
            session.history.read(lambda store: JobStore(store).add(job))
    finally:
        if session.history is not None:
            session.history.close()
    poll = _command("bg poll --wait", started.response_id, emulator)
    print_started(env, started.response_id, started.status, poll=poll, quiet=state.quiet)


def poll_command(state: AppState, conn: Connection, response_id: str, *, json_output: bool) -> None:
    from azresp_cli.render.jobs import print_status

    record = get_response(conn.client, response_id)
    with job_history(state, conn) as history:
        observe(history, record, conn.settings.prices)
    print_status(state.env, record, json_output=json_output)


def wait_command(
    state: AppState,
    conn: Connection,
    response_id: str,
    policy: PollPolicy,
    *,
    cancel_on_interrupt: bool,
    json_output: bool,
    emulator: bool,
) -> None:
    from azresp_cli.render.console import stderr_console
    from azresp_cli.render.jobs import print_answer_text
    from azresp_cli.render.json_writers import to_json
    from azresp_cli.render.progress import WaitSpinner
    from azresp_cli.render.records import print_response
    from azresp_cli.render.structured_writer import structured_json

    spinner = WaitSpinner(stderr_console(state.env), response_id)
    record: ResponseRecord | None = None
    with job_history(state, conn) as history:
        last_status = None
        try:
            for record in wait(conn.client, response_id, policy):
                spinner.update(record.status)
                if record.status != last_status:
                    observe(history, record, conn.settings.prices)
                    last_status = record.status
        except KeyboardInterrupt:
            spinner.stop()
            _detach(state, conn, response_id, cancel=cancel_on_interrupt, emulator=emulator)
        finally:
            spinner.stop()
    assert record is not None  # wait yields at least once
    schema = None if json_output else echoed_schema(record)
    if json_output:
        state.env.stdout.write(to_json(record.raw, indent=2) + "\n")
    elif schema is not None:
        # Asked with --schema: the JSON alone, checked as chat --schema checks it (11, 12).
        value = _structured_value(record, schema)
        if value is not None:
            state.env.stdout.write(structured_json(value, pretty=state.env.stdout_isatty) + "\n")
    elif record.status == "completed":
        print_response(state.env, record)
    else:
        print_answer_text(state.env, record)  # what there is; the error line says why
    raise_for_job(record)


def cancel_command(state: AppState, conn: Connection, response_id: str) -> None:
    from azresp_cli.render.jobs import print_cancelled

    record, stopped = cancel_job(conn.client, response_id)
    with job_history(state, conn) as history:
        observe(history, record, conn.settings.prices)
    print_cancelled(state.env, record, stopped=stopped)


def stream_command(
    state: AppState,
    conn: Connection,
    response_id: str,
    after: int,
    *,
    jsonl: bool,
    cancel_on_interrupt: bool,
    emulator: bool,
) -> None:
    from azresp_cli.core.turn import follow_background
    from azresp_cli.render.writers import Outcome, OutputFormat, TurnWriter, writer_for

    env = state.env
    meter = Meter(prices=conn.settings.prices)
    # A job asked with --schema prints its JSON alone once checked, as chat --schema does: the
    # Response (fetched once before following it) says which format it was asked in.
    schema = None if jsonl else echoed_schema(get_response(conn.client, response_id))
    writer: TurnWriter
    if schema is not None:
        from azresp_cli.render.structured_writer import structured_writer_for

        structured = structured_writer_for(env, show_footer=not state.quiet, meter=meter)
        writer = structured
    else:
        fmt = OutputFormat.JSONL if jsonl else OutputFormat.TEXT
        writer = writer_for(env, fmt, show_footer=not state.quiet, meter=meter)
    events = follow_background(
        conn.client, None, response_id=response_id, after=after, emit_wire_events=jsonl
    )
    finals: list[ResponseRecord] = []
    with job_history(state, conn) as history:
        try:
            for event in events:
                writer.handle(event)
                if isinstance(event, Completed):
                    finals.append(event.response)
                    observe(history, event.response, conn.settings.prices)
            final = finals[-1]  # follow_background ends with Completed or raises
            if schema is not None:
                value = _structured_value(final, schema)
                if value is not None:
                    structured.emit(value)
            raise_for_job(final)
        except KeyboardInterrupt:
            events.close()
            writer.finish(Outcome.interrupted())
            _detach(state, conn, response_id, cancel=cancel_on_interrupt, emulator=emulator)
        except Exception as exc:
            writer.finish(Outcome.failed(classify(exc)))
            raise
    writer.finish(Outcome.completed())


def list_command(
    state: AppState, connection: ConnectionOptions, *, refresh: bool, limit: int, json_output: bool
) -> None:
    from azresp_cli.render.jobs import print_jobs

    path = history_path(state.env.data_dir)
    if not path.exists():
        print_jobs(state.env, [], json_output=json_output)
        return
    store = HistoryStore.open(path)
    try:
        jobs = JobStore(store)
        if refresh:
            with open_connection(state, connection) as conn:
                jobs.prices = conn.settings.prices
                here = recorded_endpoint(conn.settings)
                for job in jobs.jobs(limit):
                    if job.status not in TERMINAL and job.endpoint == here:
                        jobs.observe(get_response(conn.client, job.response_id))
        print_jobs(state.env, jobs.jobs(limit), json_output=json_output)
    finally:
        store.close()


def observe(
    history: SafeHistory | None, record: ResponseRecord, prices: PriceTable | None = None
) -> None:
    """Note what a job looks like now in the local record (a finished answer becomes a turn)."""
    if history is not None:
        history.read(lambda store: JobStore(store, prices=prices).observe(record))


@contextmanager
def job_history(
    state: AppState, conn: Connection, *, enabled: bool = True
) -> Iterator[SafeHistory | None]:
    """The history the jobs are recorded in; None with --no-history or ``history = false``."""
    if not (enabled and load_preferences(state.env, conn.settings).history):
        yield None
        return
    path = history_path(state.env.data_dir)
    history = SafeHistory(lambda: HistoryStore.open(path), lambda text: _warn(state, text))
    try:
        yield history
    finally:
        history.close()


def _detach(
    state: AppState, conn: Connection, response_id: str, *, cancel: bool, emulator: bool
) -> NoReturn:
    """Ctrl-C while waiting: stop waiting, say how to come back (or cancel), exit 130."""
    from azresp_cli.render.jobs import print_detached

    if cancel:
        cancel_job(conn.client, response_id)
    resume = _command("bg poll --wait", response_id, emulator)
    print_detached(state.env, response_id, resume=resume, cancelled=cancel)
    raise Interrupted("interrupted")


def prompt_and_context(
    state: AppState, prompt: str | None, *, required: bool = True
) -> tuple[str, str | None]:
    """The prompt, and piped stdin as context before it (or stdin alone), as chat reads them.

    ``required=False`` (a template whose prompt may need no input): nothing given is ""."""
    env = state.env
    piped = None if env.stdin_isatty else read_piped(env.stdin)
    piped = piped if piped and piped.strip() else None
    if prompt is not None and prompt.strip():
        return prompt, piped
    if piped is not None:
        return piped, None
    if not required:
        return "", None
    raise UsageError(
        "no prompt given", hint='pass a prompt, e.g. azresp bg start "...", or pipe text in'
    )


def _structured_value(record: ResponseRecord, schema: OutputSchema) -> Any:
    """A structured job's JSON value, checked against its schema (raises Refused or
    InvalidStructuredAnswer); None when the job has no answer to check (failed, cancelled,
    stopped by the content filter: ``raise_for_job`` says why)."""
    if record.status == "completed" or (
        record.status == "incomplete" and record.incomplete_reason != "content_filter"
    ):
        return structured_answer(record, schema)
    return None


def _command(name: str, response_id: str, emulator: bool) -> str:
    return f"azresp {name}{' --emulator' if emulator else ''} {response_id}"


def _warn(state: AppState, text: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        state.env.stderr.write(f"warning: {text}\n")
        state.env.stderr.flush()
