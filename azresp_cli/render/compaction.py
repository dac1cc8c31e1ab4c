"""Output of ``azresp compact`` and ``/compact``: the figures before and after."""

from __future__ import annotations

from azresp_cli.core.compaction import Compaction, summary_text
from azresp_cli.core.environment import Environment
from azresp_cli.render.json_writers import to_json


def compaction_line(compaction: Compaction, source: str) -> str:
    """``compacted resp_…: 1234 → 210 input tokens``."""
    return summary_text(compaction).replace("compacted:", f"compacted {source}:", 1)


def print_compaction(
    env: Environment, compaction: Compaction, source: str, *, json_output: bool, quiet: bool
) -> None:
    """The compaction's id on stdout (the object with --json); the figures on stderr."""
    if json_output:
        env.stdout.write(to_json(compaction.raw, indent=2) + "\n")
    else:
        env.stdout.write(compaction.id + "\n")
    env.stdout.flush()
    if not quiet:
        env.stderr.write(
            f"{compaction_line(compaction, source)}; `azresp chat -c` goes on from here\n"
        )
        env.stderr.flush()
