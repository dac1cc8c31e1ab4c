"""The interactive loop: read a line with prompt_toolkit, run a command or a turn, repeat.

``session.prompt()`` runs once per line and returns before anything is printed, so the answer
streams to a terminal prompt_toolkit has released, and every finished answer stays in the
scrollback as the render layer printed it (no full-screen app redraws it on resize).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from prompt_toolkit import PromptSession
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.styles import Style

from azresp_cli.core.approval import Decision
from azresp_cli.core.environment import Environment
from azresp_cli.core.errors import AzrespError, Interrupted, classify
from azresp_cli.core.events import (
    Completed,
    ResponseRecord,
    ResponseStarted,
    TextDelta,
    ToolCall,
)
from azresp_cli.core.session import ChatSession
from azresp_cli.core.terminal_text import neutralize, raw_stream
from azresp_cli.repl import slash
from azresp_cli.repl.commands import Next, dispatch, repl_hint
from azresp_cli.repl.completion import SlashCompleter
from azresp_cli.repl.keys import (
    InterruptWindow,
    LeaveInterrupted,
    build_key_bindings,
    expire_notice,
)
from azresp_cli.repl.toolbar import toolbar_fragments

if TYPE_CHECKING:
    from prompt_toolkit.input import Input
    from prompt_toolkit.output import Output

    from azresp_cli.render.structured_writer import StructuredWriter
    from azresp_cli.render.writers import TurnWriter

PROMPT_HISTORY_FILE = "prompt-history"
STYLE = Style.from_dict(
    {
        "prompt": "bold ansicyan",
        "continuation": "ansibrightblack",
        "bottom-toolbar": "noreverse bg:ansibrightblack fg:ansiwhite",
        "bottom-toolbar.notice": "noreverse bg:ansiyellow fg:ansiblack",
    }
)


@dataclass(frozen=True)
class ReplOptions:
    vi_mode: bool = False
    # Where typed prompts are kept for up-arrow and Ctrl-R across sessions; None: memory only.
    prompt_history: Path | None = None
    first_prompt: str | None = None  # `azresp chat -i PROMPT`
    # `azresp chat -t NAME -i`: the template's prompt takes the first message as its $input
    fill_first: Callable[[str], str] | None = None
    greeting: str | None = None
    debug: bool = False


def prompt_history_path(data_dir: Path) -> Path:
    return data_dir / PROMPT_HISTORY_FILE


def run_repl(
    env: Environment,
    session: ChatSession,
    options: ReplOptions,
    *,
    input: Input | None = None,
    output: Output | None = None,
) -> None:
    """Run the session until /exit or Ctrl-D; raises Interrupted after a double Ctrl-C."""
    Repl(env, session, options, input=input, output=output).run()


class Repl:
    def __init__(
        self,
        env: Environment,
        session: ChatSession,
        options: ReplOptions,
        *,
        input: Input | None = None,
        output: Output | None = None,
        interrupts: InterruptWindow | None = None,
    ) -> None:
        self.env = env
        self.session = session
        self.options = options
        self.interrupts = interrupts or InterruptWindow()
        self.screen = TerminalScreen(env)
        self._writer: TurnWriter | None = None  # the turn being shown, settled before a prompt
        # /template NAME with a prompt that takes $input: makes the next typed prompt
        self._fill: Callable[[str], str] | None = options.fill_first
        session.tools.approvals.approver = self._approve
        self.prompt_session: PromptSession[str] = PromptSession(
            message=FormattedText([("class:prompt", "› ")]),
            multiline=True,
            prompt_continuation=lambda width, line, wrap: FormattedText(
                [("class:continuation", "· ".rjust(width))]
            ),
            key_bindings=build_key_bindings(self.interrupts),
            completer=SlashCompleter(),
            complete_while_typing=True,
            history=_prompt_history(options.prompt_history),
            auto_suggest=AutoSuggestFromHistory(),
            vi_mode=options.vi_mode,
            enable_open_in_editor=True,
            bottom_toolbar=self._toolbar,
            style=STYLE,
            include_default_pygments_style=False,
            input=input,
            output=output,
        )

    def run(self) -> None:
        if self.options.greeting:
            self.screen.info(self.options.greeting)
        if self.options.first_prompt:
            # Up-arrow recalls it like a typed prompt.
            self.prompt_session.history.append_string(self.options.first_prompt)
            self.ask(self._filled(self.options.first_prompt))
        elif self._fill is not None:
            self.screen.info("the template's prompt is waiting: your first message is its $input")
        while True:
            try:
                line = self.prompt_session.prompt(pre_run=self._pre_run)
            except EOFError:
                return
            except (LeaveInterrupted, KeyboardInterrupt):
                raise Interrupted("interrupted") from None
            try:
                if self.handle(line) is Next.EXIT:
                    return
            except KeyboardInterrupt:
                # A Ctrl-C while an interrupted answer was still being wound up: the second one.
                raise Interrupted("interrupted") from None

    def handle(self, line: str) -> Next:
        """Run one line typed at the prompt: a slash command or a prompt."""
        if not line.strip():
            return Next.PROMPT
        self.interrupts.reset()
        if not slash.is_command(line):
            self.ask(self._filled(slash.prompt_text(line)))
            return Next.PROMPT
        try:
            outcome = dispatch(slash.parse(line), self.session, self.screen)
        except KeyboardInterrupt:  # e.g. a slow /get: stop it, as an answer is stopped
            self.interrupts.press()
            self.screen.info("[interrupted]")
            return Next.PROMPT
        except Exception as exc:  # noqa: BLE001 - shown in one line; the session goes on
            self.show_error(exc)
            return Next.PROMPT
        if outcome.drop_fill:
            dropped, self._fill = self._fill, None
            self.screen.info(
                "template prompt dropped: your next message is sent as typed"
                if dropped
                else "no template prompt is waiting"
            )
        if outcome.fill_next is not None:
            self._fill = outcome.fill_next
        if outcome.next is Next.ASK:
            prompt = self._filled(outcome.prompt) if outcome.background else outcome.prompt
            self.ask(prompt, background=outcome.background)
            return Next.PROMPT
        return outcome.next

    def _filled(self, text: str) -> str:
        """A typed prompt, made into the waiting template prompt's $input (once)."""
        fill, self._fill = self._fill, None
        return fill(text) if fill is not None else text

    def ask(self, prompt: str, *, background: bool = False) -> None:
        """One turn: stream the answer; Ctrl-C stops it and keeps what came (a background
        turn's job goes on running on the service)."""
        from azresp_cli.render.writers import Outcome

        # Under /schema the answer is shown once, as JSON checked against the schema (as
        # chat --schema prints it); a refusal or an invalid instance is an error line.
        schema = self.session.options.schema
        structured = self._structured_writer() if schema is not None else None
        writer = self._writer = structured or self._text_writer()
        events = self.session.ask(prompt, background=background)
        job: str | None = None
        final: ResponseRecord | None = None
        try:
            for event in events:
                if background and isinstance(event, ResponseStarted):
                    job = event.response_id
                elif isinstance(event, Completed):
                    final = event.response
                writer.handle(event)
            if structured is not None and schema is not None and final is not None:
                from azresp_cli.core.structured import structured_answer

                # The turn is recorded already: the raw answer stays in the history.
                structured.emit(structured_answer(final, schema))
        except KeyboardInterrupt:
            self.interrupts.press()
            events.close()
            writer.finish(Outcome.interrupted())
            if job:
                flag = " --emulator" if self.session.settings.is_emulator else ""
                self.screen.info(f"{job} goes on in the background: azresp bg stream{flag} {job}")
        except Exception as exc:  # noqa: BLE001 - shown in one line; the session goes on
            events.close()
            error = classify(exc)
            writer.finish(Outcome.failed(error))
            self.show_error(error)
        else:
            writer.finish(Outcome.completed())
        self.screen.plain("")  # a blank line between one turn and the next prompt

    def _text_writer(self) -> TurnWriter:
        from azresp_cli.render.writers import OutputFormat, writer_for

        return writer_for(self.env, OutputFormat.TEXT, meter=self.session.meter)

    def _structured_writer(self) -> StructuredWriter:
        import time

        from azresp_cli.render.console import stderr_console
        from azresp_cli.render.structured_writer import StructuredWriter

        return StructuredWriter(
            self.env.stdout,
            stderr_console(self.env),
            pretty=True,
            show_footer=True,
            clock=time.monotonic,
            meter=self.session.meter,
        )

    def _approve(self, call: ToolCall) -> Decision:
        from azresp_cli.repl.approval import ask_approval

        if self._writer is not None:
            self._writer.settle()
        return ask_approval(
            call, input=self.prompt_session.input, output=self.prompt_session.output
        )

    def show_error(self, exc: BaseException) -> None:
        from azresp_cli.render.errors import print_error

        error = exc if isinstance(exc, AzrespError) else classify(exc)
        error.hint = repl_hint(error.hint)
        debug = self.options.debug
        print_error(self.env, error, debug=debug, exception=exc if debug else None)

    def _pre_run(self) -> None:
        if self.interrupts.armed:  # an answer was just stopped with Ctrl-C
            expire_notice(self.interrupts)

    def _toolbar(self) -> FormattedText:
        notice = "Ctrl-C again leaves (so does Ctrl-D)" if self.interrupts.armed else None
        return FormattedText(toolbar_fragments(self.session, notice))


