"""The Files API (docs/protocol.md §11): upload, list, download, delete.

Uploads stream from disk through a reader that reports progress, so ``azresp files upload`` can
draw a bar for a large file while httpx sends it chunk by chunk. Downloads stream to disk too:
memory stays bounded whatever the file's size.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from azresp_cli.core.errors import AzrespError, UsageError, classify
from azresp_cli.core.file_records import FileInfo, file_info
from azresp_cli.core.ids import check_id
from azresp_cli.core.input_files import CHUNK, open_regular, regular_size, too_large
from azresp_cli.core.outputs import broken_download, save_stream

if TYPE_CHECKING:
    from openai import OpenAI

# The Files API's limit for one file (OpenAI and Azure: 512 MB).
MAX_UPLOAD_BYTES = 512 * 1024 * 1024
PURPOSES = ("assistants", "user_data", "batch", "fine-tune", "vision", "evals")

Progress = Callable[[int, int], None]  # (bytes sent so far, total)


def upload_file(
    client: OpenAI, path: Path, purpose: str = "assistants", *, progress: Progress | None = None
) -> FileInfo:
    """Upload ``path``; raises UsageError for a missing, special, unreadable or too large file.

    The file is opened once (a regular file, checked on the open descriptor) and sent from that
    descriptor, never more than the size it had when checked."""
    try:
        with open_regular(path) as (fd, size):
            if size > MAX_UPLOAD_BYTES:
                raise _too_large(path, size)
            with os.fdopen(os.dup(fd), "rb") as file:
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
    return regular_size(
        path, MAX_UPLOAD_BYTES, hint="the Files API takes files up to 512 MB; split it"
    )


def _too_large(path: Path, size: int) -> UsageError:
    return too_large(str(path), size, MAX_UPLOAD_BYTES, "the Files API takes files up to 512 MB")


def list_files(client: OpenAI, *, purpose: str | None = None) -> list[FileInfo]:
    """Every uploaded file (the SDK follows the pages)."""
    try:
        page = client.files.list(purpose=purpose) if purpose else client.files.list()
        return [file_info(item.to_dict()) for item in page]
    except Exception as exc:
        raise classify(exc) from exc


def delete_file(client: OpenAI, file_id: str) -> None:
    check_id(file_id, "file")
    try:
        client.files.delete(file_id)
    except Exception as exc:
        raise classify(exc) from exc


def download_file(client: OpenAI, file_id: str, target: Path) -> tuple[Path, int]:
    """Stream an uploaded file's content to ``target`` (a directory: saved as the id in it),
    never over an existing file; returns the path written and its size."""
    check_id(file_id, "file")
    directory, name = (target, file_id) if target.is_dir() else (target.parent, target.name)
    try:
        with client.files.with_streaming_response.content(file_id) as response:
            return save_stream(directory, name, response.iter_bytes(CHUNK))
    except AzrespError:
        raise
    except Exception as exc:
        raise broken_download(exc) from exc


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
        left = max(self._total - self._sent, 0)  # never more than the size that was checked
        count: int = self._file.readinto(memoryview(buffer)[:left])
        self._sent += count
        if self._progress is not None:
            self._progress(min(self._sent, self._total), self._total)
        return count

    def read(self, size: int = -1) -> bytes:
        left = max(self._total - self._sent, 0)  # never more than the size that was checked
        data = self._file.read(left if size < 0 else min(size, left))
        self._sent += len(data)
        if self._progress is not None and data:
            self._progress(min(self._sent, self._total), self._total)
        return data
