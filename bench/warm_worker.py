"""A warm client for bench/before_after.py: ``python warm_worker.py SOURCE|sdk URL`` runs one
turn per line on stdin and prints the seconds to the first text and to the end.

SOURCE is a checkout whose turn engine runs the turns (put first on ``sys.path``); ``sdk``
runs them with the bare openai SDK. It imports nothing from bench.
"""

from __future__ import annotations

import importlib
import sys
import time
from collections.abc import Callable

PROMPT = "[[long:500]]"


def sdk_turn(url: str) -> Callable[[], tuple[float, float]]:
    from openai import OpenAI

    client = OpenAI(base_url=url, api_key="k")

    def turn() -> tuple[float, float]:
        started, first = time.perf_counter(), 0.0
        for event in client.responses.create(model="emulator", input=PROMPT, stream=True):
            if not first and event.type == "response.output_text.delta":
                first = time.perf_counter() - started
        return first, time.perf_counter() - started

    return turn


def azresp_turn(source: str, url: str) -> Callable[[], tuple[float, float]]:
    sys.path.insert(0, source)
    package = importlib.import_module("azresp_cli")
    if not str(package.__file__).startswith(source):
        raise RuntimeError(f"azresp_cli comes from {package.__file__}, not {source}")
    client_module = importlib.import_module("azresp_cli.core.client")
    config = importlib.import_module("azresp_cli.core.config")
    events = importlib.import_module("azresp_cli.core.events")
    request = importlib.import_module("azresp_cli.core.request")
    turns = importlib.import_module("azresp_cli.core.turn")
    settings = config.Settings(
        endpoint=url, deployment="emulator", auth=config.AuthMethod.KEY, api_key="k"
    )
    client = client_module.make_client(settings)

    def turn() -> tuple[float, float]:
        started, first = time.perf_counter(), 0.0
        for event in turns.run_turn(client, settings, request.TurnRequest(PROMPT)):
            if not first and isinstance(event, events.TextDelta):
                first = time.perf_counter() - started
        return first, time.perf_counter() - started

    return turn


def main() -> None:
    source, url = sys.argv[1], sys.argv[2]
    turn = sdk_turn(url) if source == "sdk" else azresp_turn(source, url)
    turn()  # the connection made, the parsers built
    print("ready", flush=True)
    for _ in sys.stdin:
        first, total = turn()
        print(first, total, flush=True)


if __name__ == "__main__":
    main()