class TerminalScreen:
    """Where slash commands report: status lines dim, copyable text plain, on stdout."""

    def __init__(self, env: Environment) -> None:
        self.env = env

    def info(self, text: str) -> None:
        if not self.env.color:
            self._write(text)
            return
        # Our own dim style goes to the terminal as it is; the text is made inert first.
        stream = raw_stream(self.env.stdout)
        stream.write(f"\x1b[2m{neutralize(text)}\x1b[0m\n")
        stream.flush()

    def plain(self, text: str) -> None:
        self._write(text)

    def response(self, record: ResponseRecord) -> None:
        from azresp_cli.render.writers import Outcome, OutputFormat, writer_for

        writer = writer_for(self.env, OutputFormat.TEXT)
        for event in (
            ResponseStarted(record.id, record.status),
            TextDelta(record.output_text),
            Completed(record),
        ):
            writer.handle(event)
        writer.finish(Outcome.completed())

    def _write(self, text: str) -> None:
        self.env.stdout.write(text + "\n")
        self.env.stdout.flush()


def _prompt_history(path: Path | None) -> History:
    if path is None:
        return InMemoryHistory()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Created user-only before prompt_toolkit appends to it: it holds what was typed.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
    except OSError:
        return InMemoryHistory()
    with contextlib.suppress(OSError):
        path.chmod(0o600)
    return FileHistory(path)
