"""``python -m bench.before_after --source DIR``: start-up and first token of this checkout
against another one (DIR: a checkout's root, e.g. ``git worktree add /tmp/before main``), and
both against their baselines, interleaved in one run. On demand only, not part of
``python -m bench``.

Both checkouts run on this interpreter and its packages (``-c`` adding the checkout to
``sys.path``, the same launcher for both). Cases: ``--help`` and ``chat --help`` beside the
minimal Typer app; the first answer byte of ``chat "[[long:500]]"`` on a pipe and on a pty
beside the bare SDK script, directly and through the 50 ms `DelayProxy` (plain TCP, and TLS
with a throwaway certificate); warm turns (one
process per client, the turn engine of each checkout, a turn on each line) beside the SDK's;
``usage`` over 100,000 turns.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from bench import startup
from bench.harness import (
    REPO,
    Emulator,
    Options,
    Stats,
    Table,
    azresp_environment,
    clean_environment,
    emulator_process,
    interleaved,
    interleaved_tuples,
    ms,
    scratch_dirs,
    wall_seconds,
)
from bench.latency import delayed, delayed_tls
from bench.oneshot import BARE_SDK, PROMPT, timed_process
from bench.usage import write_history

LAUNCHER = (
    "import sys; sys.path.insert(0, {source!r}); sys.argv[0] = 'azresp'; "
    "from azresp_cli.cli.main import main; main()"
)
WORKER = Path(__file__).with_name("warm_worker.py")


def launcher(source: Path) -> list[str]:
    return [sys.executable, "-c", LAUNCHER.format(source=str(source))]


def table(title: str, results: dict[str, Stats], baseline: str, column: str) -> Table:
    made = Table(title, ["case", "min", "median", f"vs {baseline}"])
    for name, stats in results.items():
        versus = f"{stats.ratio_to(results[baseline]):.2f}x" if name != baseline else ""
        made.add(name, ms(stats.minimum), ms(stats.median), versus)
    made.notes.append(column)
    return made


@contextmanager
def workers(
    sources: dict[str, str], url: str, extra: dict[str, str] | None = None
) -> Iterator[dict[str, Callable[[], tuple]]]:
    """One warm process per client; each call runs one turn there (`extra`: variables)."""
    running: dict[str, subprocess.Popen[str]] = {}
    try:
        for name, source in sources.items():
            process = subprocess.Popen(
                [sys.executable, str(WORKER), source, url],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                env=clean_environment(**(extra or {})),
            )  # fmt: skip
            assert process.stdout is not None
            if process.stdout.readline().strip() != "ready":
                raise RuntimeError(f"the {name} worker did not start")
            running[name] = process

        def turn(process: subprocess.Popen[str]) -> tuple[float, float]:
            assert process.stdin is not None and process.stdout is not None
            process.stdin.write("\n")
            process.stdin.flush()
            first, total = process.stdout.readline().split()
            return float(first), float(total)

        yield {name: (lambda p=p: turn(p)) for name, p in running.items()}
    finally:
        for process in running.values():
            process.kill()
            process.wait()


def run(source: Path, options: Options) -> list[Table]:
    before, after = launcher(source), launcher(REPO)
    runs = options.repeat(15, smoke=1)
    tables = []
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(scratch_dirs())["AZRESP_DATA_DIR"]).parent
        workdir.mkdir(parents=True, exist_ok=True)
        minimal = workdir / "minimal_typer_app.py"
        minimal.write_text(startup.bare_app_source(startup.minimal_tree(startup.azresp_tree())))
        env = clean_environment()
        cases = {
            "minimal Typer --help": [sys.executable, str(minimal), "--help"],
            "before --help": [*before, "--help"],
            "after --help": [*after, "--help"],
            "minimal Typer chat --help": [sys.executable, str(minimal), "chat", "--help"],
            "before chat --help": [*before, "chat", "--help"],
            "after chat --help": [*after, "chat", "--help"],
        }
        help_stats = interleaved(
            runs, {n: (lambda a=a: wall_seconds(a, env)) for n, a in cases.items()}
        )
        made = Table("Start-up, before and after", ["case", "median", "vs minimal Typer"])
        for name, stats in help_stats.items():
            base = help_stats[
                "minimal Typer chat --help" if "chat" in name else "minimal Typer --help"
            ]
            made.add(name, ms(stats.median), f"{stats.ratio_to(base):.2f}x")
        tables.append(made)

        emulator = stack.enter_context(emulator_process())
        dirs = stack.enter_context(scratch_dirs())
        for label, route in (("direct", None), ("50 ms RTT", "proxy"), ("50 ms RTT, TLS", "tls")):
            target, extra = emulator, {}
            if route == "proxy":
                target = Emulator(stack.enter_context(delayed(emulator)), emulator.pid)
            elif route == "tls":
                url, certificate = stack.enter_context(delayed_tls(emulator))
                target, extra = Emulator(url, emulator.pid), {"SSL_CERT_FILE": certificate}
            chat_env = azresp_environment(target, dirs, **extra)
            bare = [sys.executable, str(BARE_SDK), PROMPT]
            media = ("pipe", "pty") if route is None else ("pipe",)
            for medium in media:
                tty = medium == "pty"

                def timer(
                    argv: list[str], tty: bool = tty, env: dict[str, str] = chat_env
                ) -> Callable[[], tuple[float, float]]:
                    return lambda: timed_process(argv, env, tty=tty)

                cold = interleaved_tuples(
                    runs,
                    {
                        "bare SDK": timer(bare),
                        "before": timer([*before, "chat", PROMPT]),
                        "after": timer([*after, "chat", PROMPT]),
                    },
                )
                tables.append(
                    table(
                        f"First token, cold, {medium}, {label}",
                        {name: value[0] for name, value in cold.items()},
                        "bare SDK",
                        "The answer's first word on stdout, from process start.",
                    )
                )
            with workers(
                {"bare SDK": "sdk", "before": str(source), "after": str(REPO)},
                target.base_url,
                extra,
            ) as turns:
                warm = interleaved_tuples(runs * 2, turns)
            tables.append(
                table(
                    f"First token, warm turn, {label}",
                    {name: value[0] for name, value in warm.items()},
                    "bare SDK",
                    "A turn in a process whose client and connection are made.",
                )
            )

        data = workdir / "usage-data"
        write_history(data, 2_000 if options.smoke else 100_000)
        usage_env = clean_environment(AZRESP_DATA_DIR=str(data))
        usage = interleaved(
            runs,
            {
                "python -c pass": lambda: wall_seconds([sys.executable, "-c", "pass"], usage_env),
                "before usage": lambda: wall_seconds([*before, "usage"], usage_env),
                "after usage": lambda: wall_seconds([*after, "usage"], usage_env),
            },
        )
        tables.append(table("`usage` over 100,000 turns", usage, "python -c pass", "Wall time."))
    return tables


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.before_after")
    parser.add_argument("--source", type=Path, required=True, help="the other checkout")
    parser.add_argument("--runs", type=int, help="rounds (default 15)")
    parser.add_argument("--smoke", action="store_true", help="one round, a small history")
    arguments = parser.parse_args()
    options = Options(smoke=arguments.smoke, runs=arguments.runs)
    for made in run(arguments.source.resolve(), options):
        print(made.markdown() + "\n", flush=True)


if __name__ == "__main__":
    main()
