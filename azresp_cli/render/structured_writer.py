"""The writer of a ``--schema`` answer: nothing while it streams, then the JSON value alone.

The caller checks the answer against its schema (core/structured.py) and hands the value to
``emit``: pretty (indented) on a terminal, one compact line in a pipe, so ``| jq`` and
``| while read`` both work. Notes, warnings and the footer go to stderr as for ``--json``.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, TextIO

from rich.console import Console

from azresp_cli.core.events import TurnEvent
from azresp_cli.core.meter import Meter
from azresp_cli.render.json_writers import _JsonBase
from azresp_cli.render.turn_state import Clock

if TYPE_CHECKING:
    from azresp_cli.core.environment import Environment


class StructuredWriter(_JsonBase):
    def __init__(
        self,
        stdout: TextIO,
        err: Console,
        *,
        pretty: bool,
        show_footer: bool = False,
        clock: Clock,
        meter: Meter | None = None,
    ) -> None:
        super().__init__(stdout, err, show_footer=show_footer, clock=clock, meter=meter)
        self._pretty = pretty

    def handle(self, event: TurnEvent) -> None:
        self._summary.observe(event)
        self._note_wait(event)
        self._note_tool(event)

    def emit(self, value: Any) -> None:
        """Print the answer's JSON value on stdout."""
        self._write_line(structured_json(value, pretty=self._pretty))


def structured_writer_for(
    env: Environment, *, show_footer: bool, meter: Meter | None = None
) -> StructuredWriter:
    """The ``--schema`` writer in ``env``: pretty on a terminal, the footer (unless --quiet)
    on a terminal's stderr; the elapsed time starts now."""
    from azresp_cli.render.console import stderr_console

    return StructuredWriter(
        env.stdout,
        stderr_console(env),
        pretty=env.stdout_isatty,
        show_footer=show_footer and env.stderr_isatty,
        clock=time.monotonic,
        meter=meter,
    )


def structured_json(value: Any, *, pretty: bool) -> str:
    """A structured answer as printed: indented for a person, one compact line for a pipe."""
    import json

    if pretty:
        return json.dumps(value, indent=2, ensure_ascii=False)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
