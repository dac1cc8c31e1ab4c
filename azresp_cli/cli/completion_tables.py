"""The lookup tables bash and zsh completion share: case statements keyed by command path.

The two shells differ only in indentation, the array a table fills (``_azresp_words`` in bash,
``reply`` in zsh) and how a subcommand or option word is written (zsh adds its help text).
"""

from __future__ import annotations

from collections.abc import Callable

from azresp_cli.cli.completion_tree import (
    CommandSpec,
    OptionSpec,
    script_word,
    value_entries,
)


def case_tables(
    tree: CommandSpec,
    *,
    indent: str,
    target: str,
    subcommand_word: Callable[[CommandSpec], str],
    option_word: Callable[[OptionSpec, str], str],
) -> list[str]:
    """The functions `_azresp_subcommands`, `_azresp_options`, `_azresp_value_options` and
    `_azresp_values`, each a case statement, with a blank line after each."""

    def case(function: str, selector: str, rows: list[tuple[str, list[str]]]) -> str:
        lines = [f"{function}() {{", f'{indent}case "{selector}" in']
        lines += [f"{indent * 2}{key}) {target}=({' '.join(words)}) ;;" for key, words in rows]
        lines += [f"{indent * 2}*) {target}=() ;;", f"{indent}esac", "}"]
        return "\n".join(lines)

    commands = tree.walk()
    subcommands = [(c.key, [subcommand_word(s) for s in c.subcommands]) for c in commands]
    options = [(c.key, [option_word(o, n) for o in c.options for n in o.names]) for c in commands]
    value_options = [
        (c.key, [script_word(n) for o in c.options if o.takes_value for n in o.names])
        for c in commands
    ]
    values = [
        (f'"{key}|{slot[:-1]}"*' if slot.endswith("+") else f'"{key}|{slot}"', words)
        for key, slot, words in value_entries(tree)
    ]
    tables = [
        case("_azresp_subcommands", "$1", [(f'"{k}"', w) for k, w in subcommands if w]),
        case("_azresp_options", "$1", [(f'"{k}"', w) for k, w in options]),
        case("_azresp_value_options", "$1", [(f'"{k}"', w) for k, w in value_options if w]),
        case("_azresp_values", "$1|$2", values),
    ]
    return [line for table in tables for line in (table, "")]
