"""The turn options as one Typer option group, shared by ``chat`` and ``bg start``.

Each option is declared once, in core/turn_options.py (``TurnOptions`` and its ``OptionSpec``s);
``with_turn_options`` turns those declarations into the command's flags (plus where the turn
continues from: -p, -c, --no-history) and hands the command one ``SessionStart``. Choices are
parsed here, at the edge, into the core's enums.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from azresp_cli.core.errors import UsageError
from azresp_cli.core.turn_options import (
    CHAT_PANEL,
    flag_layer,
    option_fields,
    parse_option,
    value_type,
)

if TYPE_CHECKING:
    pass

SESSION_PANEL = "Chat session"

F = TypeVar("F", bound=Callable[..., Any])


def _turn_parameter(item: Any) -> inspect.Parameter:
    spec = item.metadata["spec"]
    extra: dict[str, Any] = {}
    if spec.minimum is not None:
        extra["min"] = spec.minimum
    if spec.metavar is not None:
        extra["metavar"] = spec.metavar
    if spec.flag_value is not None:
        annotation: Any = bool
        default: Any = False
    elif spec.parser is not None:
        annotation, default = str | None, None  # read into its value in the wrapper
    else:
        annotation, default = value_type(item.name) | None, None
    return inspect.Parameter(
        item.name,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        default=default,
        annotation=Annotated[
            annotation,
            typer.Option(
                *spec.flags, help=spec.help, rich_help_panel=spec.panel, show_default=False, **extra
            ),
        ],
    )


def _start_parameter(name: str, annotation: Any, default: Any, info: Any) -> inspect.Parameter:
    return inspect.Parameter(
        name,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        default=default,
        annotation=Annotated[annotation, info],
    )


_START_PARAMETERS = [
    _start_parameter(
        "previous",
        str | None,
        None,
        typer.Option(
            "--previous",
            "-p",
            help="Continue from this response id.",
            rich_help_panel=CHAT_PANEL,
            show_default=False,
        ),
    ),
    _start_parameter(
        "continue_last",
        bool,
        False,
        typer.Option(
            "--continue", "-c", help="Continue the last conversation.", rich_help_panel=CHAT_PANEL
        ),
    ),
    _start_parameter(
        "schema_multi",
        str | None,
        None,
        typer.Option(
            "--schema-multi",
            help='Like --schema, for a list of things: the answer is {"items": [...]}.',
            metavar="SCHEMA",
            rich_help_panel=CHAT_PANEL,
            show_default=False,
        ),
    ),
    _start_parameter(
        "no_history",
        bool,
        False,
        typer.Option(
            "--no-history",
            help="Record nothing in the local history (or history = false in the profile).",
            rich_help_panel=SESSION_PANEL,
        ),
    ),
]
_START_NAMES = [p.name for p in _START_PARAMETERS]


def with_turn_options(*, exclude: Collection[str] = ()) -> Callable[[F], F]:
    """Give the command the turn options (but ``exclude``) and -p/-c/--no-history; it receives
    them as ``start=`` (a ``SessionStart``)."""
    turn = [_turn_parameter(item) for item in option_fields() if item.name not in exclude]
    turn_names = [p.name for p in turn]

    def decorate(command: F) -> F:
        # ``start: SessionStart`` is left unevaluated: the command module imports it only for
        # type checking, so `azresp --help` does not load the session start.
        signature = inspect.signature(command, eval_str=True, locals={"SessionStart": Any})
        own = [p for name, p in signature.parameters.items() if name != "start"]

        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            from azresp_cli.core.session_start import SessionStart

            flags = flag_layer((name, kwargs.pop(name)) for name in turn_names)
            previous, continue_last, schema_multi, no_history = (
                kwargs.pop(name, None) for name in _START_NAMES
            )
            if previous and continue_last:
                raise UsageError("-p/--previous and -c/--continue cannot be combined")
            if schema_multi is not None:
                flags = {**flags, "schema": _multi_schema(flags, schema_multi)}
            # Read now, so a bad schema is a usage error before anything else happens.
            flags = {name: parse_option(name, value) for name, value in flags.items()}
            start = SessionStart(
                flags=flags, previous=previous, resume=continue_last, history=not no_history
            )
            return command(*args, start=start, **kwargs)

        # After the command's arguments (PROMPT), before its own options: the help lists the
        # turn options first.
        at = next(
            (i for i, p in enumerate(own) if p.name != "ctx" and not _is_argument(p)), len(own)
        )
        # -p and -c right after --system: where the turn starts from
        chain, multi, history = (
            _START_PARAMETERS[:2],
            _START_PARAMETERS[2:3] if "schema" in turn_names else [],
            _START_PARAMETERS[3:],
        )
        parameters = [*own[:at], *turn[:1], *chain, *turn[1:], *multi, *history, *own[at:]]
        combined = signature.replace(parameters=parameters)
        wrapper.__signature__ = combined  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in combined.parameters.values()}
        return wrapper  # type: ignore[return-value]

    return decorate


def _multi_schema(flags: dict[str, Any], raw: str) -> Any:
    from azresp_cli.core.schema import parse_schema

    if flags.get("schema") is not None:
        raise UsageError("--schema and --schema-multi cannot be combined", hint="pick one")
    return parse_schema(raw, multi=True)


def _is_argument(parameter: inspect.Parameter) -> bool:
    metadata = getattr(parameter.annotation, "__metadata__", ())
    return any(isinstance(item, typer.models.ArgumentInfo) for item in metadata)
