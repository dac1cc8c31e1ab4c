"""``python -m bench``: run azresp's benchmarks, print Markdown tables and the targets.

    python -m bench                      # everything (a few minutes on 2 cores)
    python -m bench --smoke              # tiny sizes and counts: proves they run (CI)
    python -m bench --only render,load   # some of them
    python -m bench --runs 5             # repetitions per measurement (default: per benchmark)
    python -m bench --compare saved.md   # flag ratios >10% worse than a saved run's (exit 3)

Timings are never asserted: the exit status is 0 unless a benchmark crashed (1) or, with
--compare, a ratio got more than 10% worse than in the saved run (3).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from bench import (
    batch_fetch,
    latency,
    live_batch,
    load,
    memory,
    oneshot,
    render,
    repl_prompt,
    startup,
    throughput,
    usage,
)
from bench.compare import compare
from bench.harness import Context, Options, Section, Table, emulator_process
from bench.machine import describe_machine

Benchmark = Callable[[Options, Context], Section]
BENCHMARKS: dict[str, Benchmark] = {
    "startup": startup.run,
    "repl": repl_prompt.run,
    "oneshot": oneshot.run,
    "latency": latency.run,
    "throughput": throughput.run,
    "render": render.run,
    "memory": memory.run,
    "load": load.run,
    "live_batch": live_batch.run,
    "usage": usage.run,
    "batch_fetch": batch_fetch.run,
}


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes and counts (CI)")
    parser.add_argument("--runs", type=int, help="repetitions per measurement")
    parser.add_argument(
        "--only", help=f"comma-separated subset of: {', '.join(BENCHMARKS)}", default=""
    )
    parser.add_argument(
        "--tokens-per-second",
        type=float,
        default=100.0,
        help="simulated model speed that paces live frames in the render benchmark",
    )
    parser.add_argument(
        "--compare",
        type=Path,
        metavar="FILE",
        help="a saved run's output: flag any ratio more than 10%% worse now (exit status 3)",
    )
    arguments = parser.parse_args(argv)
    if arguments.compare is not None and not arguments.compare.is_file():
        parser.error(f"--compare: no such file: {arguments.compare}")
    unknown = {name for name in arguments.only.split(",") if name} - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    if arguments.runs is not None and arguments.runs < 1:
        parser.error("--runs must be at least 1")
    return arguments


def run(argv: list[str]) -> int:
    arguments = parse_arguments(argv)
    options = Options(
        smoke=arguments.smoke, runs=arguments.runs, tokens_per_second=arguments.tokens_per_second
    )
    selected = [name for name in BENCHMARKS if not arguments.only or name in arguments.only]
    print(f"# azresp benchmarks{' (smoke)' if options.smoke else ''}\n")
    print(describe_machine() + "\n", flush=True)
    sections: list[Section] = []
    crashed: list[str] = []
    started = time.perf_counter()
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="azresp-bench-")))
        emulator = stack.enter_context(emulator_process())
        context = Context(workdir, emulator)
        for name in selected:
            print(f"## {name}\n", flush=True)
            began = time.perf_counter()
            try:
                section = BENCHMARKS[name](options, context)
            except Exception:  # noqa: BLE001 - report it, run the others, fail at the end
                traceback.print_exc()
                crashed.append(name)
                print(f"**{name} crashed** (traceback on stderr)\n", flush=True)
                continue
            sections.append(section)
            for table in section.tables:
                print(table.markdown() + "\n", flush=True)
            print(f"_{name}: {time.perf_counter() - began:.1f} s_\n", flush=True)
    print(_targets(sections, smoke=options.smoke).markdown())
    regressed: list[str] = []
    if arguments.compare is not None:
        comparison = compare([t for s in sections for t in s.targets], arguments.compare)
        print("\n" + comparison.table.markdown())
        regressed = comparison.regressions
    print(f"\n_total: {time.perf_counter() - started:.1f} s_")
    if crashed:
        print(f"crashed: {', '.join(crashed)}", file=sys.stderr)
        return 1
    if regressed:
        print(f"worse than the saved run: {', '.join(regressed)}", file=sys.stderr)
        return 3
    return 0


def _targets(sections: list[Section], *, smoke: bool) -> Table:
    title = "Targets" + (" (smoke sizes: shown, not judged)" if smoke else "")
    table = Table(title, ["target", "limit", "measured", "holds"])
    for section in sections:
        for target in section.targets:
            verdict = "n/a (smoke)" if smoke else ("yes" if target.holds else "**no**")
            table.add(
                target.name,
                f"{target.direction} {target.limit:g}{target.unit}",
                f"{target.measured:.2f}{target.unit}",
                verdict,
            )
    return table


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
