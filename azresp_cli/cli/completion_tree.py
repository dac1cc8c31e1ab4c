"""The command tree as plain data for the shell completion scripts.

Walks the click command Typer builds from the app: every visible command and group, its options
(which take a value, and which values: an enum's choices, files, directories, profile names)
and its positional arguments. ``completion_scripts`` renders this for each shell, so the scripts
in completions/ follow the commands without anyone editing them by hand.
"""

from __future__ import annotations

import enum
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

ValueKind = Literal["none", "choices", "file", "dir", "profile", "any"]
PROGRAM = "azresp"


@dataclass(frozen=True)
class ValueSpec:
    """What may follow an option that takes a value, or stand in a positional slot."""

    kind: ValueKind
    choices: tuple[str, ...] = ()
    repeats: bool = False  # a positional slot that takes any number of words (ID...)


@dataclass(frozen=True)
class OptionSpec:
    names: tuple[str, ...]  # long names first: ("--model", "-m")
    help: str
    value: ValueSpec  # kind "none": a flag

    @property
    def takes_value(self) -> bool:
        return self.value.kind != "none"


@dataclass(frozen=True)
class CommandSpec:
    path: tuple[str, ...]  # () for azresp itself, ("history", "list") for a subcommand
    help: str
    options: tuple[OptionSpec, ...]
    arguments: tuple[ValueSpec, ...]  # positional slots in order; the last may repeat
    subcommands: tuple[CommandSpec, ...]

    @property
    def key(self) -> str:
        """The path as the scripts spell it: "" or "history list"."""
        return " ".join(self.path)

    def walk(self) -> list[CommandSpec]:
        """This command and every command under it, parents first."""
        return [self, *(spec for sub in self.subcommands for spec in sub.walk())]


def command_tree() -> CommandSpec:
    """The tree of the real app, as `azresp` parses it."""
    from azresp_cli.cli.app import root_command

    return spec_of(root_command(loaded=True), ())


def spec_of(
    command: Any, path: tuple[str, ...], help_names: tuple[str, ...] = ("--help",)
) -> CommandSpec:
    """``command`` and its subcommands; ``help_names`` are inherited, as click's context does."""
    settings = command.context_settings or {}
    help_names = tuple(settings.get("help_option_names") or help_names)
    subcommands = []
    for name, sub in getattr(command, "commands", {}).items():
        if not getattr(sub, "hidden", False):
            subcommands.append(spec_of(sub, (*path, name), help_names))
    options: list[OptionSpec] = []
    arguments: list[ValueSpec] = []
    for param in command.params:
        if getattr(param, "hidden", False):
            continue
        if param.param_type_name == "argument":
            spec = _value_spec(param)
            repeats = param.nargs == -1 or bool(getattr(param, "multiple", False))
            arguments.append(ValueSpec(spec.kind, spec.choices, repeats=repeats))
        else:
            options.append(_option_spec(param))
    if command.add_help_option:
        ordered = tuple(sorted(help_names, key=lambda n: (not n.startswith("--"), n)))
        options.append(OptionSpec(ordered, "Show the help and exit.", ValueSpec("none")))
    return CommandSpec(
        path=path,
        help=_one_line(command.short_help or command.help or ""),
        options=tuple(options),
        arguments=tuple(arguments),
        subcommands=tuple(subcommands),
    )


def _option_spec(param: Any) -> OptionSpec:
    names = [*param.opts, *param.secondary_opts]
    names.sort(key=lambda n: (not n.startswith("--"), n))
    value = ValueSpec("none") if param.is_flag or param.count else _value_spec(param)
    return OptionSpec(tuple(names), _one_line(param.help or ""), value)


def _value_spec(param: Any) -> ValueSpec:
    if param.name == "profile":
        return ValueSpec("profile")
    annotation = _unwrap(param.type_descriptor.annotation)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return ValueSpec("choices", tuple(str(member.value) for member in annotation))
    if isinstance(annotation, type) and issubclass(annotation, Path):
        info = param.type_descriptor.parameter_info
        only_dirs = getattr(info, "dir_okay", True) and not getattr(info, "file_okay", True)
        return ValueSpec("dir" if only_dirs else "file")
    return ValueSpec("any")


def _unwrap(annotation: Any) -> Any:
    """``list[Path] | None`` → ``Path``: what one word on the command line is."""
    while True:
        origin = typing.get_origin(annotation)
        arguments = [a for a in typing.get_args(annotation) if a is not type(None)]
        is_optional = origin in (typing.Union, types.UnionType) and len(arguments) == 1
        is_container = origin in (list, tuple, set, frozenset, typing.Annotated) and arguments
        if not (is_optional or is_container):
            return annotation
        annotation = arguments[0]


def _one_line(text: str) -> str:
    first = text.strip().split("\n\n")[0]
    return " ".join(first.replace("\b", "").split())


# What the scripts of every shell share: checked words and the values each slot takes.

WORD_PATTERN = re.compile(r"^[A-Za-z0-9_.:/+=-]+$")
GENERATED_NOTICE = (
    "Generated from azresp's command tree by scripts/gen_completions.py; do not edit by hand.\n"
    "Install with `azresp --install-completion`, or see docs/completions.md."
)


def script_word(text: str) -> str:
    """A command, option or choice name: checked, since the scripts quote them only lightly."""
    if not WORD_PATTERN.match(text):
        raise ValueError(f"cannot put {text!r} in a completion script")
    return text


def value_words(value: ValueSpec) -> list[str]:
    """The words a script offers for a value: choices, or an @-marker for files and profiles."""
    if value.kind == "choices":
        return [script_word(choice) for choice in value.choices]
    if value.kind in ("file", "dir", "profile"):
        return [f"@{value.kind}"]
    return []


def value_entries(tree: CommandSpec) -> list[tuple[str, str, list[str]]]:
    """(command key, option name or "#N" for positional N or "#N+" repeating, words)."""
    entries = []
    for command in tree.walk():
        for option in command.options:
            words = value_words(option.value)
            if words:
                entries += [(command.key, name, words) for name in option.names]
        for index, argument in enumerate(command.arguments):
            words = value_words(argument)
            if words:
                slot = f"#{index}+" if argument.repeats else f"#{index}"
                entries.append((command.key, slot, words))
    return entries
