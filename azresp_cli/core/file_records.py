"""A file of the Files API as azresp shows it (no SDK import, so render can use it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FileInfo:
    id: str
    filename: str
    bytes: int
    purpose: str
    created_at: int | None = None
    status: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


def file_info(data: Mapping[str, Any]) -> FileInfo:
    return FileInfo(
        id=str(data.get("id", "")),
        filename=str(data.get("filename", "")),
        bytes=int(data.get("bytes") or 0),
        purpose=str(data.get("purpose", "")),
        created_at=data.get("created_at"),
        status=data.get("status"),
        raw=data,
    )
