"""One answer: set up the session (chain, history), stream the turn's events to a writer."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

from azresp_cli.cli.connection import Connection
from azresp_cli.cli.state import AppState
from azresp_cli.core.attachments import Attachment
from azresp_cli.core.errors import IncompleteError, Interrupted, UsageError
from azresp_cli.core.events import Completed, ResponseRecord, ResponseStarted
from azresp_cli.core.preferences import load_preferences
from azresp_cli.core.session_start import SessionStart, session_options, start_session
from azresp_cli.core.tools import ToolKit

Output = Literal["text", "json", "jsonl"]


def run_one_shot(
    state: AppState,
    conn: Connection,
    start: SessionStart,
    prompt: str,
    context: str | None,
    output: Output,
    tools: ToolKit | None = None,
    attachments: Sequence[Attachment] = (),
) -> None:
    """Ask ``prompt`` (with piped ``context`` before it) once and write the answer as
    ``output`` says: the chain, history and options come from ``start`` as for the REPL."""
    from azresp_cli.cli.tool_session import can_ask, line_approver
    from azresp_cli.core.structured import structured_answer
    from azresp_cli.render.writers import Outcome, OutputFormat, TurnWriter, writer_for

    env = state.env
    if output == "jsonl":
        chosen = session_options(start, conn.settings)
        if not chosen.stream and not chosen.background:
            raise UsageError(
                "--jsonl prints the stream's events, and --no-stream has none",
                hint="use --json for the final Response object, or drop --no-stream",
            )
    session = start_session(
        conn.settings,
        lambda: conn.client,
        replace(start, history=start.history and load_preferences(env, conn.settings).history),
        data_dir=env.data_dir,
        warn=lambda text: _warn(state, text),
    )
    schema = session.options.schema
    writer: TurnWriter
    if schema is not None and output == "text":
        from azresp_cli.render.structured_writer import structured_writer_for

        structured = structured_writer_for(env, show_footer=not state.quiet, meter=session.meter)
        writer = structured
    else:
        structured = None
        writer = writer_for(
            env, OutputFormat(output), show_footer=not state.quiet, meter=session.meter
        )
    if tools is not None:
        session.tools = tools
        if can_ask(env):
            tools.approvals.approver = line_approver(env, writer)
    session.pending.extend(attachments)
    # The turn is recorded in the history (and -c can follow it) as soon as it completes.
    background = session.options.background
    events = session.ask(
        prompt, context=context, emit_wire_events=output == "jsonl", background=background
    )
    job: str | None = None  # a background turn's id, once the service named it
    final: ResponseRecord | None = None
    try:
        for event in events:
            if isinstance(event, ResponseStarted):
                job = event.response_id
            elif isinstance(event, Completed):
                final = event.response
            writer.handle(event)
        if structured is not None and schema is not None and final is not None:
            # Checked after the turn is recorded: the raw answer stays in the history.
            structured.emit(structured_answer(final, schema))
    except KeyboardInterrupt:
        events.close()
        writer.finish(Outcome.interrupted())
        if background and job:
            flag = " --emulator" if conn.settings.is_emulator else ""
            _warn(
                state,
                f"{job} goes on in the background; `azresp bg stream{flag} {job}` resumes it",
            )
        raise Interrupted("interrupted") from None
    except Exception as exc:
        from azresp_cli.core.errors import classify

        writer.finish(Outcome.failed(classify(exc)))
        raise
    finally:
        if session.history is not None:
            session.history.close()
    if final is not None and final.status == "incomplete":
        # The one rule for a cut answer, as for `bg poll --wait`: shown, then exit 8.
        reason = final.incomplete_reason or "no reason given"
        error = IncompleteError(f"the answer is incomplete ({reason})", hint=_INCOMPLETE_HINT)
        writer.finish(Outcome.failed(error))
        raise error
    writer.finish(Outcome.completed())


_INCOMPLETE_HINT = "the answer above is partial; raise --max-output-tokens and ask again"


def _warn(state: AppState, text: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        state.env.stderr.write(f"warning: {text}\n")
        state.env.stderr.flush()
