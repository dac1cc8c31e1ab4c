"""The Files API (flows.md §11): upload, list, download, delete.

Uploads stream from disk through a reader that reports progress, so ``azresp files upload`` can
draw a bar for a large file while httpx sends it chunk by chunk.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from azresp_cli.core.errors import AzrespError, UsageError, classify
from azresp_cli.core.file_records import FileInfo, file_info

if TYPE_CHECKING:
    from openai import OpenAI

# The Files API's limit for one file (OpenAI and Azure: 512 MB).
MAX_UPLOAD_BYTES = 512 * 1024 * 1024
PURPOSES = ("assistants", "user_data", "batch", "fine-tune", "vision", "evals")

Progress = Callable[[int, int], None]  # (bytes sent so far, total)


def upload_file(
    client: OpenAI, path: Path, purpose: str = "assistants", *, progress: Progress | None = None
) -> FileInfo:
    """Upload ``path``; raises UsageError for a missing, unreadable or too large file."""
    size = check_upload(path)
    try:
        with path.open("rb") as file:
            reader = _ProgressReader(file, size, progress)
            created = client.files.create(file=(path.name, reader), purpose=purpose)  # type: ignore[arg-type]
    except OSError as exc:
        raise UsageError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    except AzrespError:
        raise
    except Exception as exc:
        raise classify(exc) from exc
    return file_info(created.to_dict())


def check_upload(path: Path) -> int:
    """The size of a file about to be uploaded; UsageError when it cannot be."""
    if not path.exists():
        raise UsageError(f"{path}: no such file")
    if path.is_dir():
        raise UsageError(f"{path} is a directory", hint="upload the files in it one by one")
    try:
        size = path.stat().st_size
        with path.open("rb"):
            pass
    except OSError as exc:
        raise UsageError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    if size > MAX_UPLOAD_BYTES:
        raise UsageError(f"{path} is larger than the Files API's 512 MB limit")
    return size


def list_files(client: OpenAI, *, purpose: str | None = None) -> list[FileInfo]:
    """Every uploaded file (the SDK follows the pages)."""
    try:
        page = client.files.list(purpose=purpose) if purpose else client.files.list()
        return [file_info(item.to_dict()) for item in page]
    except Exception as exc:
        raise classify(exc) from exc


def delete_file(client: OpenAI, file_id: str) -> None:
    try:
        client.files.delete(file_id)
    except Exception as exc:
        raise classify(exc) from exc


def download_file(client: OpenAI, file_id: str) -> bytes:
    """The content of an uploaded file."""
    try:
        return client.files.content(file_id).read()
    except Exception as exc:
        raise classify(exc) from exc


class _ProgressReader(io.RawIOBase):
    """A binary reader that reports how much of the file has been read (sent)."""

    def __init__(self, file: io.BufferedReader, total: int, progress: Progress | None) -> None:
        self._file = file
        self._total = total
        self._progress = progress
        self._sent = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        # httpx rewinds before sending (and the SDK may send again on a retry).
        position = self._file.seek(offset, whence)
        self._sent = position
        return position

    def tell(self) -> int:
        return self._file.tell()

    def readinto(self, buffer: Any) -> int:
        count: int = self._file.readinto(buffer)
        self._sent += count
        if self._progress is not None:
            self._progress(min(self._sent, self._total), self._total)
        return count

    def read(self, size: int = -1) -> bytes:
        data = self._file.read(size)
        self._sent += len(data)
        if self._progress is not None and data:
            self._progress(min(self._sent, self._total), self._total)
        return data
