"""Output of ``azresp bg``: ids and statuses on stdout for scripts, the rest on stderr.

``bg start`` prints the id alone (``id=$(azresp bg start "...")``); ``bg poll`` and ``bg cancel``
print the status word; ``bg list`` a table on a terminal and tab-separated lines on a pipe.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime

from rich.text import Text

from azresp_cli.core.environment import Environment
from azresp_cli.core.events import ResponseRecord
from azresp_cli.core.job_store import Job
from azresp_cli.render.json_writers import to_json

PROMPT_WIDTH = 60


def print_started(
    env: Environment, response_id: str, status: str, *, poll: str, quiet: bool = False
) -> None:
    """The id on stdout (alone, for ``$(...)``), and on stderr how to follow it."""
    _out(env, response_id + "\n")
    if not quiet:
        _note(env, f"started {response_id} ({status}); `{poll}` waits for it")


def print_status(env: Environment, record: ResponseRecord, *, json_output: bool) -> None:
    """``bg poll``: the status word on stdout (the Response with --json); why, on stderr."""
    if json_output:
        _out(env, to_json(record.raw, indent=2) + "\n")
        return
    _out(env, record.status + "\n")
    reason = record.error_message or record.error_code or record.incomplete_reason
    if reason and record.status in ("failed", "incomplete"):
        _note(env, f"{record.status}: {reason}")


def print_cancelled(env: Environment, record: ResponseRecord, *, stopped: bool) -> None:
    _out(env, record.status + "\n")
    if not stopped:
        _note(env, f"{record.id} had already ended ({record.status}); nothing to cancel")


def print_detached(env: Environment, response_id: str, *, resume: str, cancelled: bool) -> None:
    """After Ctrl-C during a wait: the id, and how to pick the job up again (or that it is gone)."""
    if cancelled:
        _note(env, f"cancelled {response_id}")
        return
    _out(env, response_id + "\n")
    _note(env, f"detached; {response_id} goes on running. Resume with: {resume}")


def print_answer_text(env: Environment, record: ResponseRecord) -> None:
    """A finished job's text: Markdown on a colour terminal, as it is elsewhere."""
    text = record.output_text
    if not text.strip():
        return
    if env.color:
        from rich.markdown import Markdown

        from azresp_cli.render.console import stdout_console

        stdout_console(env).print(Markdown(text))
    else:
        _out(env, text.rstrip("\n") + "\n")


def print_jobs(
    env: Environment, jobs: Sequence[Job], *, json_output: bool, now: float | None = None
) -> None:
    """``bg list``: newest first; a table on a terminal, ``id TAB status TAB ...`` on a pipe."""
    if json_output:
        rows = [
            {
                "id": job.response_id,
                "status": job.status,
                "created_at": job.created_at,
                "updated_at": job.updated_at,
                "deployment": job.deployment,
                "endpoint": job.endpoint,
                "prompt": job.prompt,
                "reason": job.reason,
            }
            for job in jobs
        ]
        _out(env, to_json(rows, indent=2) + "\n")
        return
    if not jobs:
        _note(env, "no background jobs recorded; `azresp bg start PROMPT` starts one")
        return
    now = time.time() if now is None else now
    if not env.stdout_isatty:
        _out(env, "".join(_tsv(job) for job in jobs))
        return
    from rich import box
    from rich.table import Table

    from azresp_cli.render.console import stdout_console

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, header_style="bold")
    # The id is what people copy: always whole. The prompt gives way to the terminal width.
    table.add_column("id", no_wrap=True, min_width=max(len(job.response_id) for job in jobs))
    table.add_column("status", no_wrap=True, min_width=len("in_progress"))
    table.add_column("started", no_wrap=True, min_width=len("59 min ago"))
    table.add_column("prompt", ratio=1)
    for job in jobs:
        table.add_row(
            job.response_id,
            Text(job.status, style=_STATUS_STYLES.get(job.status, "")),
            _age(now - job.created_at),
            Text(_one_line(job.prompt), no_wrap=True, overflow="ellipsis"),
        )
    stdout_console(env).print(table)


_STATUS_STYLES = {
    "completed": "green",
    "failed": "red",
    "cancelled": "yellow",
    "incomplete": "yellow",
    "in_progress": "cyan",
    "queued": "cyan",
}


def _tsv(job: Job) -> str:
    started = datetime.fromtimestamp(job.created_at).isoformat(timespec="seconds")
    prompt = _one_line(job.prompt)
    if len(prompt) > PROMPT_WIDTH:
        prompt = prompt[: PROMPT_WIDTH - 1] + "…"
    return "\t".join((job.response_id, job.status, started, job.deployment, prompt)) + "\n"


def _age(seconds: float) -> str:
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60:.0f} min ago"
    if seconds < 86400:
        return f"{seconds // 3600:.0f} h ago"
    return f"{seconds // 86400:.0f} d ago"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _out(env: Environment, text: str) -> None:
    env.stdout.write(text)
    env.stdout.flush()


def _note(env: Environment, text: str) -> None:
    env.stderr.write(text + "\n")
    env.stderr.flush()
