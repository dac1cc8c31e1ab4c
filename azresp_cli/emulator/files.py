"""Uploaded files (the Files API), kept with their bytes: in memory, or in the state directory.

Ids look like Azure's (`assistant-` and 22 letters and digits); the FileObject fields
follow spec 2.3.0's `OpenAIFile`. `expires_at` and `status_details` are left out rather
than sent as null, because the spec types them as an integer and a string.
"""

from __future__ import annotations

import mimetypes
import time
from dataclasses import dataclass
from typing import Any

from azresp_cli.emulator import ids
from azresp_cli.emulator.objects import Json
from azresp_cli.emulator.statedb import StateDb

PURPOSES = ("assistants", "batch", "fine-tune", "vision", "user_data", "evals")


@dataclass(frozen=True)
class FileRecord:
    file_id: str
    filename: str
    purpose: str
    data: bytes
    created_at: int
    expires_at: int | None = None
    size: int | None = None  # len(data), when a listing leaves the bytes out

    @property
    def media_type(self) -> str:
        return media_type(self.filename, self.data)

    def to_json(self) -> Json:
        body: Json = {
            "id": self.file_id,
            "object": "file",
            "bytes": len(self.data) if self.size is None else self.size,
            "created_at": self.created_at,
            "filename": self.filename,
            "purpose": self.purpose,
            "status": "processed",  # deprecated but required by the spec
        }
        if self.expires_at is not None:
            body["expires_at"] = self.expires_at
        return body


class FileStore:
    """The files of an emulator without a state directory: in memory while it runs."""

    def __init__(self) -> None:
        self._files: dict[str, FileRecord] = {}

    def add(
        self, filename: str, purpose: str, data: bytes, expires_after: int | None = None
    ) -> FileRecord:
        record = new_file(filename, purpose, data, expires_after)
        self._files[record.file_id] = record
        return record

    def get(self, file_id: str) -> FileRecord | None:
        return self._files.get(file_id)

    def remove(self, file_id: str) -> FileRecord | None:
        return self._files.pop(file_id, None)

    def all(self) -> list[FileRecord]:
        """Every file, oldest first (their bytes may be left out: `size` tells their length)."""
        return list(self._files.values())

    def clear(self) -> None:
        self._files.clear()


class KeptFileStore(FileStore):
    """The files of a state directory, shared by the processes using it; none kept in memory."""

    def __init__(self, db: StateDb) -> None:
        super().__init__()
        self.db = db

    def add(
        self, filename: str, purpose: str, data: bytes, expires_after: int | None = None
    ) -> FileRecord:
        record = new_file(filename, purpose, data, expires_after)
        self.db.execute(
            "INSERT INTO files (id, filename, purpose, created_at, expires_at, data)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (record.file_id, filename, purpose, record.created_at, record.expires_at, data),
        )
        return record

    def get(self, file_id: str) -> FileRecord | None:
        rows = self.db.query(
            "SELECT id, filename, purpose, created_at, expires_at, data FROM files WHERE id = ?",
            (file_id,),
        )
        return _from_row(rows[0], data=bytes(rows[0][5])) if rows else None

    def remove(self, file_id: str) -> FileRecord | None:
        record = self.get(file_id)
        self.db.execute("DELETE FROM files WHERE id = ?", (file_id,))
        return record

    def all(self) -> list[FileRecord]:
        rows = self.db.query(
            "SELECT id, filename, purpose, created_at, expires_at, length(data)"
            " FROM files ORDER BY rowid"
        )
        return [_from_row(row, data=b"", size=int(row[5])) for row in rows]

    def clear(self) -> None:
        self.db.execute("DELETE FROM files")


def _from_row(row: tuple[Any, ...], data: bytes, size: int | None = None) -> FileRecord:
    file_id, filename, purpose, created_at, expires_at = row[:5]
    return FileRecord(file_id, filename, purpose, data, created_at, expires_at, size)


def new_file(
    filename: str, purpose: str, data: bytes, expires_after: int | None = None
) -> FileRecord:
    now = int(time.time())
    return FileRecord(
        file_id=ids.file_id(),
        filename=filename,
        purpose=purpose,
        data=data,
        created_at=now,
        expires_at=None if expires_after is None else now + expires_after,
    )


def media_type(filename: str, data: bytes) -> str:
    """The MIME type from the content's magic bytes, else from the file name."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    guessed, _ = mimetypes.guess_type(filename)
    return guessed or "application/octet-stream"


_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
)
