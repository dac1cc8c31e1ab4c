"""The static command table (cli/app.py `COMMANDS`) against the real commands.

`azresp --help` lists the table without importing a command module; these tests make sure
the table still says what loading every command would: no command module left out, the
same listing, and only the invoked command's module imported.
"""

from __future__ import annotations

import importlib
import inspect
import io
import pkgutil
import subprocess
import sys
from typing import Any

import pytest

import azresp_cli.cli
from azresp_cli.cli.app import COMMANDS, LazyGroup, root_command
from azresp_cli.cli.typer_base import AzrespTyper

# Module-level functions that take a typer.Context but are not commands: option callbacks.
NOT_COMMANDS = {
    "azresp_cli.cli.app.root",
    "azresp_cli.cli.completion.install_completion_option",
    "azresp_cli.cli.completion.show_completion_option",
}


def cli_modules() -> list[Any]:
    return [
        importlib.import_module(f"azresp_cli.cli.{info.name}")
        for info in pkgutil.iter_modules(azresp_cli.cli.__path__)
    ]


def walk(command: Any) -> list[Any]:
    return [command, *(c for sub in getattr(command, "commands", {}).values() for c in walk(sub))]


def takes_a_context(function: Any) -> bool:
    """A command's signature: a ``ctx`` parameter annotated as typer's Context."""
    import typer

    try:
        parameters = inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False
    ctx = parameters.get("ctx")
    return ctx is not None and ctx.annotation in (typer.Context, "typer.Context")


def test_every_command_module_is_in_the_table() -> None:
    loaded = walk(root_command(loaded=True))
    callbacks = {inspect.unwrap(c.callback) for c in loaded if c.callback is not None}
    reachable: list[AzrespTyper] = []
    pending = [
        getattr(importlib.import_module(f"azresp_cli.cli.{e.module}"), e.attribute)
        for e in COMMANDS.values()
        if e.is_group
    ]
    while pending:
        typer_app = pending.pop()
        reachable.append(typer_app)
        pending.extend(info.typer_instance for info in typer_app.registered_groups)
    missing = []
    for module in cli_modules():
        for name, value in vars(module).items():
            where = f"{module.__name__}.{name}"
            if isinstance(value, AzrespTyper) and value.info.name != "azresp":
                if not any(value is app for app in reachable):
                    missing.append(where)
            elif (
                inspect.isfunction(value)
                and value.__module__ == module.__name__
                and not name.startswith("_")
                and where not in NOT_COMMANDS
                and takes_a_context(value)
                and inspect.unwrap(value) not in callbacks
            ):
                missing.append(where)
    assert missing == [], "add these to COMMANDS in azresp_cli/cli/app.py"


def listing(group: Any, ctx: Any) -> str:
    formatter = ctx.make_formatter()
    group.format_commands(ctx, formatter)
    return str(formatter.getvalue())


def test_the_root_help_lists_what_the_commands_say() -> None:
    import typer._click as click

    loaded = root_command(loaded=True)
    static = root_command()
    assert list(loaded.commands) == list(COMMANDS)
    with click.Context(loaded, info_name="azresp") as ctx:
        from_commands = listing(super(LazyGroup, loaded), ctx)
        assert listing(static, ctx) == from_commands
    for name, entry in COMMANDS.items():
        assert loaded.commands[name].get_short_help_str(limit=200) == entry.summary
        assert entry.summary in from_commands or len(entry.summary) > 45


@pytest.mark.slow
def test_help_imports_only_the_command_it_shows() -> None:
    probe = (
        "import sys, io, contextlib\n"
        "from azresp_cli.cli.main import run\n"
        "from azresp_cli.core.environment import Environment\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    run(sys.argv[1:], Environment.from_process())\n"
        "print(sorted(m for m in sys.modules if m.startswith('azresp_cli.cli.')))\n"
    )
    modules = {e.module for e in COMMANDS.values()}

    def commands_imported(*args: str) -> set[str]:
        out = subprocess.run(
            [sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True
        ).stdout
        return {name.removeprefix("azresp_cli.cli.") for name in eval(out)} & modules  # noqa: S307

    assert commands_imported("--help") == set()
    assert commands_imported("chat", "--help") == {"chat"}
    assert commands_imported("history", "--help") == {"history"}


def test_unknown_commands_are_still_refused(capsys: Any) -> None:
    from azresp_cli.cli.main import run
    from azresp_cli.core.environment import Environment

    stderr = io.StringIO()
    env = Environment.from_process()
    code = run(["nosuch"], Environment(**{**vars(env), "stderr": stderr}))
    assert code == 2
    assert "error: no such command 'nosuch'" in stderr.getvalue()
