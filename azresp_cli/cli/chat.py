"""``azresp chat``: one-shot answers (prompt or piped stdin); the REPL without either on a TTY."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Annotated

import typer

from azresp_cli.cli.connection import ConnectionOptions, open_connection, with_connection
from azresp_cli.cli.prompt_options import (
    PromptOptions,
    apply_template,
    save_from_flags,
    template_prompt,
    with_prompt_options,
)
from azresp_cli.cli.state import AppState, app_state
from azresp_cli.cli.tool_options import ToolOptions, with_tools
from azresp_cli.cli.turn_flags import SESSION_PANEL, with_turn_options
from azresp_cli.core.errors import UsageError
from azresp_cli.core.turn_options import OUTPUT_PANEL

if TYPE_CHECKING:
    from azresp_cli.core.session_start import SessionStart


@with_connection
@with_tools
@with_prompt_options
@with_turn_options()
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
    *,
    start: SessionStart,
    prompt_options: PromptOptions,
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
    from azresp_cli.cli.oneshot import Output, run_one_shot
    from azresp_cli.cli.tool_session import prepare_tools

    state = app_state(ctx)
    if json_output and jsonl_output:
        raise UsageError("--json and --jsonl cannot be combined", hint="pick one output format")
    env = state.env
    one_shot = not (interactive or resume or prompt_options.save) and (
        prompt is not None or not env.stdin_isatty
    )
    if one_shot:
        from azresp_cli.core.client_prep import prepare_in_background

        prepare_in_background()  # a one-shot answer: openai and TLS while the rest starts
    prepared = apply_template(state, prompt_options, start, tools, connection)
    if prompt_options.save:
        path = save_from_flags(state, prompt_options, prepared, prompt)
        env.stderr.write(f"saved template '{prompt_options.save}' in {path}\n")
        return
    start, tools, connection = prepared.start, prepared.tools, prepared.connection
    template = prepared.template
    has_prompt = template is not None and template.prompt is not None
    if (
        interactive
        or resume
        or (prompt is None and env.stdin_isatty and env.stdout_isatty and not has_prompt)
    ):
        if not (env.stdin_isatty and env.stdout_isatty):
            raise UsageError(
                "the chat session needs a terminal on stdin and stdout",
                hint='for scripts, pass the prompt: azresp chat "..." (-c continues)',
            )
        if json_output or jsonl_output:
            raise UsageError("--json and --jsonl are for one-shot answers, not the chat session")
        if start.flags.get("background"):
            raise UsageError(
                "--background is for one-shot answers",
                hint="in the chat session, /bg PROMPT runs one turn in the background",
            )
        if resume and interactive:
            raise UsageError("--resume and -i cannot be combined", hint="type the prompt there")
        from azresp_cli.repl.start import ReplStart, run_chat

        if resume:
            start = replace(start, resume=True, resume_id=prompt)
        first = prompt if interactive else None
        fill = None
        if template is not None and template.prompt is not None:
            # As /template NAME does: the template's prompt takes the first message as $input,
            # or, needing none, is the first prompt.
            params = dict(prompt_options.params)
            template.check_params(params)
            if first is None and not template.needs_input:
                first = template.prompt_for(None, params)
            else:
                from azresp_cli.repl.prompt_commands import input_filler

                fill = input_filler(template, params)
        with open_connection(state, connection) as conn:
            if first is not None:  # asked at once: connected while openai imports, as a one-shot
                from azresp_cli.core.client_prep import prepare_in_background

                prepare_in_background()
                conn.connect_early()
            kit, attachments = prepare_tools(state, conn.settings, tools)
            try:
                run_chat(
                    env,
                    conn.settings,
                    lambda: conn.client,
                    ReplStart(
                        start,
                        vi_mode,
                        first,
                        state.debug,
                        tools=kit,
                        attachments=tuple(attachments),
                        fill_first=fill,
                    ),
                )
            finally:
                kit.close()
        return
    if has_prompt and prompt is None and env.stdin_isatty:
        prompt_text, context = "", None  # the template's prompt may need no input
    else:
        prompt_text, context = _prompt_and_context(state, prompt)
    prompt_text = template_prompt(template, prompt_options, prompt_text or None) or ""
    output: Output = "json" if json_output else "jsonl" if jsonl_output else "text"
    with open_connection(state, connection) as conn:
        if one_shot:
            conn.connect_early()  # while openai imports (prepared above)
        kit, attachments = prepare_tools(state, conn.settings, tools)
        try:
            run_one_shot(state, conn, start, prompt_text, context, output, kit, attachments)
        finally:
            kit.close()


def _prompt_and_context(state: AppState, prompt: str | None) -> tuple[str, str | None]:
    from azresp_cli.core.input_files import read_piped

    env = state.env
    piped = None if env.stdin_isatty else read_piped(env.stdin)
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
