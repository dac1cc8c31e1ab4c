"""bench/latency.py's delaying proxy: turns through it arrive whole, on one kept connection."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from azresp_cli.emulator.runner import RunningEmulator

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.harness import Emulator
from bench.latency import delayed, delayed_tls
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


def test_the_tls_proxy_serves_only_clients_that_trust_its_certificate(
    emulator: RunningEmulator,
) -> None:
    import ssl

    import openai

    with delayed_tls(Emulator(emulator.base_url, os.getpid()), round_trip=0.0) as (url, cert):
        assert url.startswith("https://127.0.0.1:")
        trusting = openai.OpenAI(
            base_url=url,
            api_key="k",
            max_retries=0,
            http_client=openai.DefaultHttpxClient(verify=ssl.create_default_context(cafile=cert)),
        )
        answer = trusting.responses.create(model="m", input="[[reply:over tls]]")
        assert answer.output_text == "over tls"
        doubting = openai.OpenAI(
            base_url=url,
            api_key="k",
            max_retries=0,
            http_client=openai.DefaultHttpxClient(verify=ssl.create_default_context()),
        )
        with pytest.raises(openai.APIConnectionError):
            doubting.responses.create(model="m", input="hi")
        trusting.close()
        doubting.close()
