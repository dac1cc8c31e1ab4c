"""What the commands share through the click context: the environment, the global flags."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from azresp_cli.core.environment import Environment


@dataclass
class AppState:
    env: Environment
    debug: bool = False
    quiet: bool = False  # --quiet: no footer or notes on stderr
    # Connection flags given before the command word (azresp --emulator chat): name -> value.
    root_connection: dict[str, Any] = field(default_factory=dict)

    def disable_color(self) -> None:
        self.env = replace(self.env, variables={**self.env.variables, "NO_COLOR": "1"})


def app_state(ctx: Any) -> AppState:
    state = ctx.find_root().obj
    if not isinstance(state, AppState):  # invoked outside cli.main.run, e.g. by typer's runner
        state = AppState(Environment.from_process())
        ctx.find_root().obj = state
    return state
