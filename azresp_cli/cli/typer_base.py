"""What every azresp command shares: the global flags, and help grouped by panel.

``AzrespTyper`` is ``typer.Typer`` with azresp's command and group classes as the defaults:

- ``--debug``, ``--no-color`` and ``-q/--quiet`` are options of every command and group, so they
  work before the command word (``azresp --debug history list``) and after it
  (``azresp history list --debug``). Each sets the shared ``AppState`` as it is parsed.
- Help lists options under their ``rich_help_panel`` (Chat, Output, Connection ...), with
  click's own plain formatter: rich help would import rich.markdown on every ``--help``.
- The connection flags given before the command word (``azresp --emulator chat hi``) fill the
  command's own; a command without them (one that does not talk to the service) refuses them
  rather than ignore them.
"""

# No `from __future__ import annotations`: Typer reads _global_flags' annotations as they are,
# with nothing to evaluate on every run.

import functools
from collections.abc import Callable
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup
from typer.models import CommandFunctionType

from azresp_cli.cli import startup_gc
from azresp_cli.cli.quick_coercion import quick, use_quick_coercion
from azresp_cli.cli.state import app_state
from azresp_cli.core.errors import UsageError

GLOBAL_PANEL = "Global options"
OPTIONS = "Options"  # the heading of options declared without a panel


def _set_debug(ctx: typer.Context, value: bool) -> None:
    state = app_state(ctx)
    if value and not state.debug:
        from azresp_cli.core.debug_log import enable_debug_log

        state.debug = True
        enable_debug_log(state.env.stderr)


def _set_no_color(ctx: typer.Context, value: bool) -> None:
    if value:
        app_state(ctx).disable_color()


def _set_quiet(ctx: typer.Context, value: bool) -> None:
    if value:
        app_state(ctx).quiet = True


def _global_flags(
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            help="Show request details and error internals (secrets masked)",
            callback=_set_debug,
            expose_value=False,
            rich_help_panel=GLOBAL_PANEL,
        ),
    ] = False,
    no_color: Annotated[
        bool,
        typer.Option(
            "--no-color",
            help="No colour or live output, as with NO_COLOR",
            callback=_set_no_color,
            expose_value=False,
            rich_help_panel=GLOBAL_PANEL,
        ),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet",
            "-q",
            help="No footer or notes on stderr; errors and warnings still print",
            callback=_set_quiet,
            expose_value=False,
            rich_help_panel=GLOBAL_PANEL,
        ),
    ] = False,
) -> None:
    """Only its signature is used: Typer turns it into the global options."""


@functools.cache
def global_options() -> tuple[Any, ...]:
    """The global options as click parameters (Typer builds them from ``_global_flags``)."""
    from typer.main import get_command

    probe = typer.Typer(add_completion=False)
    probe.command()(_global_flags)
    return tuple(get_command(probe).params)


def _add_global_options(command: Any) -> None:
    names = {param.name for param in command.params}
    command.params.extend(p for p in global_options() if p.name not in names)


def _format_options(command: Any, ctx: Any, formatter: Any) -> None:
    """Arguments, then the options grouped by panel (in the order they first appear); the
    unpanelled ones first, the global options and --help last."""
    arguments: list[tuple[str, str]] = []
    panels: dict[str, list[tuple[str, str]]] = {OPTIONS: []}
    help_option = command.get_help_option(ctx)
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is None:
            continue
        if param.param_type_name == "argument":
            arguments.append(record)
            continue
        panel = GLOBAL_PANEL if param is help_option else getattr(param, "rich_help_panel", None)
        panels.setdefault(panel or OPTIONS, []).append(record)
    panels[GLOBAL_PANEL] = panels.pop(GLOBAL_PANEL, [])
    if arguments:
        with formatter.section("Arguments"):
            formatter.write_dl(arguments)
    for title, rows in panels.items():
        if rows:
            with formatter.section(title):
                formatter.write_dl(rows)


# Options that take two values each time (``--param KEY VALUE``): Typer has no list of pairs,
# so they are declared as lists of strings and given the pair type here, which hands each
# pair on as one string, "KEY=VALUE" (KEY must be a name, so the first "=" splits it).
PAIR_OPTIONS = frozenset({"param"})


def _pair_options(command: Any) -> None:
    for param in command.params:
        if param.name in PAIR_OPTIONS:
            param.nargs = 2
            # Typer's own coercion would turn each pair into the text of a tuple.
            param.process_value = functools.partial(_pairs, param)


def _pairs(param: Any, ctx: Any, value: Any) -> tuple[str, ...]:
    pairs = []
    for item in value or ():
        key, text = (str(part) for part in item)
        if not key.isidentifier():
            raise UsageError(
                f"--param: '{key}' is not a parameter name", hint="use letters, digits and _"
            )
        pairs.append(f"{key}={text}")
    return tuple(pairs)


class AzrespCommand(TyperCommand):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _add_global_options(self)
        _pair_options(self)
        use_quick_coercion(self)

    def get_help_option(self, ctx: Any) -> Any:
        return quick(super().get_help_option(ctx))  # made on first use

    def format_options(self, ctx: Any, formatter: Any) -> None:
        _format_options(self, ctx, formatter)

    def invoke(self, ctx: Any) -> Any:
        # Connection flags given before the command word fill the command's own, unless it
        # was given them after (azresp --profile lab chat -m gpt-4.1 hi).
        given = app_state(ctx).root_connection
        for name, value in given.items():
            if name not in ctx.params:
                flag = "--" + name.replace("_", "-")
                raise UsageError(
                    f"{flag} is for commands that talk to the service, not `{ctx.command_path}`",
                    hint=f"drop {flag}",
                )
            if ctx.params[name] in (None, False):
                ctx.params[name] = value
        if "endpoint" not in ctx.params:
            startup_gc.resume()  # no openai client to wait for (cli/startup_gc.py)
        return super().invoke(ctx)


class AzrespGroup(TyperGroup):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _add_global_options(self)
        use_quick_coercion(self)

    def get_help_option(self, ctx: Any) -> Any:
        return quick(super().get_help_option(ctx))  # made on first use

    def format_options(self, ctx: Any, formatter: Any) -> None:
        _format_options(self, ctx, formatter)
        self.format_commands(ctx, formatter)


class AzrespTyper(typer.Typer):
    """``typer.Typer`` whose commands and groups are azresp's (global flags, help panels), with
    plain help (rich_markup_mode=None)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("cls", AzrespGroup)
        kwargs.setdefault("rich_markup_mode", None)
        super().__init__(**kwargs)

    def command(
        self, name: str | None = None, **kwargs: Any
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        kwargs.setdefault("cls", AzrespCommand)
        return super().command(name, **kwargs)
