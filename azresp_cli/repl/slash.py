"""Slash commands: the registry, parsing a line, and what may follow the cursor.

``COMMANDS`` is the one registry: each spec names its usage, its arguments and its handler (in
``commands.py``). No prompt_toolkit here (as pgcli keeps ``sqlcompletion`` apart from its
Completer): the completer in ``completion.py`` and ``commands.dispatch`` both build on it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Literal

from azresp_cli.core.errors import UsageError
from azresp_cli.core.turn_options import choices
from azresp_cli.repl import commands as run
from azresp_cli.repl import prompt_commands as run_extra
from azresp_cli.repl.commands import Handler

ArgumentKind = Literal["none", "optional", "required"]


@dataclass(frozen=True)
class CommandSpec:
    name: str
    usage: str
    help: str
    argument: ArgumentKind = "none"
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    takes_path: bool = False
    handler: Handler = field(kw_only=True)  # what the command does (commands.py)


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "help",
        "/help [COMMAND]",
        "list the commands, or explain one",
        "optional",
        handler=run._help,
    ),
    CommandSpec(
        "exit",
        "/exit",
        "leave the session (Ctrl-D on an empty line does too)",
        aliases=("quit",),
        handler=run._exit,
    ),
    CommandSpec("new", "/new", "start a new conversation (a new chain)", handler=run._new),
    CommandSpec("id", "/id", "print the current response id, alone on a line", handler=run._id),
    CommandSpec(
        "usage",
        "/usage",
        "tokens, cost and cache hits of this session, turn by turn",
        handler=run._usage,
    ),
    CommandSpec(
        "previous",
        "/previous ID",
        "continue from any response id, also another session's",
        "required",
        handler=run._continue_from,
    ),
    CommandSpec(
        "fork",
        "/fork ID",
        "branch off an earlier response: the next turn continues from it",
        "required",
        handler=run._continue_from,
    ),
    CommandSpec(
        "model",
        "/model [NAME]",
        "use another deployment from the next turn (no NAME: show it)",
        "optional",
        handler=run._model,
    ),
    CommandSpec(
        "system",
        "/system [TEXT|off]",
        "set the instructions sent with every turn (no TEXT: show them; off: none)",
        "optional",
        handler=run._system,
    ),
    CommandSpec(
        "attach",
        "/attach PATH|URL",
        "send a file (image, PDF, text; data files with --code) or a URL with the next prompt",
        "required",
        takes_path=True,
        handler=run._attach,
    ),
    CommandSpec(
        "store",
        "/store [on|off]",
        "off: the service keeps nothing and azresp replays the conversation itself",
        "optional",
        choices=("on", "off"),
        handler=run._store,
    ),
    CommandSpec(
        "web",
        "/web [on|off]",
        "let the model search the web (Bing, billed per search) from the next turn",
        "optional",
        choices=("on", "off"),
        handler=run._web,
    ),
    CommandSpec(
        "effort",
        "/effort [LEVEL|off]",
        "reasoning effort for the next turns",
        "optional",
        choices=(*choices("effort"), "off"),
        handler=run._effort,
    ),
    CommandSpec("history", "/history", "list this conversation's turns", handler=run._history),
    CommandSpec(
        "save",
        "/save FILE",
        "write this conversation to FILE as Markdown",
        "required",
        takes_path=True,
        handler=run._save,
    ),
    CommandSpec(
        "retry", "/retry", "ask the last prompt again, from the same parent", handler=run._retry
    ),
    CommandSpec(
        "bg",
        "/bg PROMPT",
        "ask PROMPT as a background job and stream it (Ctrl-C leaves the job running)",
        "required",
        handler=run._bg,
    ),
    CommandSpec(
        "compact",
        "/compact",
        "compact the conversation on the service; the next turns go on from the summary",
        handler=run._compact,
    ),
    CommandSpec("get", "/get ID", "show a stored response's answer", "required", handler=run._get),
    CommandSpec(
        "delete",
        "/delete ID",
        "delete a stored response from the service",
        "required",
        handler=run._delete,
    ),
    CommandSpec(
        "schema",
        "/schema [SCHEMA|off]",
        "answer with JSON that fits SCHEMA (as chat --schema) from the next turn; off: text",
        "optional",
        handler=run_extra._schema,
    ),
    CommandSpec(
        "template",
        "/template NAME [KEY=VALUE ...]|off",
        "use a saved template's system prompt, options, schema and fragments from now on; "
        "your next message is its prompt's $input (off: send it as typed)",
        "required",
        handler=run_extra._template,
    ),
    CommandSpec(
        "fragment",
        "/fragment [PATH|URL|NAME]",
        "send a fragment (a file, URL or named fragment) with the next prompt",
        "optional",
        takes_path=True,
        handler=run_extra._fragment,
    ),
)

_BY_NAME = {name: spec for spec in COMMANDS for name in (spec.name, *spec.aliases)}
_COMMAND_LINE = re.compile(r"/([A-Za-z][\w-]*)(?:\s+(.*))?", re.DOTALL)


@dataclass(frozen=True)
class SlashCommand:
    spec: CommandSpec
    argument: str  # stripped; "" when none was given

    @property
    def name(self) -> str:
        return self.spec.name


def is_command(line: str) -> bool:
    """A line that starts with ``/word``; anything else (``//text``, ``/usr/bin``) is a prompt."""
    return _COMMAND_LINE.fullmatch(line.strip()) is not None


def parse(line: str) -> SlashCommand:
    """Parse a command line; raises UsageError for unknown commands and bad arguments."""
    match = _COMMAND_LINE.fullmatch(line.strip())
    if match is None:
        raise UsageError(f"not a command: {line.strip()}", hint="/help lists the commands")
    word, rest = match.group(1).lower(), _unquoted((match.group(2) or "").strip())
    spec = _BY_NAME.get(word)
    if spec is None:
        close = difflib.get_close_matches(word, list(_BY_NAME), n=1)
        hint = f"did you mean /{close[0]}? /help lists the commands" if close else None
        raise UsageError(f"unknown command /{word}", hint=hint or "/help lists the commands")
    if spec.argument == "none" and rest:
        raise UsageError(f"/{spec.name} takes no argument", hint=f"usage: {spec.usage}")
    if spec.argument == "required" and not rest:
        raise UsageError(f"/{spec.name} needs an argument", hint=f"usage: {spec.usage}")
    if spec.choices and rest and rest.lower() not in spec.choices:
        raise UsageError(
            f"/{spec.name} does not know '{rest}'", hint=f"use one of {', '.join(spec.choices)}"
        )
    return SlashCommand(spec, rest.lower() if spec.choices else rest)


def _unquoted(argument: str) -> str:
    """An argument quoted whole, as in a shell (`/schema 'name, age int'`, `/save "my notes.md"`),
    without its quotes: the chat prompt is not a shell, but hands are used to one."""
    if len(argument) >= 2 and argument[0] == argument[-1] and argument[0] in "'\"":
        inner = argument[1:-1]
        if argument[0] not in inner:
            return inner.strip()
    return argument


def prompt_text(line: str) -> str:
    """What a non-command line sends: ``//text`` stands for a prompt starting with ``/text``."""
    return line[1:] if line.startswith("//") else line


def help_text(name: str | None = None) -> str:
    """The /help text: every command, or one command's usage and description."""
    if name:
        spec = _BY_NAME.get(name.lstrip("/").lower())
        if spec is None:
            raise UsageError(f"unknown command /{name.lstrip('/')}", hint="/help lists them")
        aliases = f" (also /{', /'.join(spec.aliases)})" if spec.aliases else ""
        return f"{spec.usage}{aliases}\n  {spec.help}"
    width = max(len(spec.usage) for spec in COMMANDS)
    lines = [f"{spec.usage.ljust(width)}  {spec.help}" for spec in COMMANDS]
    lines.append("")
    lines.append("Enter sends; Alt-Enter or Esc Enter adds a line (inside ``` Enter does too).")
    lines.append("Ctrl-C stops an answer or clears the line; twice, or Ctrl-D, leaves.")
    lines.append("//text sends a prompt that starts with /text.")
    return "\n".join(lines)


@dataclass(frozen=True)
class WordSuggestion:
    """Complete the word before the cursor from ``candidates``."""

    word: str
    candidates: tuple[str, ...]


@dataclass(frozen=True)
class PathSuggestion:
    """Complete a file path; ``fragment`` is what was typed of it so far."""

    fragment: str


Suggestion = WordSuggestion | PathSuggestion


def suggest(text_before_cursor: str) -> Suggestion | None:
    """What may complete ``text_before_cursor``: command names, a command's choices, a path."""
    if not text_before_cursor.startswith("/") or "\n" in text_before_cursor:
        return None
    head, space, rest = text_before_cursor.partition(" ")
    if not space:
        names = tuple(f"/{spec.name}" for spec in COMMANDS)
        return WordSuggestion(head, tuple(n for n in names if n.startswith(head.lower())))
    spec = _BY_NAME.get(head[1:].lower())
    if spec is None:
        return None
    rest = rest.lstrip()
    if spec.takes_path:
        return PathSuggestion(rest)
    if spec.name == "help" and " " not in rest:
        names = tuple(spec.name for spec in COMMANDS)
        return WordSuggestion(rest, tuple(n for n in names if n.startswith(rest.lower())))
    if spec.choices and " " not in rest:
        return WordSuggestion(rest, tuple(c for c in spec.choices if c.startswith(rest.lower())))
    return None
