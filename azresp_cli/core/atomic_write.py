"""Replace a file's content all at once: readers see the old file or the new one, never half.

The text goes to a temporary file in the same directory, is flushed to disk, then renamed over
the target (``os.replace`` is atomic on POSIX and Windows). The temporary file is created 0600
by ``mkstemp``; the final mode is ``mode``, else the old file's, else 0644 less the umask.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def write_atomic(path: Path, text: str, *, mode: int | None = None) -> None:
    """Write ``text`` to ``path`` atomically, creating its directory (0700) when missing."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if mode is None:
        mode = _existing_mode(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _existing_mode(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o644 & ~umask
