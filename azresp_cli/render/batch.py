"""Output of ``azresp batch``: ids and status lines on stdout, progress and notes on stderr.

A status line is tab-separated for scripts: ``id<TAB>status<TAB>completed<TAB>failed<TAB>
total``. ``--watch`` draws a bar per batch on a terminal and prints a line on stderr when a
batch's status changes otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from azresp_cli.core.batch_records import BatchInfo
from azresp_cli.core.environment import Environment


def note(env: Environment, text: str) -> None:
    env.stderr.write(text + "\n")
    env.stderr.flush()


def print_ids(env: Environment, ids: Sequence[str]) -> None:
    for batch_id in ids:
        env.stdout.write(batch_id + "\n")
    env.stdout.flush()


def status_line(info: BatchInfo) -> str:
    return f"{info.batch_id}\t{info.status}\t{info.completed}\t{info.failed}\t{info.total}"


def print_statuses(env: Environment, infos: Sequence[BatchInfo], *, labels: dict[str, str]) -> None:
    for info in infos:
        label = labels.get(info.batch_id)
        env.stdout.write(status_line(info) + (f"\t{label}" if label else "") + "\n")
        for error in info.errors:
            note(env, f"{info.batch_id}: {error}")
    env.stdout.flush()


def describe(info: BatchInfo) -> str:
    done = info.completed + info.failed
    counts = f"{done:,}/{info.total:,} done, {info.failed:,} failed" if info.total else ""
    return f"{info.batch_id} {info.status}" + (f" ({counts})" if counts else "")


class WatchView:
    """A bar per batch on a terminal (stderr); otherwise a line per status change."""

    def __init__(self, env: Environment) -> None:
        self._env = env
        self._seen: dict[str, str] = {}
        self._progress: Any = None
        self._tasks: dict[str, Any] = {}
        if env.stderr_color:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            from azresp_cli.render.console import stderr_console

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[counts]}"),
                TextColumn("{task.fields[status]}"),
                console=stderr_console(env),
                transient=True,
            )
            self._progress.start()

    def update(self, infos: Sequence[BatchInfo]) -> None:
        for info in infos:
            if self._progress is not None:
                task = self._tasks.get(info.batch_id)
                if task is None:
                    task = self._progress.add_task(
                        info.batch_id[:18], total=None, status="", counts=""
                    )
                    self._tasks[info.batch_id] = task
                self._progress.update(
                    task,
                    total=info.total or None,
                    completed=info.completed + info.failed,
                    counts=f"{info.completed:,} completed, {info.failed:,} failed",
                    status=info.status,
                )
            elif self._seen.get(info.batch_id) != info.status:
                note(self._env, describe(info))
            self._seen[info.batch_id] = info.status

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


class LiveTicker:
    """``batch run --live``: a bar of answered lines on a terminal; nothing otherwise."""

    def __init__(self, env: Environment, total: int, already: int) -> None:
        self._progress: Any = None
        if env.stderr_color:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            from azresp_cli.render.console import stderr_console

            self._progress = Progress(
                TextColumn("sending"),
                BarColumn(),
                MofNCompleteColumn(),
                console=stderr_console(env),
                transient=True,
            )
            self._task = self._progress.add_task("live", total=total, completed=already)
            self._progress.start()

    def done(self, result: Any) -> None:
        if self._progress is not None:
            self._progress.advance(self._task)

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def print_summary(env: Environment, counts: dict[str, int], target: str | None) -> None:
    parts = [f"{count:,} {status}" for status, count in sorted(counts.items())]
    where = f" to {target}" if target else ""
    note(env, f"wrote {sum(counts.values()):,} rows{where}: " + ", ".join(parts))
