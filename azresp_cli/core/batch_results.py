"""Batch results joined back to the input: one row per input line, in input order.

The service's output and error files (and ``batch run --live``'s journal) hold one entry per
request, keyed by custom_id, in no particular order. ``join`` puts them back on the rows they
came from; a line a later batch retried takes that batch's result (a success is never replaced
by a failure). ``write_results`` writes JSONL or CSV to a file it creates, never over an
existing one.
"""

from __future__ import annotations

import contextlib
import csv
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from azresp_cli.core.batch_input import Row
from azresp_cli.core.errors import UsageError
from azresp_cli.core.events import Usage
from azresp_cli.core.pricing import Price, PriceTable, usage_cost

COLUMNS = (
    "line",
    "custom_id",
    "status",
    "answer",
    "input_tokens",
    "output_tokens",
    "reasoning_tokens",
    "cached_tokens",
    # Filled when a price table for the deployment is available; empty otherwise (never guessed).
    "cost_usd",
    "error_code",
    "error",
    "response_id",
)
OK = "completed"
_USAGE = COLUMNS[4:8]


@dataclass(frozen=True)
class Result:
    custom_id: str
    status: str  # completed, incomplete, failed, expired, cancelled, pending, missing
    answer: str = ""
    usage: Mapping[str, int] = field(default_factory=dict)
    error_code: str = ""
    error: str = ""
    response_id: str = ""
    model: str = ""  # as the response names it (priced by model when the deployment is not)
    tier: str = ""  # the service tier that answered (a --live line's price multiplier)


def parse_entry(entry: Mapping[str, Any]) -> Result:
    """One line of an output or error file (the service's batch output format)."""
    custom_id = str(entry.get("custom_id", ""))
    response = entry.get("response")
    if type(response) is dict:
        body = _dict(response.get("body"))
        if response.get("status_code") == 200:
            return from_response(custom_id, body)
        error = _dict(body.get("error"))
        return Result(
            custom_id,
            "failed",
            error_code=str(error.get("code") or response.get("status_code") or ""),
            error=str(error.get("message") or ""),
        )
    error = _dict(entry.get("error"))
    code = str(error.get("code") or "")
    status = {"batch_expired": "expired", "batch_cancelled": "cancelled"}.get(code, "failed")
    return Result(custom_id, status, error_code=code, error=str(error.get("message") or ""))


def from_response(custom_id: str, body: Mapping[str, Any]) -> Result:
    """A Response object as one line's result (on the hot path of a 100,000-line fetch:
    JSON objects are plain dicts, so ``dict`` checks, not the slower ``Mapping`` ones)."""
    texts = [
        str(part.get("text", ""))
        for item in body.get("output") or ()
        if type(item) is dict and item.get("type") == "message"
        for part in item.get("content") or ()
        if type(part) is dict and part.get("type") == "output_text"
    ]
    usage = _dict(body.get("usage"))
    counts = {
        "input_tokens": int(usage.get("input_tokens") or 0),
        "output_tokens": int(usage.get("output_tokens") or 0),
        "reasoning_tokens": int(
            _dict(usage.get("output_tokens_details")).get("reasoning_tokens") or 0
        ),
        "cached_tokens": int(_dict(usage.get("input_tokens_details")).get("cached_tokens") or 0),
    }
    error = _dict(body.get("error"))
    return Result(
        custom_id,
        str(body.get("status") or OK),
        answer="".join(texts),
        usage=counts,
        error_code=str(error.get("code") or ""),
        error=str(error.get("message") or ""),
        response_id=str(body.get("id") or ""),
        model=str(body.get("model") or ""),
        tier=str(body.get("service_tier") or ""),
    )


def _dict(value: Any) -> dict[str, Any]:
    return value if type(value) is dict else _EMPTY


_EMPTY: dict[str, Any] = {}


def read_entries(path: Path) -> Iterator[Result]:
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as file:
        for line in file:
            if line.strip():
                yield parse_entry(json.loads(line))


def merge(results: dict[str, Result], new: Iterable[Result]) -> None:
    """Later results win, except that a failure never replaces a success."""
    for result in new:
        old = results.get(result.custom_id)
        if old is not None and old.status == OK and result.status != OK:
            continue
        results[result.custom_id] = result


