"""Shell completion scripts for bash, zsh, fish and PowerShell, rendered from the command tree.

The scripts are static: the tree (commands, options, which options take a value, enum choices)
is written into them, so Tab costs no Python start-up. Only ``--profile`` values ask azresp
(``azresp config profiles``). scripts/gen_completions.py writes them to completions/; a test
fails when those files differ from what this module renders.

Every script walks the words before the cursor the same way: a word naming a subcommand of the
current path extends it (until a positional argument was seen), an option that takes a value
consumes the next word, anything else is a positional argument. Then it offers the values of
the pending option, options when the word starts with "-", subcommands, or the values of the
positional slot (enum choices, files or directories).
"""

from __future__ import annotations

from azresp_cli.cli.completion_tree import CommandSpec

SHELLS = ("bash", "zsh", "fish", "powershell")
FILE_NAMES = {
    "bash": "azresp.bash",
    "zsh": "_azresp",
    "fish": "azresp.fish",
    "powershell": "azresp.ps1",
}


def render(shell: str, tree: CommandSpec) -> str:
    """The completion script for ``shell`` (one of SHELLS)."""
    from azresp_cli.cli import (
        completion_bash,
        completion_fish,
        completion_powershell,
        completion_zsh,
    )

    renderers = {
        "bash": completion_bash.bash,
        "zsh": completion_zsh.zsh,
        "fish": completion_fish.fish,
        "powershell": completion_powershell.powershell,
    }
    if shell not in renderers:
        raise ValueError(f"no completion script for {shell!r}; choose one of {', '.join(SHELLS)}")
    return renderers[shell](tree)
