"""Reading a user's text file with a size limit: schema files, fragments, templates.

Built on core/input_files.py: regular files only (a FIFO or /dev/zero is refused at once), at most
``limit + 1`` bytes read; errors are UsageErrors that name the file.
"""

from __future__ import annotations

from pathlib import Path

from azresp_cli.core.errors import UsageError
from azresp_cli.core.input_files import read_bounded


def read_text_limited(path: Path, limit: int, *, what: str = "file") -> str:
    """The UTF-8 text of ``path``; raises UsageError when it is missing, too large or binary."""
    if not path.exists():
        raise UsageError(f"{what} {path} does not exist", hint="check the path")
    data = read_bounded(path, limit, label=f"{what} {path}", hint="use a smaller file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{what} {path} is not UTF-8 text") from None
