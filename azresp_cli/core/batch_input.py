"""A batch's input read into rows, and the rows written as batch files within the limits.

INPUT is a text file (one prompt a line), a CSV/TSV file (the prompt in ``--column``, the
other columns kept as metadata) or a JSONL file of request bodies (or of whole batch lines).
Each row becomes one batch line ``{custom_id, method: POST, url: /v1/responses, body}`` whose
body is the one chat would send (core/request.py), without ``stream``. The documented limits
of an Azure batch file (docs/batch.md) are checked here, before anything is uploaded: at most
200 MB and 100,000 requests a file, one deployment a file, unique custom_ids, no byte order
mark. An input beyond one file's limits is split into several files, hence several batches.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from azresp_cli.core.errors import UsageError

BATCH_URL = "/v1/responses"
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_FILE_REQUESTS = 100_000
# One input: several batch files' worth, held in memory while the files are written.
MAX_INPUT_BYTES = 1_000_000_000
FORMATS = ("text", "csv", "tsv", "jsonl")
# Hidden knobs that lower the limits (tests and the benchmark split small inputs with them).
MAX_REQUESTS_VARIABLE = "AZRESP_BATCH_MAX_REQUESTS"
MAX_BYTES_VARIABLE = "AZRESP_BATCH_MAX_BYTES"


@dataclass(frozen=True)
class Limits:
    max_requests: int = MAX_FILE_REQUESTS
    max_bytes: int = MAX_FILE_BYTES

    @classmethod
    def from_variables(cls, variables: Mapping[str, str]) -> Limits:
        def number(name: str, default: int) -> int:
            raw = variables.get(name, "")
            return min(int(raw), default) if raw.isdigit() and int(raw) > 0 else default

        return cls(
            number(MAX_REQUESTS_VARIABLE, MAX_FILE_REQUESTS),
            number(MAX_BYTES_VARIABLE, MAX_FILE_BYTES),
        )


@dataclass(frozen=True)
class Row:
    """One input line: where it was, its custom_id, and its prompt or its own body."""

    line: int  # 1-based: the file's line (text, JSONL) or data row (CSV)
    custom_id: str
    prompt: str | None = None
    body: Mapping[str, Any] | None = None  # JSONL input: the request body as given
    metadata: Mapping[str, str] = field(default_factory=dict)


def input_format(path: str, chosen: str | None) -> str:
    if chosen is not None:
        if chosen not in FORMATS:
            raise UsageError(f"unknown input format '{chosen}'", hint=f"use {', '.join(FORMATS)}")
        return chosen
    suffix = Path(path).suffix.lower()
    return {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl"}.get(suffix, "text")


def read_input(path: str, stdin: TextIO) -> str:
    """The input's text, read bounded (core/input_files.py); a UTF-8 BOM is dropped (the
    batch files never have one)."""
    from azresp_cli.core.input_files import read_bounded, read_piped

    if path == "-":
        return read_piped(stdin, MAX_INPUT_BYTES).removeprefix("\ufeff")
    file = Path(path).expanduser()
    if not file.exists():
        raise UsageError(f"{path}: no such file")
    data = read_bounded(file, MAX_INPUT_BYTES, hint="split the input into several files")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text", hint="save it as UTF-8") from None


def read_rows(text: str, fmt: str, column: str | None) -> list[Row]:
    if fmt in ("csv", "tsv"):
        rows = _table_rows(text, "\t" if fmt == "tsv" else ",", column)
    elif column is not None:
        raise UsageError("--column is for CSV and TSV input", hint="or pass --format csv")
    elif fmt == "jsonl":
        rows = _jsonl_rows(text)
    else:
        rows = [
            Row(number, f"line-{number}", prompt=line.rstrip("\r"))
            for number, line in enumerate(text.split("\n"), start=1)
            if line.strip()
        ]
    if not rows:
        raise UsageError("the input has no prompts")
    _check_unique(rows)
    return rows


def _table_rows(text: str, delimiter: str, column: str | None) -> list[Row]:
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    names = list(reader.fieldnames or [])
    if column is None:
        raise UsageError(
            "which column holds the prompt?", hint=f"pass --column NAME (one of {', '.join(names)})"
        )
    if column not in names:
        raise UsageError(f"no column '{column}'", hint=f"the columns are: {', '.join(names)}")
    rows = []
    for number, record in enumerate(reader, start=1):
        prompt = record.get(column) or ""
        if not prompt.strip():
            continue
        metadata = {name: value or "" for name, value in record.items() if name != column and name}
        rows.append(Row(number, f"row-{number}", prompt=prompt, metadata=metadata))
    return rows


def _jsonl_rows(text: str) -> list[Row]:
    rows = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError:
            raise UsageError(
                f"line {number} is not JSON", hint="each line is one request body"
            ) from None
        if not isinstance(value, dict):
            raise UsageError(f"line {number} is not a JSON object")
        if isinstance(value.get("body"), dict):  # a whole batch line
            custom_id = str(value.get("custom_id") or f"line-{number}")
            rows.append(Row(number, custom_id, body=value["body"]))
        else:
            rows.append(Row(number, f"line-{number}", body=value))
    return rows


def _check_unique(rows: Iterable[Row]) -> None:
    seen: set[str] = set()
    for row in rows:
        if row.custom_id in seen:
            raise UsageError(
                f"custom_id '{row.custom_id}' appears twice (line {row.line})",
                hint="each request of a batch needs its own custom_id",
            )
        seen.add(row.custom_id)


BodyOf = Callable[[Row], dict[str, Any]]


def batch_line(row: Row, body_of: BodyOf, deployment: str) -> bytes:
    """The row's batch line, encoded; its body names ``deployment`` and does not stream."""
    body = dict(row.body) if row.body is not None else body_of(row)
    body.pop("stream", None)
    model = body.setdefault("model", deployment)
    if model != deployment:
        raise UsageError(
            f"line {row.line} asks for deployment '{model}', the batch for '{deployment}'",
            hint="a batch file holds one deployment: split the input by model",
        )
    line = {"custom_id": row.custom_id, "method": "POST", "url": BATCH_URL, "body": body}
    return json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def split(lines: Iterable[tuple[Row, bytes]], limits: Limits) -> Iterator[list[tuple[Row, bytes]]]:
    """The encoded lines in files of at most ``limits`` requests and bytes, in input order."""
    part: list[tuple[Row, bytes]] = []
    size = 0
    for row, encoded in lines:
        if len(encoded) > limits.max_bytes:
            raise UsageError(
                f"line {row.line} alone is larger than a batch file may be "
                f"({limits.max_bytes:,} bytes)"
            )
        if part and (len(part) >= limits.max_requests or size + len(encoded) > limits.max_bytes):
            yield part
            part, size = [], 0
        part.append((row, encoded))
        size += len(encoded)
    if part:
        yield part


def write_part(path: Path, part: list[tuple[Row, bytes]]) -> int:
    """Write one batch file (UTF-8, no BOM); its size in bytes."""
    data = b"".join(encoded for _, encoded in part)
    if data.startswith(b"\xef\xbb\xbf"):  # cannot happen: JSON lines start with "{"
        raise UsageError("a batch file must not start with a byte order mark")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with path.open("wb") as file:
        file.write(data)
    return len(data)
