"""cli/quick_coercion.py gives every parameter of every command the value Typer's own coercion
gives (or the same refusal), without building pydantic adapters for absent options."""

from __future__ import annotations

import enum
import subprocess
import sys
from typing import Any

import pytest
import typer._click as click
from typer._coercion import build_runtime_param
from typer.core import _TyperParameter

from azresp_cli.cli.app import root_command
from azresp_cli.cli.quick_coercion import QuickCoercion


def parameters() -> list[tuple[Any, Any]]:
    """(command, parameter) for every Typer parameter of the whole command tree."""
    found: list[tuple[Any, Any]] = []

    def walk(command: Any) -> None:
        found.extend((command, p) for p in command.params if isinstance(p, _TyperParameter))
        for sub in getattr(command, "commands", {}).values():
            walk(sub)

    walk(root_command(loaded=True))
    return found


def samples(param: Any) -> list[Any]:
    """Values click can hand the parameter: absent, text, texts, and each choice spelled as
    the member, its value, its value upper-cased, plus one that is no choice."""
    values: list[Any] = [
        None,
        "text",
        "42",
        "007",
        "0",
        "1",
        "-3",
        " 5",
        "100000",
        "1_000",
        "²",
        ("a", "b"),
        ["c"],
    ]
    annotation = param.type_descriptor.annotation
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        for member in annotation:
            values += [member, str(member.value), str(member.value).upper()]
        values.append("no-such-choice")
    return values


def outcome(runtime: Any, value: Any, param: Any, ctx: Any) -> tuple[str, Any]:
    try:
        return ("value", runtime.coerce(value, param=param, ctx=ctx))
    except click.exceptions.BadParameter as exc:
        return ("refused", exc.format_message())


def test_every_parameter_coerces_every_value_as_typer_does() -> None:
    checked = 0
    for command, param in parameters():
        ctx = click.Context(command, info_name=command.name)
        typers = build_runtime_param(param.type_descriptor)
        quick = QuickCoercion(param)
        for value in samples(param):
            expected = outcome(typers, value, param, ctx)
            got = outcome(quick, value, param, ctx)
            assert got == expected, (command.name, param.name, value)
            assert type(got[1]) is type(expected[1]), (command.name, param.name, value)
            checked += 1
    assert checked > 1000  # the whole tree, not an empty walk


@pytest.mark.slow
def test_commands_that_need_no_pydantic_do_not_import_it(tmp_path: Any) -> None:
    probe = (
        "import sys, io, contextlib\n"
        "from azresp_cli.cli.main import run\n"
        "from azresp_cli.core.environment import Environment\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = run(sys.argv[1:], Environment.from_process())\n"
        "print(code, 'pydantic' in sys.modules)\n"
    )
    env = {"AZRESP_DATA_DIR": str(tmp_path / "data"), "AZRESP_CONFIG_DIR": str(tmp_path / "c")}

    def run(*args: str) -> str:
        return subprocess.run(
            [sys.executable, "-c", probe, *args],
            capture_output=True,
            text=True,
            check=True,
            env={**env, "PATH": "/usr/bin:/bin"},
        ).stdout.strip()

    assert run("usage", "--by", "model", "--since", "7d", "--json") == "0 False"
    assert run("history", "list", "-n", "5") == "0 False"
    assert run("usage", "--by", "nosuch") == "2 True"  # Typer's own words for a bad choice
