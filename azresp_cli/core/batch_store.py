"""The local record of each batch submission, in the data dir (``batches/<id>/``).

A submission is what one ``batch submit`` (or ``batch run --live``) sent: the input path,
every row (its line, custom_id, prompt and metadata: the line -> custom_id map), and the
batches created for it, with the batch files themselves (``part-N.jsonl``) kept for
``--retry-failed``. ``submission.json`` is rewritten atomically (and fsynced) after every
batch is created, so a crash loses at most the batch being created.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from azresp_cli.core.atomic_write import write_atomic
from azresp_cli.core.batch_input import Row
from azresp_cli.core.errors import NotFoundError

RECORD = "submission.json"


@dataclass
class BatchRef:
    batch_id: str
    file_id: str
    part: str  # the batch file, relative to the submission's directory
    requests: int
    status: str = "validating"


@dataclass
class Submission:
    submission_id: str
    directory: Path
    input: str
    deployment: str
    endpoint: str
    created_at: float
    rows: list[Row]
    batches: list[BatchRef] = field(default_factory=list)
    mode: str = "batch"  # or "live" (batch run --live)

    def save(self) -> None:
        data: dict[str, Any] = {
            "id": self.submission_id,
            "input": self.input,
            "deployment": self.deployment,
            "endpoint": self.endpoint,
            "created_at": self.created_at,
            "mode": self.mode,
            "batches": [asdict(ref) for ref in self.batches],
            "rows": [_row_json(row) for row in self.rows],
        }
        write_atomic(self.directory / RECORD, json.dumps(data, ensure_ascii=False) + "\n")

    def ids(self) -> list[str]:
        return [ref.batch_id for ref in self.batches]


def new_submission(
    data_dir: Path, *, input_name: str, deployment: str, endpoint: str, rows: list[Row], mode: str
) -> Submission:
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    submission_id = f"{mode}-{stamp}-{secrets.token_hex(3)}"
    directory = batches_dir(data_dir) / submission_id
    directory.mkdir(parents=True, mode=0o700)
    return Submission(
        submission_id, directory, input_name, deployment, endpoint, time.time(), rows, mode=mode
    )


def batches_dir(data_dir: Path) -> Path:
    return data_dir / "batches"


def load(directory: Path) -> Submission:
    data = json.loads((directory / RECORD).read_text(encoding="utf-8"))
    return Submission(
        submission_id=data["id"],
        directory=directory,
        input=data["input"],
        deployment=data["deployment"],
        endpoint=data["endpoint"],
        created_at=float(data["created_at"]),
        rows=[_row_of(item) for item in data["rows"]],
        batches=[BatchRef(**item) for item in data["batches"]],
        mode=data.get("mode", "batch"),
    )


def submissions(data_dir: Path) -> Iterator[Submission]:
    """Every recorded submission, newest first (unreadable records are skipped)."""
    root = batches_dir(data_dir)
    if not root.is_dir():
        return
    found = [path for path in root.iterdir() if (path / RECORD).is_file()]
    for directory in sorted(found, key=lambda path: path.name, reverse=True):
        try:
            yield load(directory)
        except (OSError, ValueError, KeyError, TypeError):
            continue


def find(data_dir: Path, identifier: str) -> Submission:
    """The submission with this id, or the one that created batch ``identifier``."""
    for submission in submissions(data_dir):
        if identifier == submission.submission_id or identifier in submission.ids():
            return submission
    raise NotFoundError(
        f"no batch or submission '{identifier}' was recorded here",
        hint="`azresp batch list` shows the recorded ones",
    )


def _row_json(row: Row) -> dict[str, Any]:
    item: dict[str, Any] = {"line": row.line, "custom_id": row.custom_id}
    if row.prompt is not None:
        item["prompt"] = row.prompt
    if row.body is not None:
        item["body"] = row.body
    if row.metadata:
        item["metadata"] = dict(row.metadata)
    return item


def _row_of(item: dict[str, Any]) -> Row:
    return Row(
        line=int(item["line"]),
        custom_id=str(item["custom_id"]),
        prompt=item.get("prompt"),
        body=item.get("body"),
        metadata=item.get("metadata") or {},
    )
