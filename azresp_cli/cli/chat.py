"""``azresp chat``: one-shot answers (prompt or piped stdin); the REPL without either on a TTY."""

from __future__ import annotations

from typing import Annotated

import typer

from azresp_cli.cli.choices import Effort, Summary, Verbosity
from azresp_cli.cli.connection import ConnectionOptions, open_connection, with_connection
from azresp_cli.cli.state import AppState, app_state
from azresp_cli.cli.tool_options import ToolOptions, with_tools
from azresp_cli.core.errors import UsageError

CHAT_PANEL = "Chat"
OUTPUT_PANEL = "Output"
SESSION_PANEL = "Chat session"


@with_connection
@with_tools
def chat(
    ctx: typer.Context,
    prompt: Annotated[
        str | None,
        typer.Argument(
            help="The prompt. Piped stdin is read too: alone as the prompt, or as "
            "context before PROMPT.",
            show_default=False,
        ),
    ] = None,
    system: Annotated[
        str | None,
        typer.Option(
            "--system",
            "-s",
            help="Instructions for the model.",
            rich_help_panel=CHAT_PANEL,
            show_default=False,
        ),
    ] = None,
    previous: Annotated[
        str | None,
        typer.Option(
            "--previous",
            "-p",
            help="Continue from this response id.",
            rich_help_panel=CHAT_PANEL,
            show_default=False,
        ),
    ] = None,
    continue_last: Annotated[
        bool,
        typer.Option(
            "--continue", "-c", help="Continue the last conversation.", rich_help_panel=CHAT_PANEL
        ),
    ] = False,
    no_store: Annotated[
        bool,
        typer.Option(
            "--no-store",
            help="Stateless: the service keeps nothing; azresp keeps the items and replays them.",
            rich_help_panel=CHAT_PANEL,
        ),
    ] = False,
    effort: Annotated[
        Effort | None,
        typer.Option(
            "--effort", help="Reasoning effort.", rich_help_panel=CHAT_PANEL, show_default=False
        ),
    ] = None,
    summary: Annotated[
        Summary | None,
        typer.Option(
            "--summary",
            help="Show the model's reasoning summary.",
            rich_help_panel=CHAT_PANEL,
            show_default=False,
        ),
    ] = None,
    verbosity: Annotated[
        Verbosity | None,
        typer.Option(
            "--verbosity", help="Answer length.", rich_help_panel=CHAT_PANEL, show_default=False
        ),
    ] = None,
    max_output_tokens: Annotated[
        int | None,
        typer.Option(
            "--max-output-tokens",
            help="Cap on output tokens (reasoning included).",
            rich_help_panel=CHAT_PANEL,
            show_default=False,
            min=1,
        ),
    ] = None,
    background: Annotated[
        bool,
        typer.Option(
            "--background",
            help="Run it as a background job (see azresp bg) and stream it, resuming after "
            "drops; Ctrl-C leaves the job running.",
            rich_help_panel=CHAT_PANEL,
        ),
    ] = False,
    no_stream: Annotated[
        bool,
        typer.Option(
            "--no-stream",
            help="Wait for the whole answer instead of streaming.",
            rich_help_panel=OUTPUT_PANEL,
        ),
    ] = False,
    json_output: Annotated[
        bool,
        typer.Option(
            "--json", help="Print the final Response object as JSON.", rich_help_panel=OUTPUT_PANEL
        ),
    ] = False,
    jsonl_output: Annotated[
        bool,
        typer.Option(
            "--jsonl",
            help="Print every stream event as one JSON line.",
            rich_help_panel=OUTPUT_PANEL,
        ),
    ] = False,
    interactive: Annotated[
        bool,
        typer.Option(
            "--interactive",
            "-i",
            help="Answer PROMPT, then stay in the chat session.",
            rich_help_panel=SESSION_PANEL,
        ),
    ] = False,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Reopen a conversation from the local history: the last one, or the "
            "conversation (or response) id given in place of PROMPT.",
            rich_help_panel=SESSION_PANEL,
        ),
    ] = False,
    vi_mode: Annotated[
        bool,
        typer.Option(
            "--vi",
            help="Vi key bindings at the prompt (or vi_mode = true in the profile).",
            rich_help_panel=SESSION_PANEL,
        ),
    ] = False,
    no_history: Annotated[
        bool,
        typer.Option(
            "--no-history",
            help="Record nothing in the local history (or history = false in the profile).",
            rich_help_panel=SESSION_PANEL,
        ),
    ] = False,
    *,
    tools: ToolOptions,
    connection: ConnectionOptions,
) -> None:
    """Ask once; without PROMPT or piped input on a terminal, start a chat session.

    Examples:

    \b
      azresp chat --emulator "Explain SSE in one paragraph"
      cat build.log | azresp chat "why did this fail?" > answer.md
      azresp chat -c "and how do I fix it?"
    """
    from azresp_cli.cli.oneshot import OneShot, run_one_shot
    from azresp_cli.cli.tool_session import prepare_tools

    state = app_state(ctx)
    if json_output and jsonl_output:
        raise UsageError("--json and --jsonl cannot be combined", hint="pick one output format")
    if previous and continue_last:
        raise UsageError("-p/--previous and -c/--continue cannot be combined")
    env = state.env
    if interactive or resume or (prompt is None and env.stdin_isatty and env.stdout_isatty):
        if not (env.stdin_isatty and env.stdout_isatty):
            raise UsageError(
                "the chat session needs a terminal on stdin and stdout",
                hint='for scripts, pass the prompt: azresp chat "..." (-c continues)',
            )
        if json_output or jsonl_output:
            raise UsageError("--json and --jsonl are for one-shot answers, not the chat session")
        if background:
            raise UsageError(
                "--background is for one-shot answers",
                hint="in the chat session, /bg PROMPT runs one turn in the background",
            )
        if resume and interactive:
            raise UsageError("--resume and -i cannot be combined", hint="type the prompt there")
        from azresp_cli.core.session_start import SessionStart
        from azresp_cli.repl.start import ReplStart, run_chat

        start = SessionStart(
            system=system,
            effort=effort.value if effort else None,
            summary=summary.value if summary else None,
            verbosity=verbosity.value if verbosity else None,
            max_output_tokens=max_output_tokens,
            stream=not no_stream,
            store=not no_store,
            previous=previous,
            resume=resume or continue_last,
            resume_id=prompt if resume else None,
            history=not no_history,
        )
        with open_connection(state, connection) as conn:
            kit, attachments = prepare_tools(state, conn.settings, tools)
            run_chat(
                env,
                conn.settings,
                lambda: conn.client,
                ReplStart(
                    start,
                    vi_mode,
                    prompt if interactive else None,
                    state.debug,
                    tools=kit,
                    attachments=tuple(attachments),
                ),
            )
        return
    prompt_text, context = _prompt_and_context(state, prompt)
    options = OneShot(
        prompt=prompt_text,
        context=context,
        system=system,
        previous=previous,
        continue_last=continue_last,
        store=not no_store,
        stream=not no_stream,
        effort=effort.value if effort else None,
        summary=summary.value if summary else None,
        verbosity=verbosity.value if verbosity else None,
        max_output_tokens=max_output_tokens,
        output="json" if json_output else "jsonl" if jsonl_output else "text",
        history=not no_history,
        background=background,
    )
    with open_connection(state, connection) as conn:
        kit, attachments = prepare_tools(state, conn.settings, tools)
        run_one_shot(state, conn, options, kit, attachments)


def _prompt_and_context(state: AppState, prompt: str | None) -> tuple[str, str | None]:
    env = state.env
    piped = None if env.stdin_isatty else env.stdin.read()
    if piped is not None and not piped.strip():
        piped = None
    if prompt is not None and prompt.strip():
        return prompt, piped
    if piped is not None:
        return piped, None
    if env.stdin_isatty:
        raise UsageError(
            "no prompt given",
            hint='pass a prompt, e.g. azresp chat "hello", or pipe text into azresp chat',
        )
    raise UsageError(
        "no prompt: the argument is empty and nothing was piped on stdin",
        hint='pass a prompt, e.g. azresp chat "hello", or pipe text into azresp chat',
    )
