"""Output of ``azresp compact``: the compaction's id for scripts, the figures for people."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from azresp_cli.core.environment import Environment
from azresp_cli.render.json_writers import to_json


def print_compaction(
    env: Environment,
    compaction_id: str,
    raw: Mapping[str, Any],
    summary: str,
    *,
    json_output: bool,
    quiet: bool,
    emulator: bool = False,
) -> None:
    """The id on stdout (the compaction object with --json); ``summary`` on stderr."""
    env.stdout.write(to_json(raw, indent=2) + "\n" if json_output else compaction_id + "\n")
    env.stdout.flush()
    if not quiet:
        # The hint must work as typed: the emulator's history is its own (--emulator kept).
        command = "azresp chat --emulator -c" if emulator else "azresp chat -c"
        env.stderr.write(f"{summary}; `{command}` goes on from here\n")
        env.stderr.flush()
