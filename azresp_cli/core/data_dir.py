"""A data directory that cannot be written is reported once per process, not once per user.

The history (core/safe_history.py) and the ``--emulator``'s saved state both live in the data
dir. When it cannot be written (a read-only disk, a file where a directory should be), the first
to find out says so in one warning naming everything that is not kept; the others stay quiet.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

_REPORTED: set[Path] = set()


def report_unwritable(data_dir: Path, reason: str, warn: Callable[[str], None]) -> None:
    """Warn once that ``data_dir`` cannot be written, so nothing is kept there this time."""
    if data_dir in _REPORTED:
        return
    _REPORTED.add(data_dir)
    warn(
        f"cannot write the data directory {data_dir} ({reason}); "
        "this command keeps nothing there (no history, no emulator state)"
    )


def already_reported(path: Path) -> bool:
    """Whether ``path`` lies in a data directory already reported as unwritable."""
    return any(path == d or d in path.parents for d in _REPORTED)
