"""``batch fetch`` joining a large batch's results back to its input, in input order.

A batch of N one-line prompts runs to its end on the emulator (its own process); then
``azresp batch fetch ID -o OUT.jsonl`` is timed, a whole process: it downloads the output and
error files, joins them to the N rows on custom_id and writes N result rows. The baseline,
in the same run, is the least any join must do: ``json.loads`` on every line of the same
output file. Goal: the fetch of 100,000 lines under 5 s.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

from bench.harness import (
    Context,
    Options,
    Section,
    Stats,
    Table,
    Target,
    azresp_command,
    azresp_environment,
    emulator_process,
    ms,
    scratch_dirs,
)

GOAL_SECONDS = 5.0


def run(options: Options, context: Context) -> Section:
    lines = 2_000 if options.smoke else 100_000
    runs = options.repeat(3)
    table = Table(
        f"batch fetch: {lines:,} lines joined to their input",
        ["case", "min", "median", "ratio to baseline"],
    )
    section = Section([table])
    with emulator_process() as emulator:
        source = context.workdir / "fetch-prompts.txt"
        source.write_text("".join(f"fetch bench prompt {n}\n" for n in range(lines)))
        with scratch_dirs() as dirs:
            env = azresp_environment(emulator, dirs, NO_COLOR="1", AZRESP_BATCH_POLL_SECONDS="0.2")
            batch_id = _azresp(env, "batch", "submit", str(source)).split()[0]
            _azresp(env, "batch", "status", "--watch", batch_id)
            out_dir = Path(dirs["AZRESP_DATA_DIR"]).parent
            fetches: list[float] = []
            baselines: list[float] = []
            for attempt in range(runs):
                # Each fetch starts without the downloaded files, as the first one does.
                for cached in Path(dirs["AZRESP_DATA_DIR"]).glob("batches/*/batch_*.jsonl"):
                    cached.unlink()
                out = out_dir / f"out-{attempt}.jsonl"
                started = time.perf_counter()
                _azresp(env, "batch", "fetch", batch_id, "-o", str(out))
                fetches.append(time.perf_counter() - started)
                (output,) = Path(dirs["AZRESP_DATA_DIR"]).glob("batches/*/batch_*.output.jsonl")
                baselines.append(_loads_all(output))
            written = sum(1 for _ in out.open(encoding="utf-8"))
            if written != lines:
                raise RuntimeError(f"batch fetch wrote {written} rows, not {lines}")
        fetch, baseline = Stats.of(fetches), Stats.of(baselines)
        table.add("json.loads of every output line (baseline)", *_cells(baseline), "1.00x")
        table.add(
            "azresp batch fetch (download, join, write)",
            *_cells(fetch),
            f"{fetch.ratio_to(baseline):.2f}x",
        )
        table.notes.append(
            "azresp's time is a whole process (start-up, download from the emulator, join, "
            "write); the baseline only parses the already downloaded output file in-process."
        )
        section.targets.append(
            Target(f"batch fetch of {lines:,} lines", fetch.median, GOAL_SECONDS, "at most", " s")
        )
    return section


def _cells(stats: Stats) -> tuple[str, str]:
    return ms(stats.minimum), ms(stats.median)


def _loads_all(path: Path) -> float:
    started = time.perf_counter()
    with path.open(encoding="utf-8") as file:
        for line in file:
            json.loads(line)
    return time.perf_counter() - started


def _azresp(env: dict[str, str], *argv: str) -> str:
    done = subprocess.run(
        [*azresp_command(), *argv], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"azresp {' '.join(argv[:2])} exited {done.returncode}: {done.stderr}")
    return done.stdout
