"""Saving what tools produce: generated images and the files code interpreter cites.

Files go into the output directory and never over an existing file: ``chart.png``, then
``chart-1.png``, ``chart-2.png`` ... The name is claimed with ``O_EXCL``, so two azresp runs
writing into one directory cannot overwrite each other either.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from azresp_cli.core.errors import AzrespError, UsageError, classify
from azresp_cli.core.events import FileSaved

if TYPE_CHECKING:
    from openai import OpenAI

_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")
_IMAGE_FORMATS = {"png": ".png", "jpeg": ".jpg", "webp": ".webp"}
_MAX_TRIES = 10_000


def save_bytes(directory: Path, filename: str, data: bytes) -> Path:
    """Write ``data`` as ``filename`` in ``directory`` (created if missing), never overwriting."""
    name = safe_filename(filename)
    stem, suffix = os.path.splitext(name)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(
            f"cannot create the output directory {directory}: {exc.strerror or exc}",
            hint="pass another -o/--output-dir",
        ) from None
    for number in range(_MAX_TRIES):
        candidate = directory / (name if number == 0 else f"{stem}-{number}{suffix}")
        try:
            descriptor = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            continue
        except OSError as exc:
            raise UsageError(
                f"cannot write {candidate}: {exc.strerror or exc}",
                hint="pass another -o/--output-dir",
            ) from None
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        return candidate
    raise UsageError(f"too many files named like {name} in {directory}")


def safe_filename(filename: str) -> str:
    """A plain file name from a name the service chose: no directories, no odd characters."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _UNSAFE.sub("_", base).strip(" .")
    return cleaned or "file"


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
        try:
            content = client.containers.files.content.retrieve(
                file_id, container_id=str(note["container_id"])
            )
            data = content.read()
        except Exception as exc:
            error = classify(exc)
            error.message = f"cannot download {note.get('filename') or file_id}: {error.message}"
            raise error from exc
        path = save_bytes(directory, str(note.get("filename") or file_id), data)
        yield FileSaved(str(path), "container_file", file_id)
