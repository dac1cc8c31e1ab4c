"""Start-up: ``azresp --help`` and ``azresp chat --help`` against a bare Typer app.

The baseline is generated from azresp's own command tree: a plain Typer app (no rich help)
with the same commands and groups, each with as many parameters as azresp's, so the ratio
is what azresp's own modules and wiring cost on top of Typer. ``python -c pass`` is the floor.
``-X importtime`` (``PYTHONPROFILEIMPORTTIME``) shows what ``--help`` imports; the modules
that must wait for a real request are listed if they appear.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.harness import (
    Context,
    Options,
    Section,
    Table,
    Target,
    azresp_command,
    clean_environment,
    interleaved,
    ms,
    ratio,
    wall_seconds,
)

HEAVY_MODULES = ("openai", "azure.identity", "prompt_toolkit", "rich.markdown")
HELP_TARGET = 1.3  # azresp --help at most 1.3x the bare Typer app
_IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


@dataclass(frozen=True)
class CommandSpec:
    name: str
    parameters: int
    children: tuple[CommandSpec, ...] = ()

    @property
    def is_group(self) -> bool:
        return bool(self.children)


def azresp_tree() -> CommandSpec:
    """azresp's command tree as click sees it: names, groups and parameter counts."""
    from azresp_cli.cli.app import root_command

    def spec(command: Any) -> CommandSpec:
        children = tuple(spec(sub) for sub in getattr(command, "commands", {}).values())
        return CommandSpec(command.name, len(command.params), children)

    return spec(root_command(loaded=True))


def bare_app_source(tree: CommandSpec) -> str:
    """Python source of a bare Typer app with the same shape as ``tree``."""
    lines = [
        "import typer",
        "",
        "",
        "def make(name: str) -> typer.Typer:",
        "    return typer.Typer(name=name, no_args_is_help=True, add_completion=False,",
        "                       rich_markup_mode=None, pretty_exceptions_enable=False)",
        "",
        "",
        "app = make('bare')",
    ]
    counter = iter(range(10_000))

    def function(parameters: int, doc: str) -> tuple[str, list[str]]:
        name = f"command_{next(counter)}"
        arguments = ", ".join(
            f"option_{index}: str | None = typer.Option(None, help='Option {index}.')"
            for index in range(parameters)
        )
        return name, [f"def {name}({arguments}) -> None:", f"    {doc!r}", "", ""]

    def group(node: CommandSpec, variable: str) -> None:
        callback, source = function(node.parameters, f"The {node.name} group.")
        lines.extend(["", *source, f"{variable}.callback()({callback})"])
        for child in node.children:
            if child.is_group:
                child_variable = f"group_{next(counter)}"
                lines.append(f"{child_variable} = make({child.name!r})")
                group(child, child_variable)
                lines.append(f"{variable}.add_typer({child_variable}, name={child.name!r})")
            else:
                name, source = function(child.parameters, f"The {child.name} command.")
                lines.extend(["", *source, f"{variable}.command({child.name!r})({name})"])

    group(tree, "app")
    lines.extend(["", "app()", ""])
    return "\n".join(lines)


def _timer(argv: list[str], env: dict[str, str]) -> Callable[[], float]:
    return lambda: wall_seconds(argv, env)


def imported_modules(argv: list[str]) -> list[tuple[str, int, int]]:
    """(module, self µs, cumulative µs) for each module ``argv`` imports, in import order."""
    env = clean_environment(PYTHONPROFILEIMPORTTIME="1")
    completed = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
    found = []
    for line in completed.stderr.splitlines():
        match = _IMPORT_LINE.match(line)
        if match:
            found.append((match[4], int(match[1]), int(match[2])))
    return found


def heavy(modules: list[tuple[str, int, int]]) -> list[tuple[str, int]]:
    return [
        (name, cumulative)
        for name, _, cumulative in modules
        if any(name == root or name.startswith(root + ".") for root in HEAVY_MODULES)
    ]


def minimal_tree(tree: CommandSpec) -> CommandSpec:
    """``tree``'s command names and groups, three options each: the floor Typer itself sets
    for a CLI of that shape, without the cost of converting azresp's many parameters."""
    return CommandSpec(tree.name, 3, tuple(minimal_tree(child) for child in tree.children))


def run(options: Options, context: Context) -> Section:
    tree = azresp_tree()
    bare_script = context.workdir / "bare_typer_app.py"
    bare_script.write_text(bare_app_source(tree))
    minimal_script = context.workdir / "minimal_typer_app.py"
    minimal_script.write_text(bare_app_source(minimal_tree(tree)))
    azresp = azresp_command()
    bare = [sys.executable, str(bare_script)]
    minimal = [sys.executable, str(minimal_script)]
    env = clean_environment()
    cases = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "bare Typer --help": [*bare, "--help"],
        "bare Typer chat --help": [*bare, "chat", "--help"],
        "minimal Typer --help": [*minimal, "--help"],
        "minimal Typer chat --help": [*minimal, "chat", "--help"],
        "azresp --help": [*azresp, "--help"],
        "azresp chat --help": [*azresp, "chat", "--help"],
    }
    runs = options.repeat(20, smoke=2)
    stats = interleaved(runs, {name: _timer(argv, env) for name, argv in cases.items()})
    floor = stats["python -c pass"]
    table = Table(
        f"Start-up ({runs} runs each, wall time)",
        ["command", "min", "median", "vs bare Typer", "vs minimal Typer", "vs python -c pass"],
    )
    baselines = {
        "azresp --help": ("bare Typer --help", "minimal Typer --help"),
        "azresp chat --help": ("bare Typer chat --help", "minimal Typer chat --help"),
    }
    for name, result in stats.items():
        versus = [ratio(result, stats[b]) for b in baselines.get(name, ())] or ["", ""]
        table.add(name, ms(result.minimum), ms(result.median), *versus, ratio(result, floor))
    section = Section([table])
    for name, (bare_case, minimal_case) in baselines.items():
        for kind, baseline in (("bare", bare_case), ("minimal", minimal_case)):
            section.targets.append(
                Target(
                    f"`{name}` vs {kind} Typer",
                    stats[name].ratio_to(stats[baseline]),
                    HELP_TARGET,
                    "at most",
                )
            )
    section.tables.append(_imports_table(azresp))
    return section


def _imports_table(azresp: list[str]) -> Table:
    table = Table(
        "Modules imported at --help (-X importtime)",
        [
            "command",
            "modules",
            "heavy modules (openai, azure.identity, prompt_toolkit, rich.markdown)",
        ],
    )
    for arguments in (["--help"], ["chat", "--help"]):
        modules = imported_modules([*azresp, *arguments])
        found = heavy(modules)
        listed = ", ".join(f"{name} ({cumulative / 1000:.1f} ms)" for name, cumulative in found)
        table.add(f"azresp {' '.join(arguments)}", len(modules), listed or "none")
    return table
