"""What each slash command does to the chat session, and what it shows.

Free of prompt_toolkit: it acts on a ``ChatSession`` and reports through a ``Screen``, so the
tests drive it with a list-backed screen and a session pointed at the emulator. Each handler is
named by its command's spec in ``slash.COMMANDS`` (the one registry): ``dispatch`` runs it.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from azresp_cli.core.errors import NotFoundError, UsageError, classify
from azresp_cli.core.events import ResponseRecord
from azresp_cli.core.ids import check_id
from azresp_cli.core.session import ChatSession
from azresp_cli.core.transcript import transcript_markdown

if TYPE_CHECKING:
    from azresp_cli.repl.slash import SlashCommand


class Screen(Protocol):
    def info(self, text: str) -> None:
        """A status line, shown dim."""

    def plain(self, text: str) -> None:
        """Text meant to be copied: no colour, no decoration."""

    def response(self, record: ResponseRecord) -> None:
        """A response fetched with /get, rendered like an answer."""


class Next(enum.Enum):
    PROMPT = "prompt"  # read the next line
    EXIT = "exit"
    ASK = "ask"  # send `Outcome.prompt` as a turn


@dataclass(frozen=True)
class Outcome:
    next: Next = Next.PROMPT
    prompt: str = ""
    background: bool = False  # ASK: run the turn as a background job (/bg)
    # /template NAME whose prompt takes $input: what the next prompt typed becomes
    fill_next: Callable[[str], str] | None = None
    drop_fill: bool = False  # /template off: the next prompt is sent as typed


# What a command does: given its argument (stripped, "" for none), the session and the screen;
# None means "read the next line".
Handler = Callable[[str, ChatSession, Screen], Outcome | None]


def dispatch(command: SlashCommand, session: ChatSession, screen: Screen) -> Outcome:
    """Run one command. Raises UsageError (bad arguments) or whatever the service raised."""
    return command.spec.handler(command.argument, session, screen) or Outcome()


def _help(argument: str, session: ChatSession, screen: Screen) -> Outcome | None:
    from azresp_cli.repl.slash import help_text

    screen.plain(help_text(argument or None))
    return None


def _exit(argument: str, session: ChatSession, screen: Screen) -> Outcome | None:
    return Outcome(Next.EXIT)


def _new(argument: str, session: ChatSession, screen: Screen) -> Outcome | None:
    session.new_chain()
    screen.info(f"new conversation {session.conversation_id}")
    return None


def _id(argument: str, session: ChatSession, screen: Screen) -> Outcome | None:
    if session.head is None:
        screen.info("no response yet in this conversation")
    else:
        screen.plain(session.head)
    return None


def _continue_from(argument: str, session: ChatSession, screen: Screen) -> Outcome | None:
    response_id = check_id(argument.split()[0])
    _check_exists(session, response_id)
    session.continue_from(response_id)
    mode = "replaying its items" if session.conversation.items or not session.store else "stored"
    screen.info(f"continuing from {response_id} ({mode}); conversation {session.conversation_id}")
    return None


def _check_exists(session: ChatSession, response_id: str) -> None:
    """Ask the service for the response now, so a typo fails here, not on every later turn.
    A stateless response (store=false) cannot be fetched: the local history vouches for it."""
    from azresp_cli.core.responses import get_response

    history = session.history
    known = history.read(lambda store: store.turn(response_id)) if history else None
    if known is not None and not known.stored:
        return
    try:
        get_response(session.client(), response_id)
    except Exception as exc:
        error = classify(exc)
        if isinstance(error, NotFoundError):
            error.hint = "the conversation goes on as before; /history lists its response ids"
        raise error from exc


def _model(argument: str, session: ChatSession, screen: Screen) -> Outcome | None:
    if argument:
        session.set_model(argument)
    screen.info(f"deployment: {session.settings.deployment}")
    return None


def _system(argument: str, session: ChatSession, screen: Screen) -> Outcome | None:
    if argument:
        session.set_option("instructions", None if argument.lower() == "off" else argument)
    current = session.options.instructions
    screen.info(f"instructions: {current}" if current else "no instructions")
    return None


def _attach(argument: str, session: ChatSession, screen: Screen) -> Outcome | None:
    attachment = session.attach(argument, cwd=Path.cwd())
    screen.info(f"attached {attachment.label}; it goes with the next prompt")
    return None


def _store(argument: str, session: ChatSession, screen: Screen) -> Outcome | None:
    if argument:
        session.set_store(argument == "on")
    if session.store:
        screen.info("store on: the service keeps the conversation; turns chain by id")
    else:
        screen.info("store off: the service keeps nothing; azresp replays the conversation")
    return None


def _web(argument: str, session: ChatSession, screen: Screen) -> Outcome | None:
    tools = session.tools
    if argument:
        notice = tools.set_web_search(argument == "on")
        if notice:
            screen.info(notice)
    search = tools.config.web_search
    if tools.web_search_active and search is not None:
        domains = ", ".join(search.allowed_domains)
        screen.info("web search on" + (f" (only {domains})" if domains else ""))
    else:
        screen.info("web search off")
    return None


def _effort(argument: str, session: ChatSession, screen: Screen) -> Outcome | None:
    if argument:
        session.set_option("effort", None if argument == "off" else argument)
    screen.info(f"reasoning effort: {session.options.effort or 'the deployment default'}")
    return None


def _history(argument: str, session: ChatSession, screen: Screen) -> Outcome | None:
    if not session.turns:
        screen.info(f"conversation {session.conversation_id}: no turns yet")
        return None
    lines = [f"conversation {session.conversation_id}"]
    for number, turn in enumerate(session.turns, start=1):
        usage = turn.usage
        tokens = f"{usage.input_tokens}→{usage.output_tokens} tokens" if usage else ""
        marker = "" if turn.stored else " (not stored)"
        lines.append(f"{number:>3}. {turn.response_id}{marker}  {tokens}  {_snippet(turn.prompt)}")
    screen.plain("\n".join(lines))
    return None


def _save(argument: str, session: ChatSession, screen: Screen) -> Outcome | None:
    if not session.turns:
        raise UsageError("nothing to save yet", hint="ask something first")
    if not argument:
        raise UsageError("/save needs a file name", hint="/save chat.md")
    path = Path(argument).expanduser()
    text = transcript_markdown(
        session.turns,
        conversation_id=session.conversation_id,
        deployment=session.settings.deployment,
        saved_at=datetime.now(),
    )
    try:
        # O_EXCL: never over an existing file, and never through a symlink (even a dangling one).
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
    except FileExistsError:
        raise UsageError(
            f"{argument} exists; /save never overwrites a file", hint="/save a new file name"
        ) from None
    except OSError as exc:
        raise UsageError(
            f"cannot write {argument}: {exc.strerror or exc}", hint="check the path"
        ) from None
    count = len(session.turns)
    screen.info(f"saved {count} turn{'s' if count != 1 else ''} to {path}")
    return None


def _retry(argument: str, session: ChatSession, screen: Screen) -> Outcome | None:
    prompt = session.retry()
    screen.info(f"asking again from {session.head or 'a new conversation'}")
    return Outcome(Next.ASK, prompt)


def _bg(argument: str, session: ChatSession, screen: Screen) -> Outcome | None:
    if not session.store:
        raise UsageError(
            "a background turn needs a stored conversation", hint="/store on, then /bg again"
        )
    return Outcome(Next.ASK, argument, background=True)


def _compact(argument: str, session: ChatSession, screen: Screen) -> Outcome | None:
    from azresp_cli.core.compaction import summary_text
    from azresp_cli.core.errors import NotSupportedError

    try:
        result = session.compact()
    except NotSupportedError as error:
        # One line, and the conversation goes on as it was.
        screen.info(f"{error.headline()}; the conversation is unchanged")
        return None
    screen.info(summary_text(result, "the conversation"))
    return None


def _get(argument: str, session: ChatSession, screen: Screen) -> Outcome | None:
    from azresp_cli.core.responses import get_response

    screen.response(get_response(session.client(), argument.split()[0]))
    return None


def _delete(argument: str, session: ChatSession, screen: Screen) -> Outcome | None:
    from azresp_cli.core.responses import delete_response

    response_id = argument.split()[0]
    delete_response(session.client(), response_id)
    screen.info(f"deleted {response_id}")
    if response_id == session.head and session.store:
        screen.info("the chain continued from it: /new starts over, /fork ID picks another")
    return None


# Hints name CLI flags; inside the chat session the slash commands do the same.
_REPL_HINTS = (
    (
        "start a new conversation or pass another -p/--previous id",
        "/new starts over, /previous ID continues from another response",
    ),
    ("continue with -p/--previous", "continue with /previous ID"),
    ("-p/--previous", "/previous ID"),
)


def repl_hint(hint: str) -> str:
    """``hint`` with CLI flags replaced by the slash commands that do the same in the session."""
    for flag, command in _REPL_HINTS:
        hint = hint.replace(flag, command)
    return hint


def _usage(argument: str, session: ChatSession, screen: Screen) -> Outcome | None:
    from azresp_cli.core.meter import usage_lines

    for line in usage_lines(session.meter):
        screen.plain(line)
    return None


def _snippet(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
