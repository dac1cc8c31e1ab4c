"""Reading what the user hands azresp (attachments, uploads, piped stdin), always bounded.

A path must name a regular file: ``/dev/zero``, a FIFO, a socket or a symlink to a device would
otherwise be read forever (or block forever). The file is opened with ``O_NONBLOCK`` and checked
with ``fstat`` on the open descriptor, so a FIFO never blocks and the file checked is the file
read. The size reported by ``stat`` is not trusted either: at most ``limit + 1`` bytes are ever
read, in chunks, so a file that grows while it is read is still refused, and Ctrl-C stops a
read between two chunks.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from azresp_cli.core.errors import UsageError

CHUNK = 1024 * 1024
MAX_PIPED_CHARS = 10_000_000  # piped stdin: already far beyond any deployment's context


def size_text(count: int) -> str:
    """A size as the README states limits: decimal units (1 MB = 1,000,000 bytes)."""
    if count < 1000:
        return f"{count} B"
    unit, scale = ("kB", 1e3) if count < 1e6 else ("MB", 1e6) if count < 1e9 else ("GB", 1e9)
    return f"{count / scale:.1f}".removesuffix(".0") + f" {unit}"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


@contextlib.contextmanager
def open_regular(path: Path, label: str | None = None) -> Iterator[tuple[int, int]]:
    """Open ``path`` for reading when it is a regular file: yields (descriptor, size).

    Raises UsageError (exit 2) for a missing, unreadable or special file, without blocking."""
    shown = label or str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise UsageError(f"{shown}: no such file", hint="check the path") from None
    except OSError as exc:
        raise UsageError(
            f"{shown}: cannot read it ({exc.strerror or exc})", hint="check its permissions"
        ) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = _kind(info.st_mode)
            hint = (
                "attach the files in it one by one"
                if kind == "a directory"
                else "azresp reads regular files only; copy what you need into a file"
            )
            raise UsageError(f"{shown} is {kind}", hint=hint)
        yield fd, info.st_size
    finally:
        os.close(fd)


def too_large(label: str, size: int | None, limit: int, hint: str) -> UsageError:
    known = f"{size_text(size)}; " if size is not None else ""
    return UsageError(f"{label} is too large ({known}at most {size_text(limit)})", hint=hint)


def read_bounded(
    path: Path,
    limit: int,
    *,
    label: str | None = None,
    hint: str = "attach a smaller file or an excerpt",
) -> bytes:
    """The content of the regular file ``path``; UsageError past ``limit`` bytes."""
    shown = label or str(path)
    with open_regular(path, shown) as (fd, size):
        if size > limit:
            raise too_large(shown, size, limit, hint)
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            try:
                chunk = os.read(fd, min(CHUNK, limit + 1 - total))
            except OSError as exc:
                raise UsageError(
                    f"{shown}: cannot read it ({exc.strerror or exc})", hint="check the file"
                ) from None
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise too_large(shown, None, limit, hint)
        return b"".join(chunks)


def regular_size(path: Path, limit: int, *, label: str | None = None, hint: str) -> int:
    """The size of the regular, readable file ``path``; UsageError past ``limit`` bytes."""
    shown = label or str(path)
    with open_regular(path, shown) as (_fd, size):
        if size > limit:
            raise too_large(shown, size, limit, hint)
        return size


def read_piped(stream: TextIO, limit: int = MAX_PIPED_CHARS) -> str:
    """Piped stdin, at most ``limit`` characters; UsageError when more is waiting."""
    parts: list[str] = []
    total = 0
    while total <= limit:
        part = stream.read(min(CHUNK, limit + 1 - total))
        if not part:
            break
        parts.append(part)
        total += len(part)
    if total > limit:
        raise UsageError(
            f"stdin holds more than {size_text(limit)}; azresp reads at most that from a pipe",
            hint="pipe an excerpt (e.g. `tail -c 1000000 big.log | azresp chat ...`), "
            "or attach a file with -a",
        )
    return "".join(parts)
