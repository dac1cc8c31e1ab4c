"""A batch as the service describes it (the Batch object), reduced to what azresp shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

TERMINAL = frozenset({"completed", "failed", "expired", "cancelled"})


@dataclass(frozen=True)
class BatchInfo:
    batch_id: str
    status: str
    total: int
    completed: int
    failed: int
    output_file_id: str | None
    error_file_id: str | None
    created_at: int
    errors: tuple[str, ...] = ()

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL


def batch_info(data: dict[str, Any]) -> BatchInfo:
    counts = data.get("request_counts") or {}
    errors = (data.get("errors") or {}).get("data") or ()
    return BatchInfo(
        batch_id=str(data["id"]),
        status=str(data["status"]),
        total=int(counts.get("total") or 0),
        completed=int(counts.get("completed") or 0),
        failed=int(counts.get("failed") or 0),
        output_file_id=data.get("output_file_id"),
        error_file_id=data.get("error_file_id"),
        created_at=int(data.get("created_at") or 0),
        errors=tuple(
            f"line {error.get('line')}: {error.get('message')}"
            if error.get("line")
            else str(error.get("message"))
            for error in errors
        ),
    )
