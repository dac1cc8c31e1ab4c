"""The Batch API (docs/batch.md): submit, retrieve, list, cancel, and fetch joined results.

Each batch file is uploaded with ``purpose=batch`` and becomes one batch with
``completion_window: 24h`` on the ``/v1/responses`` endpoint. Output and error files are
streamed to the submission's directory, then joined to the input (core/batch_results.py).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from azresp_cli.core.batch_input import (
    BodyOf,
    Limits,
    Row,
    batch_line,
    split,
    write_part,
)
from azresp_cli.core.batch_records import TERMINAL, BatchInfo, batch_info
from azresp_cli.core.batch_results import Result, join, merge, read_entries, unfinished
from azresp_cli.core.batch_store import BatchRef, Submission
from azresp_cli.core.errors import AzrespError, classify
from azresp_cli.core.files import Progress, upload_file

if TYPE_CHECKING:
    from openai import OpenAI

# What a row without a result is, by how its batch ended.
_NOT_RUN = {"cancelled": "cancelled", "expired": "expired", "failed": "failed"}

Upload = Callable[[Path], str]  # uploads a batch file with purpose=batch; its file id


def submit(
    client: OpenAI,
    submission: Submission,
    body_of: BodyOf,
    limits: Limits,
    upload: Upload,
    *,
    rows: Iterable[Row] | None = None,
    prefix: str = "part",
) -> list[str]:
    """Write the rows' batch files (checked first, all of them), upload each and create its
    batch; the ids of the batches created."""
    chosen = submission.rows if rows is None else list(rows)
    encoded = ((row, batch_line(row, body_of, submission.deployment)) for row in chosen)
    parts = list(split(encoded, limits))
    first = len([ref for ref in submission.batches if ref.part.startswith(prefix)]) + 1
    names = []
    for number, part in enumerate(parts, start=first):
        name = f"{prefix}-{number}.jsonl"
        write_part(submission.directory / name, part)
        names.append((name, len(part)))
    submission.save()
    created = []
    for name, count in names:
        path = submission.directory / name
        file_id = upload(path)
        try:
            batch = client.batches.create(
                input_file_id=file_id,
                endpoint="/v1/responses",
                completion_window="24h",
                metadata={"azresp_submission": submission.submission_id[:512]},
            )
        except Exception as exc:
            raise classify(exc) from exc
        submission.batches.append(BatchRef(batch.id, file_id, name, count, batch.status))
        submission.save()
        created.append(batch.id)
    return created


def retry_failed(
    client: OpenAI,
    submission: Submission,
    joined: list[Result],
    limits: Limits,
    upload: Upload,
) -> list[str]:
    """Send the rows that did not succeed again, as new batches of this submission (their
    lines exactly as first sent)."""
    rows = unfinished(submission.rows, joined)
    if not rows:
        return []
    sent = _sent_lines(submission)

    def body_of(row: Row) -> dict[str, Any]:
        body: dict[str, Any] = sent[row.custom_id]["body"]
        return body

    return submit(client, submission, body_of, limits, upload, rows=rows, prefix="retry")


def upload_batch_file(client: OpenAI, path: Path, progress: Progress | None) -> str:
    return upload_file(client, path, "batch", progress=progress).id


def retrieve(client: OpenAI, batch_id: str) -> BatchInfo:
    try:
        return batch_info(client.batches.retrieve(batch_id).to_dict())
    except Exception as exc:
        raise classify(exc) from exc


def cancel(client: OpenAI, batch_id: str) -> BatchInfo:
    try:
        return batch_info(client.batches.cancel(batch_id).to_dict())
    except Exception as exc:
        raise classify(exc) from exc


def list_batches(client: OpenAI, limit: int) -> list[BatchInfo]:
    try:
        page = client.batches.list(limit=min(limit, 100))
        found = []
        for batch in page:
            found.append(batch_info(batch.to_dict()))
            if len(found) >= limit:
                break
        return found
    except Exception as exc:
        raise classify(exc) from exc


def download(client: OpenAI, file_id: str, path: Path) -> None:
    """Stream a file's content to ``path`` (written whole or not at all)."""
    partial = path.with_name(path.name + ".part")
    try:
        with (
            client.files.with_streaming_response.content(file_id) as response,
            partial.open("wb") as file,
        ):
            for chunk in response.iter_bytes(1 << 16):
                file.write(chunk)
    except Exception as exc:
        partial.unlink(missing_ok=True)
        raise classify(exc) from exc
    os.replace(partial, path)


def fetch(client: OpenAI, submission: Submission) -> tuple[list[Result], list[BatchInfo]]:
    """Every batch's state, its files downloaded once it ended, and the rows' results."""
    infos = [retrieve(client, ref.batch_id) for ref in submission.batches]
    results: dict[str, Result] = {}
    for ref, info in zip(submission.batches, infos, strict=True):
        ref.status = info.status
        if not info.is_terminal:
            continue
        for kind, file_id in (("output", info.output_file_id), ("errors", info.error_file_id)):
            if not file_id:
                continue
            path = submission.directory / f"{ref.batch_id}.{kind}.jsonl"
            if not path.exists():
                download(client, file_id, path)
            merge(results, read_entries(path))
    submission.save()
    joined = join(submission.rows, results, "missing")
    if all(result.status != "missing" for result in joined):
        return joined, infos
    ended: dict[str, str] = {}  # custom_id -> how the last batch that held it ended
    for ref, info in zip(submission.batches, infos, strict=True):
        for custom_id in _custom_ids(submission.directory / ref.part):
            ended[custom_id] = info.status
    return [_explained(result, ended) for result in joined], infos


def _explained(result: Result, ended: dict[str, str]) -> Result:
    if result.status != "missing":
        return result
    status = ended.get(result.custom_id, "missing")
    return Result(
        result.custom_id, _NOT_RUN.get(status, "pending" if status not in TERMINAL else "missing")
    )


def _custom_ids(path: Path) -> list[str]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as file:
        return [str(json.loads(line)["custom_id"]) for line in file if line.strip()]


def _sent_lines(submission: Submission) -> dict[str, dict[str, Any]]:
    sent: dict[str, dict[str, Any]] = {}
    for ref in submission.batches:
        path = submission.directory / ref.part
        if not path.is_file():
            raise AzrespError(
                f"the batch file {path} is gone", hint="submit the input again instead"
            )
        with path.open(encoding="utf-8") as file:
            for line in file:
                if line.strip():
                    item = json.loads(line)
                    sent[str(item["custom_id"])] = item
    return sent