def join(rows: Sequence[Row], results: Mapping[str, Result], missing: str) -> list[Result]:
    """One result per row, in input order; a row without one gets status ``missing``."""
    return [results.get(row.custom_id) or Result(row.custom_id, missing) for row in rows]


def unfinished(rows: Sequence[Row], joined: Sequence[Result]) -> list[Row]:
    """The rows whose result is not a success (what --retry-failed sends again)."""
    return [row for row, result in zip(rows, joined, strict=True) if result.status != OK]


Pricer = Callable[[Result], "float | None"]


def pricer(prices: PriceTable, deployment: str, *, batch: bool) -> Pricer:
    """A line's cost: the batch rate (``batch``) or the tier that answered it (--live)."""
    rates: dict[tuple[str, str], tuple[Price | None, float]] = {}  # (model, tier) -> price

    def cost(result: Result) -> float | None:
        if not result.usage or not result.response_id:
            return None
        key = (result.model, "" if batch else result.tier)
        if key not in rates:
            rates[key] = (
                prices.price_for(deployment, result.model or None),
                prices.multiplier(key[1] or None, batch=batch),
            )
        price, multiplier = rates[key]
        if price is None:
            return None
        usage = Usage(**{name: int(result.usage.get(name, 0)) for name in _USAGE})
        return round(usage_cost(usage, price) * multiplier, 10)

    return cost


def record(row: Row, result: Result, cost: Pricer | None = None) -> dict[str, Any]:
    values: dict[str, Any] = {
        "line": row.line,
        "custom_id": row.custom_id,
        "status": result.status,
        "answer": result.answer,
        **{name: result.usage.get(name, 0) for name in _USAGE},
        "cost_usd": cost(result) if cost is not None else None,
        "error_code": result.error_code,
        "error": result.error,
        "response_id": result.response_id,
    }
    if row.prompt is not None:
        values["prompt"] = row.prompt
    if row.metadata:
        values["metadata"] = dict(row.metadata)
    return values


def write_results(
    path: Path | None,
    stdout: IO[str],
    rows: Sequence[Row],
    joined: Sequence[Result],
    cost: Pricer | None = None,
) -> None:
    """JSONL (to ``path`` or stdout) or CSV (a ``.csv``/``.tsv`` path), never over a file."""
    with _target(path, stdout) as file:
        suffix = path.suffix.lower() if path is not None else ""
        if suffix in (".csv", ".tsv"):
            _write_table(file, rows, joined, "\t" if suffix == ".tsv" else ",", cost)
            return
        for row, result in zip(rows, joined, strict=True):
            file.write(json.dumps(record(row, result, cost), ensure_ascii=False) + "\n")


@contextlib.contextmanager
def _target(path: Path | None, stdout: IO[str]) -> Iterator[IO[str]]:
    if path is None:
        yield stdout
        return
    try:
        file = path.open("x", encoding="utf-8", newline="")
    except FileExistsError:
        raise UsageError(
            f"{path} exists; azresp does not overwrite it", hint="choose another -o path"
        ) from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot create it ({exc.strerror or exc})") from None
    with file:
        yield file


def _write_table(
    file: IO[str], rows: Sequence[Row], joined: Sequence[Result], sep: str, cost: Pricer | None
) -> None:
    extra: list[str] = []
    for row in rows:
        extra.extend(name for name in row.metadata if name not in extra)
    has_prompt = any(row.prompt is not None for row in rows)
    names = [*COLUMNS[:2], *extra, *(["prompt"] if has_prompt else []), *COLUMNS[2:]]
    writer = csv.DictWriter(file, fieldnames=names, delimiter=sep, extrasaction="ignore")
    writer.writeheader()
    for row, result in zip(rows, joined, strict=True):
        values = record(row, result, cost)
        values.update(values.pop("metadata", {}))
        values["cost_usd"] = _decimal(values["cost_usd"])
        writer.writerow(values)


def _decimal(amount: float | None) -> str:
    """A cost for a spreadsheet: plain decimals (1.6875e-05 would read as text or worse)."""
    return "" if amount is None else f"{amount:.10f}".rstrip("0").rstrip(".")
