"""The ids a user types (response, file, container ids), checked before they reach a URL.

The SDK percent-encodes path segments, but a server or proxy that decodes ``%2F`` would still
route ``../responses/resp_x`` to another resource. Every id the service hands out is made of
letters, digits, ``_`` and ``-`` (``resp_68af...``, ``assistant-Ab12...``, ``file-...``,
``cntr_...``), so anything else is refused here, with exit 2, before any request.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from azresp_cli.core.errors import AzrespError, NotFoundError, UsageError, classify

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,255}")
_HINTS = {
    "response": "response ids look like resp_68af...; `azresp history list` shows yours",
    "file": "file ids look like assistant-Ab12... or file-...; `azresp files list` shows them",
}


def check_id(value: str, kind: str = "response") -> str:
    """``value`` when it is a well-formed id; UsageError (exit 2) otherwise."""
    if _ID.fullmatch(value):
        return value
    shown = value if len(value) <= 80 and value.isprintable() else repr(value[:80])
    raise UsageError(
        f"'{shown}' is not a valid {kind} id (letters, digits, _ and - only)",
        hint=_HINTS.get(kind, f"check the {kind} id"),
    )


def delete_each(
    ids: Sequence[str],
    delete: Callable[[str], None],
    *,
    deleted: Callable[[str], None],
    failed: Callable[[AzrespError], None],
    what: str = "response",
) -> None:
    """Delete every id, even after one was missing or malformed: each failure is reported
    through ``failed`` and the others still run. Raises at the end when any failed: exit 4
    when one was not found, else 2. An error that would fail every id (auth, network, the
    service down) stops at once."""
    if len(ids) == 1:  # one id: its own error is the whole story
        delete(check_id(ids[0], what))
        deleted(ids[0])
        return
    failures: list[AzrespError] = []
    for value in ids:
        try:
            delete(value)
        except Exception as exc:
            error = classify(exc)
            if not (isinstance(error, NotFoundError) or type(error) is UsageError):
                raise error from exc
            failed(error)
            failures.append(error)
            continue
        deleted(value)
    if not failures:
        return
    kind = NotFoundError if any(isinstance(e, NotFoundError) for e in failures) else UsageError
    others = "; the others were deleted" if len(failures) < len(ids) else ""
    raise kind(
        f"{len(failures)} of {len(ids)} {what}s not deleted",
        hint=f"each failure is shown above{others}",
    )
