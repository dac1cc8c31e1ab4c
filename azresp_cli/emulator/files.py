"""Uploaded files (the Files API), kept in memory with their bytes.

Ids look like Azure's (`assistant-` and 22 letters and digits); the FileObject fields
follow spec 2.3.0's `OpenAIFile`. `expires_at` and `status_details` are left out rather
than sent as null, because the spec types them as an integer and a string.
"""

from __future__ import annotations

import mimetypes
import time
from dataclasses import dataclass

from azresp_cli.emulator import ids
from azresp_cli.emulator.objects import Json

PURPOSES = ("assistants", "batch", "fine-tune", "vision", "user_data", "evals")


@dataclass(frozen=True)
class FileRecord:
    file_id: str
    filename: str
    purpose: str
    data: bytes
    created_at: int
    expires_at: int | None = None

    @property
    def media_type(self) -> str:
        return media_type(self.filename, self.data)

    def to_json(self) -> Json:
        body: Json = {
            "id": self.file_id,
            "object": "file",
            "bytes": len(self.data),
            "created_at": self.created_at,
            "filename": self.filename,
            "purpose": self.purpose,
            "status": "processed",  # deprecated but required by the spec
        }
        if self.expires_at is not None:
            body["expires_at"] = self.expires_at
        return body


class FileStore:
    def __init__(self) -> None:
        self._files: dict[str, FileRecord] = {}

    def add(
        self, filename: str, purpose: str, data: bytes, expires_after: int | None = None
    ) -> FileRecord:
        now = int(time.time())
        record = FileRecord(
            file_id=ids.file_id(),
            filename=filename,
            purpose=purpose,
            data=data,
            created_at=now,
            expires_at=None if expires_after is None else now + expires_after,
        )
        self._files[record.file_id] = record
        return record

    def get(self, file_id: str) -> FileRecord | None:
        return self._files.get(file_id)

    def remove(self, file_id: str) -> FileRecord | None:
        return self._files.pop(file_id, None)

    def all(self) -> list[FileRecord]:
        """Every file, oldest first."""
        return list(self._files.values())

    def clear(self) -> None:
        self._files.clear()


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
