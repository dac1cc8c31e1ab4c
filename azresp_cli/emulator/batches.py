"""Batches (`/batches`): the input file validated, its lines answered on a fixed schedule.

A batch goes validating -> in_progress -> finalizing -> completed, one phase a `batch_step`
(EmulatorConfig) apart, answering `batch_pace` lines per step. A `[[batch:...]]` directive in
the first line's prompt changes that for the batch: `pace=N` (lines per step), `hold=N` (stop
after N lines and wait for a cancel), `expire=N` (expire after N lines: the rest go to the
error file as `batch_expired`). A file that cannot be read as batch lines (a byte order mark,
a line that is not JSON, a second deployment, a repeated custom_id) fails the batch with its
`errors`; a line whose body the service would refuse goes to the error file. As on Azure, the
error file exists, empty, when every line succeeded.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from azresp_cli.emulator import batch_lines, directives, ids
from azresp_cli.emulator.batch_store import Batch, BatchStore
from azresp_cli.emulator.objects import Json

if TYPE_CHECKING:
    from azresp_cli.emulator.state import EmulatorState

BATCH_ENDPOINT = "/v1/responses"
BOM = b"\xef\xbb\xbf"


__all__ = ["Batch", "BatchStore", "LineProblem", "new_batch", "read_lines", "run"]


class LineProblem(Exception):
    def __init__(self, code: str, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.line = code, message, line


@dataclass
class Schedule:
    pace: int
    hold: int | None = None
    expire: int | None = None


def new_batch(
    input_file_id: str, endpoint: str, window: str, metadata: dict[str, str] | None
) -> Batch:
    return Batch(
        batch_id="batch_" + secrets.token_hex(16),
        input_file_id=input_file_id,
        endpoint=endpoint,
        completion_window=window,
        created_at=int(time.time()),
        metadata=metadata,
    )


def read_lines(data: bytes) -> list[Json]:
    """The file's request lines, checked as the service checks them before running any."""
    if data.startswith(BOM):
        raise LineProblem(
            "invalid_file_format",
            "The input file starts with a byte order mark (BOM); save it as UTF-8 without one.",
            1,
        )
    lines: list[Json] = []
    seen: set[str] = set()
    models: set[str] = set()
    for number, raw in enumerate(data.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            line = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise LineProblem(
                "invalid_json_line", f"Line {number} is not valid JSON.", number
            ) from None
        if not isinstance(line, dict):
            raise LineProblem("invalid_json_line", f"Line {number} is not a JSON object.", number)
        custom_id = line.get("custom_id")
        if not isinstance(custom_id, str) or not custom_id:
            raise LineProblem("missing_required_parameter", "Missing 'custom_id'.", number)
        if custom_id in seen:
            raise LineProblem(
                "duplicate_custom_id",
                f"The custom_id '{custom_id}' is used by more than one request.",
                number,
            )
        seen.add(custom_id)
        if line.get("method") != "POST":
            raise LineProblem("invalid_method", "The method must be POST.", number)
        if line.get("url") != BATCH_ENDPOINT:
            raise LineProblem(
                "invalid_url", f"The url must be {BATCH_ENDPOINT}, as the batch's endpoint.", number
            )
        body = line.get("body")
        if isinstance(body, dict) and isinstance(body.get("model"), str):
            models.add(body["model"])
        if len(models) > 1:
            raise LineProblem(
                "model_mismatch",
                "Every request in a batch file must use the same deployment.",
                number,
            )
        lines.append(line)
    if not lines:
        raise LineProblem("empty_file", "The input file has no requests.")
    return lines


def schedule_of(first: Json, default_pace: int) -> Schedule:
    body = first.get("body")
    text = directives.latest_user_text(body.get("input")) if isinstance(body, dict) else ""
    schedule = Schedule(pace=max(1, default_pace))
    for directive in directives.find(text):
        if directive.name != "batch":
            continue
        for part in directive.argument.split():
            name, _, value = part.partition("=")
            number = int(value) if value.isdigit() else 0
            if name == "pace":
                schedule.pace = max(1, number)
            elif name == "hold":
                schedule.hold = number
            elif name == "expire":
                schedule.expire = number
    return schedule


async def run(batch: Batch, state: EmulatorState) -> None:
    """The batch's life, from validating to its end; each change saved (batch_store.py)."""
    store = state.batches
    config = state.config
    step = config.batch_step
    await asyncio.sleep(step)
    record = state.files.get(batch.input_file_id)
    try:
        lines = read_lines(record.data if record is not None else b"")
    except LineProblem as problem:
        batch.errors = [
            {"code": problem.code, "message": problem.message, "param": None, "line": problem.line}
        ]
        batch.enter("failed")
        store.save(batch)
        return
    batch.total = len(lines)
    body = lines[0].get("body")
    if isinstance(body, dict) and isinstance(body.get("model"), str):
        batch.model = body["model"]
    schedule = schedule_of(lines[0], config.batch_pace)
    batch.enter("in_progress")
    store.save(batch)
    await asyncio.sleep(step)
    output: list[bytes] = []
    errors: list[bytes] = []
    ending = "completed"
    for index, line in enumerate(lines):
        if schedule.hold is not None and index >= schedule.hold:
            while not store.check_cancel(batch):
                await asyncio.sleep(step)
        if batch.cancel_requested.is_set():
            ending = "cancelled"
            break
        if schedule.expire is not None and index >= schedule.expire:
            ending = "expired"
            errors.extend(_expired(rest) for rest in lines[index:])
            batch.failed += len(lines) - index
            break
        status, reply = await batch_lines.answer(state, line.get("body"))
        entry = {
            "id": "batch_req_" + secrets.token_hex(16),
            "custom_id": line["custom_id"],
            "response": {"status_code": status, "request_id": ids.request_id(), "body": reply},
            "error": None,
        }
        encoded = json.dumps(entry, separators=(",", ":")).encode() + b"\n"
        if status == 200:
            batch.completed += 1
            output.append(encoded)
        else:
            batch.failed += 1
            errors.append(encoded)
        store.save(batch)
        if (index + 1) % schedule.pace == 0:
            await asyncio.sleep(step)
    if ending == "completed":
        batch.enter("finalizing")
        store.save(batch)
        await asyncio.sleep(step)
    name = batch.batch_id
    out = state.files.add(f"{name}_output.jsonl", "batch_output", b"".join(output))
    err = state.files.add(f"{name}_error.jsonl", "batch_output", b"".join(errors))
    batch.output_file_id, batch.error_file_id = out.file_id, err.file_id
    batch.enter(ending)
    store.save(batch)


def resume_orphans(state: EmulatorState) -> None:
    """Once the server's loop runs: run again the batches of emulators that are gone."""
    for batch in state.batches.orphans():
        batch.restart()
        state.batches.save(batch)
        batch.task = asyncio.create_task(run(batch, state), name=batch.batch_id)


def _expired(line: Json) -> bytes:
    entry = {
        "id": "batch_req_" + secrets.token_hex(16),
        "custom_id": line["custom_id"],
        "response": None,
        "error": {
            "code": "batch_expired",
            "message": "This request could not be executed before the completion window expired.",
        },
    }
    return json.dumps(entry, separators=(",", ":")).encode() + b"\n"
