"""The slash-command registry: each spec carries its handler, and the settings commands parse
their values as the command line does (core/turn_options.py)."""

from __future__ import annotations

from typing import Any

import pytest

from azresp_cli.core.errors import UsageError
from azresp_cli.core.turn_options import Effort
from azresp_cli.repl import commands, prompt_commands, slash
from azresp_cli.repl.commands import Next, dispatch


class ListScreen:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def info(self, text: str) -> None:
        self.lines.append(text)

    def plain(self, text: str) -> None:
        self.lines.append(text)

    def response(self, record: Any) -> None:
        self.lines.append(record.output_text)


@pytest.mark.parametrize("spec", slash.COMMANDS, ids=lambda spec: spec.name)
def test_every_command_spec_has_a_handler(spec: slash.CommandSpec) -> None:
    handler = getattr(spec, "handler", None)
    assert callable(handler), f"/{spec.name} has no handler"
    # The handlers live with the commands (structured output and templates in their own file).
    homes = {commands.__name__, prompt_commands.__name__}
    assert handler.__module__ in homes, f"/{spec.name}: {handler!r}"


def test_help_lists_exactly_the_registry() -> None:
    lines = slash.help_text().splitlines()
    listed = [line.split()[0] for line in lines if line.startswith("/") and line[1] != "/"]
    assert listed == [spec.usage.split()[0] for spec in slash.COMMANDS]


def test_settings_commands_parse_as_the_command_line_does(make_session: Any) -> None:
    session, screen = make_session(), ListScreen()
    dispatch(slash.parse("/system Answer tersely."), session, screen)
    dispatch(slash.parse("/effort HIGH"), session, screen)
    assert session.options.instructions == "Answer tersely."
    assert session.options.effort is Effort.HIGH  # an enum, as --effort gives it
    assert screen.lines == ["instructions: Answer tersely.", "reasoning effort: high"]

    with pytest.raises(UsageError) as refused:
        dispatch(slash.parse("/effort turbo"), session, screen)
    assert refused.value.hint == "use one of none, minimal, low, medium, high, xhigh, off"

    assert dispatch(slash.parse("/effort off"), session, screen).next is Next.PROMPT
    dispatch(slash.parse("/system off"), session, screen)
    assert session.options.effort is None and session.options.instructions is None
