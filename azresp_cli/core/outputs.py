"""Saving what tools produce: generated images and the files code interpreter cites.

Files go into the output directory and never over an existing file: ``chart.png``, then
``chart-1.png``, ``chart-2.png`` ... Content is streamed to a temporary file and then linked
under its name; ``link`` fails on an existing name, so two azresp runs writing into one directory
cannot overwrite each other either.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from azresp_cli.core.errors import AzrespError, NetworkError, UsageError, classify
from azresp_cli.core.events import FileSaved

if TYPE_CHECKING:
    from openai import OpenAI

_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")
_IMAGE_FORMATS = {"png": ".png", "jpeg": ".jpg", "webp": ".webp"}
_MAX_TRIES = 10_000
_CHUNK = 1024 * 1024


def save_bytes(directory: Path, filename: str, data: bytes) -> Path:
    """Write ``data`` as ``filename`` in ``directory`` (created if missing), never overwriting."""
    return save_stream(directory, filename, iter((data,)))[0]


def save_stream(directory: Path, filename: str, chunks: Iterable[bytes]) -> tuple[Path, int]:
    """Write ``chunks`` as ``filename`` in ``directory``, never overwriting; (path, size).

    The bytes go to a hidden temporary file first, so memory stays bounded whatever the size and
    a broken download leaves nothing behind; the finished file is then hard-linked under the
    first free name (``link`` never replaces an existing file, not even a symlink's target)."""
    name = safe_filename(filename)
    stem, suffix = os.path.splitext(name)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=".azresp-", suffix=".part", dir=directory)
    except OSError as exc:
        raise UsageError(
            f"cannot write into {directory}: {exc.strerror or exc}",
            hint="pass another -o/--output-dir",
        ) from None
    try:
        os.fchmod(descriptor, 0o644 & ~_umask())
        size = 0
        with os.fdopen(descriptor, "wb") as file:
            for chunk in chunks:
                file.write(chunk)
                size += len(chunk)
        return _link_free_name(Path(temporary), directory, stem, suffix), size
    except OSError as exc:
        raise UsageError(
            f"cannot write into {directory}: {exc.strerror or exc}",
            hint="pass another -o/--output-dir, or free some space",
        ) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _link_free_name(temporary: Path, directory: Path, stem: str, suffix: str) -> Path:
    for number in range(_MAX_TRIES):
        candidate = directory / (f"{stem}{suffix}" if number == 0 else f"{stem}-{number}{suffix}")
        try:
            os.link(temporary, candidate, follow_symlinks=False)
        except FileExistsError:
            continue
        return candidate
    raise UsageError(f"too many files named like {stem}{suffix} in {directory}")


def _umask() -> int:
    # Read, not set-and-restore: os.umask would race with other threads creating files.
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    return 0o022


def safe_filename(filename: str) -> str:
    """A plain file name from a name the service chose: no directories, no odd characters."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _UNSAFE.sub("_", base).strip(" .")
    return cleaned or "file"


def broken_download(exc: BaseException) -> AzrespError:
    """What a failed download is: httpx's errors while the body streams are network errors."""
    if type(exc).__module__.split(".")[0] in ("httpx", "httpx2", "httpcore", "httpcore2"):
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return NetworkError(f"the download broke off: {reason}", hint="nothing was saved; retry")
    return classify(exc)


def save_images(output: tuple[Mapping[str, Any], ...], directory: Path) -> Iterator[FileSaved]:
    """Save each generated image of a response's output (base64 in ``result``)."""
    for item in output:
        if item.get("type") != "image_generation_call" or not item.get("result"):
            continue
        try:
            data = base64.b64decode(str(item["result"]), validate=True)
        except (binascii.Error, ValueError):
            raise AzrespError(
                "the service sent an image that is not valid base64",
                hint="retry; rerun with --debug to see the response",
            ) from None
        extension = _IMAGE_FORMATS.get(str(item.get("output_format") or "png"), ".png")
        path = save_bytes(directory, f"image{extension}", data)
        yield FileSaved(str(path), "image", str(item.get("id", "")))


def cited_container_files(output: tuple[Mapping[str, Any], ...]) -> list[Mapping[str, Any]]:
    """The container_file_citation annotations of a response's messages, each file once."""
    seen: set[tuple[str, str]] = set()
    citations: list[Mapping[str, Any]] = []
    for item in output:
        if item.get("type") != "message":
            continue
        for part in item.get("content") or ():
            for note in part.get("annotations") or () if isinstance(part, Mapping) else ():
                if not isinstance(note, Mapping) or note.get("type") != "container_file_citation":
                    continue
                key = (str(note.get("container_id")), str(note.get("file_id")))
                if key not in seen:
                    seen.add(key)
                    citations.append(note)
    return citations


def download_cited_files(
    client: OpenAI, output: tuple[Mapping[str, Any], ...], directory: Path
) -> Iterator[FileSaved]:
    """Download every container file the answer cites into ``directory``."""
    for note in cited_container_files(output):
        file_id = str(note["file_id"])
        name = str(note.get("filename") or file_id)
        try:
            with client.containers.files.content.with_streaming_response.retrieve(
                file_id, container_id=str(note["container_id"])
            ) as response:
                path, _size = save_stream(directory, name, response.iter_bytes(_CHUNK))
        except AzrespError:
            raise
        except Exception as exc:
            error = broken_download(exc)
            error.message = f"cannot download {note.get('filename') or file_id}: {error.message}"
            raise error from exc
        yield FileSaved(str(path), "container_file", file_id)
