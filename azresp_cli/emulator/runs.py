"""Running a response's event script: inline for a request, or as a background job."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Iterable

from azresp_cli.emulator.eventlog import LoggedEvent
from azresp_cli.emulator.events import Pause, Step
from azresp_cli.emulator.store import ResponseRecord

EventSource = AsyncGenerator[LoggedEvent, None]
YIELD_EVERY = 32  # events produced between two turns of the event loop, at most


async def drive(record: ResponseRecord, steps: Iterable[Step]) -> EventSource:
    """Log each event of `steps` on `record` as it happens, waiting out the pauses.

    If the consumer stops early (the client went away, or a `cut` fault), the response is
    stopped as cancelled: a synchronous response lives only as long as its request. A job
    suspended for the next process (persistence.py) is left as it is.
    """
    try:
        for step in steps:
            if isinstance(step, Pause):
                if step.seconds > 0:
                    await asyncio.sleep(step.seconds)
                continue
            logged = record.log.append(step)
            record.apply(logged)
            record.changed()  # a kept record is written when it ends (kept_store.py)
            yield logged
            if logged.sequence_number % YIELD_EVERY == YIELD_EVERY - 1:
                await asyncio.sleep(0)  # a long answer must not hold up every other client
        record.log.close()
        record.changed()
        if not record.is_resumable and not (record.is_background and record.is_streamed):
            # Nothing will replay it (and no stream follows it): keep the response, not its
            # events, which are most of its memory.
            record.log.release()
        record.plan = None  # only a job still to be played needs it
    finally:
        if not record.log.is_closed and not record.suspended:
            record.cancel()


def start_background(record: ResponseRecord, steps: Iterable[Step]) -> None:
    """Run the script as a task that outlives the request and any stream following it."""
    job = run_to_end(record, steps)
    record.task = asyncio.create_task(job, name=f"background {record.response_id}")


async def run_to_end(record: ResponseRecord, steps: Iterable[Step]) -> None:
    async for _ in drive(record, steps):
        pass
