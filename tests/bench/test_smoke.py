"""The benchmarks' plumbing on the smallest sizes: they run, and they measure the right work.

No timing is asserted (speed lives in ``python -m bench``). What is asserted is work: the live
render leaves exactly what the one-shot render leaves, every stream event is counted, every
load-test stream completes, and the reports are Markdown tables.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # `pytest` run as a console script has no cwd on sys.path
    sys.path.insert(0, str(REPO))

from azresp_cli.emulator.runner import RunningEmulator  # noqa: E402
from bench import load_client, render, startup, throughput  # noqa: E402
from bench.__main__ import _targets  # noqa: E402
from bench.harness import Context, Emulator, Options  # noqa: E402


@pytest.mark.slow  # every benchmark once, at its smallest size: seconds by design
def test_smoke_plumbing_on_the_smallest_sizes(emulator: RunningEmulator, tmp_path: Path) -> None:
    options = Options(smoke=True, runs=1)
    context = Context(tmp_path, Emulator(emulator.base_url, os.getpid()))

    # Live rendering, paced and not, ends showing exactly the one-shot render.
    answer = render.make_answer(render.SMOKE_SIZES[0], tokens_per_frame=10)
    assert answer.frame_after, "a paced run must draw frames"
    _, once = render.render_once(answer)
    for paced in (False, True):
        _, live = render.render_live(answer, paced=paced)
        assert "\x1b[1A" in live or not paced, "no live frame was drawn"
        assert render.same_screen(live, once)
    sections = [render.run(options, context), throughput.run(options, context)]

    # The stream throughput counted the same events through both clients.
    throughput_table = sections[1].tables[0]
    assert "wire events" in throughput_table.title
    assert len(throughput_table.rows) == 2

    # The bare Typer baseline mirrors azresp's command tree and is valid Python.
    tree = startup.azresp_tree()
    source = startup.bare_app_source(tree)
    compile(source, "bare_typer_app.py", "exec")
    assert all(
        f"command({child.name!r})" in source for child in tree.children if not child.is_group
    )

    # The load client reads every event of a few paced streams to the end.
    results = asyncio.run(
        load_client.run_load(emulator.base_url, 3, "[[long:30]] [[slow:5]]", 0.0, 20.0)
    )
    assert [result.error for result in results] == [None, None, None]
    assert all(result.completed and len(result.delta_times) > 3 for result in results)

    report = "\n".join(table.markdown() for section in sections for table in section.tables)
    report += "\n" + _targets(sections, smoke=True).markdown()
    assert report.count("### ") == 3  # render, throughput, targets
    assert "| live render CPU vs one-shot" not in report  # judged at 32k only, not in smoke
