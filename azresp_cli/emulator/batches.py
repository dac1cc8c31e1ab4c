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
from dataclasses import dataclass, field

from azresp_cli.emulator import batch_lines, directives, ids
from azresp_cli.emulator.objects import Json
from azresp_cli.emulator.state import EmulatorState

BATCH_ENDPOINT = "/v1/responses"
COMPLETION_WINDOW_SECONDS = 24 * 3600
BOM = b"\xef\xbb\xbf"


class LineProblem(Exception):
    def __init__(self, code: str, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.line = code, message, line


@dataclass
class Schedule:
    pace: int
    hold: int | None = None
    expire: int | None = None


@dataclass
class Batch:
    batch_id: str
    input_file_id: str
    endpoint: str
    completion_window: str
    created_at: int
    metadata: dict[str, str] | None = None
    status: str = "validating"
    times: dict[str, int] = field(default_factory=dict)  # in_progress_at, completed_at ...
    total: int = 0
    completed: int = 0
    failed: int = 0
    errors: list[Json] = field(default_factory=list)
    output_file_id: str | None = None
    error_file_id: str | None = None
    model: str | None = None
    cancel_requested: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None

    def to_json(self) -> Json:
        body: Json = {
            "id": self.batch_id,
            "object": "batch",
            "endpoint": self.endpoint,
            "input_file_id": self.input_file_id,
            "completion_window": self.completion_window,
            "status": self.status,
            "created_at": self.created_at,
            "expires_at": self.created_at + COMPLETION_WINDOW_SECONDS,
            **self.times,
            "request_counts": {
                "total": self.total,
                "completed": self.completed,
                "failed": self.failed,
            },
        }
        if self.model:
            body["model"] = self.model
        if self.errors:
            body["errors"] = {"object": "list", "data": self.errors}
        if self.output_file_id:
            body["output_file_id"] = self.output_file_id
        if self.error_file_id:
            body["error_file_id"] = self.error_file_id
        if self.metadata is not None:
            body["metadata"] = self.metadata
        return body

    def enter(self, status: str) -> None:
        self.status = status
        self.times[f"{status}_at"] = int(time.time())


class BatchStore:
    def __init__(self) -> None:
        self._batches: dict[str, Batch] = {}

    def add(self, batch: Batch) -> None:
        self._batches[batch.batch_id] = batch

    def get(self, batch_id: str) -> Batch | None:
        return self._batches.get(batch_id)

    def all(self) -> list[Batch]:
        return list(self._batches.values())

    def clear(self) -> None:
        for batch in self._batches.values():
            if batch.task is not None and not batch.task.done():
                batch.task.cancel()
        self._batches.clear()


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
    """The batch's life, from validating to its end."""
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
        return
    batch.total = len(lines)
    body = lines[0].get("body")
    if isinstance(body, dict) and isinstance(body.get("model"), str):
        batch.model = body["model"]
    schedule = schedule_of(lines[0], config.batch_pace)
    batch.enter("in_progress")
    await asyncio.sleep(step)
    output: list[bytes] = []
    errors: list[bytes] = []
    ending = "completed"
    for index, line in enumerate(lines):
        if schedule.hold is not None and index >= schedule.hold:
            await batch.cancel_requested.wait()
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
        if (index + 1) % schedule.pace == 0:
            await asyncio.sleep(step)
    if ending == "completed":
        batch.enter("finalizing")
        await asyncio.sleep(step)
    name = batch.batch_id
    out = state.files.add(f"{name}_output.jsonl", "batch_output", b"".join(output))
    err = state.files.add(f"{name}_error.jsonl", "batch_output", b"".join(errors))
    batch.output_file_id, batch.error_file_id = out.file_id, err.file_id
    batch.enter(ending)


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
