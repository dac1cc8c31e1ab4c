"""Reading a user's text file with a size limit: schema files, fragments, templates.

One read of at most ``limit + 1`` bytes, so a huge file (or /dev/zero) is refused without
reading it whole; errors are UsageErrors that name the file.
"""

from __future__ import annotations

from pathlib import Path

from azresp_cli.core.errors import UsageError


def read_text_limited(path: Path, limit: int, *, what: str = "file") -> str:
    """The UTF-8 text of ``path``; raises UsageError when it is missing, too large or binary."""
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise UsageError(f"{what} {path} does not exist") from None
    except IsADirectoryError:
        raise UsageError(f"{what} {path} is a directory") from None
    except OSError as error:
        raise UsageError(f"cannot read {what} {path}: {error.strerror or error}") from None
    if len(data) > limit:
        raise UsageError(
            f"{what} {path} is too large (more than {_size(limit)})",
            hint="use a smaller file",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{what} {path} is not UTF-8 text") from None


def _size(count: int) -> str:
    if count >= 1_000_000:
        return f"{count / 1_000_000:g} MB"
    if count >= 1_000:
        return f"{count / 1_000:g} KB"
    return f"{count} bytes"
