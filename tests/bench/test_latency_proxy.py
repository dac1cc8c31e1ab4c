"""bench/latency.py's delaying proxy: turns through it arrive whole, on one kept connection."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from azresp_cli.emulator.runner import RunningEmulator

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.harness import Emulator
from bench.latency import delayed
from bench.startup import CommandSpec, azresp_tree, minimal_tree


@pytest.mark.slow  # seconds by design
def test_turns_through_the_delaying_proxy_share_one_connection(
    emulator: RunningEmulator,
) -> None:
    from azresp_cli.core.client import make_client
    from azresp_cli.core.config import AuthMethod, Settings
    from azresp_cli.core.events import TextDelta
    from azresp_cli.core.request import TurnRequest
    from azresp_cli.core.turn import run_turn

    with delayed(Emulator(emulator.base_url, os.getpid()), round_trip=0.01) as url:
        settings = Settings(endpoint=url, deployment="d", auth=AuthMethod.KEY, api_key="k")
        client = make_client(settings)
        try:
            texts = [
                "".join(
                    e.text
                    for e in run_turn(client, settings, TurnRequest("[[reply:through]]"))
                    if isinstance(e, TextDelta)
                )
                for _ in range(3)
            ]
        finally:
            client.close()
    assert texts == ["through"] * 3
    assert emulator.connections_accepted == 1


def names(tree: CommandSpec) -> list[str]:
    return [tree.name, *(name for child in tree.children for name in names(child))]


def option_counts(tree: CommandSpec) -> set[int]:
    return {tree.parameters, *(n for child in tree.children for n in option_counts(child))}


def test_the_minimal_baseline_keeps_the_names_with_three_options_each() -> None:
    tree = azresp_tree()
    minimal = minimal_tree(tree)
    assert names(minimal) == names(tree)
    assert option_counts(minimal) == {3}
