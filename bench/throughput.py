"""Stream throughput: wire events per second through azresp's turn engine vs the bare SDK.

Both read the same ``[[long:N]]`` answer, sent by the emulator (its own process) as fast as it
can; the bare loop only iterates ``client.responses.create(stream=True)``. Events per second of
wall time, and per second of this thread's CPU (the client's own cost, without the server's).
"""

from __future__ import annotations

import time

from bench.harness import Context, Options, Section, Table, Target, interleaved_tuples

THROUGHPUT_TARGET = 0.9


def run(options: Options, context: Context) -> Section:
    from openai import OpenAI

    from azresp_cli.core.client import make_client
    from azresp_cli.core.config import AuthMethod, Settings
    from azresp_cli.core.request import TurnRequest
    from azresp_cli.core.turn import run_turn

    size = 2000 if options.smoke else 32000
    prompt = f"[[long:{size}]]"
    base_url = context.emulator.base_url
    settings = Settings(
        endpoint=base_url, deployment="emulator", auth=AuthMethod.KEY, api_key="bench-key"
    )
    azresp_client = make_client(settings)
    bare_client = OpenAI(base_url=base_url, api_key="bench-key")
    wire_events = 0

    def bare() -> tuple[float, float]:
        nonlocal wire_events
        wall, cpu = time.perf_counter(), time.thread_time()
        count = 0
        for _ in bare_client.responses.create(model="emulator", input=prompt, stream=True):
            count += 1
        wire_events = count
        return time.perf_counter() - wall, time.thread_time() - cpu

    def azresp() -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.thread_time()
        for _ in run_turn(azresp_client, settings, TurnRequest(prompt)):
            pass
        return time.perf_counter() - wall, time.thread_time() - cpu

    runs = options.repeat(5, smoke=1)
    try:
        measured = interleaved_tuples(runs, {"bare SDK stream": bare, "azresp turn engine": azresp})
    finally:
        azresp_client.close()
        bare_client.close()
    table = Table(
        f"Stream throughput (`{prompt}`, {wire_events} wire events; {runs} runs each)",
        ["client", "events/s (best)", "events/s (median)", "events per CPU-s (median)", "ratio"],
    )
    base_wall = measured["bare SDK stream"][0]
    for name, (wall, cpu) in measured.items():
        table.add(
            name,
            f"{wire_events / wall.minimum:,.0f}",
            f"{wire_events / wall.median:,.0f}",
            f"{wire_events / cpu.median:,.0f}",
            f"{1 / wall.ratio_to(base_wall):.2f}x",
        )
    table.notes.append("Ratio: azresp's events/s over the bare SDK's (wall time, same rounds).")
    achieved = 1 / measured["azresp turn engine"][0].ratio_to(base_wall)
    return Section(
        [table], [Target("stream throughput vs bare SDK", achieved, THROUGHPUT_TARGET, "at least")]
    )
