"""What a failed request's headers and body say beyond its status: hints that name the
missing thing or the refused credential, content-filter categories, the time to wait.

Pure functions of the SDK's request and response (core/errors.py builds the errors from them);
nothing here knows the error classes.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any


def not_found_hint(request: Any) -> str | None:
    """A 404 names the command that lists what exists, by what was asked for (None: the
    generic hint)."""
    try:
        path = str(request.url.path)
    except AttributeError:
        path = ""
    if "/containers/" in path and "/files" in path:
        return "check the container and file ids; the answer that made the file names both"
    if "/containers/" in path:
        return "check the container id; containers expire after 20 minutes without use"
    if "/files/" in path:
        return "check the id; `azresp files list` lists the uploaded files"
    return None


def deployment_hint(request: Any) -> str:
    """Name the deployment that was asked for (the request's ``model``) and how to change it."""
    try:
        model = json.loads(request.content).get("model")
    except (AttributeError, TypeError, ValueError):
        model = None
    where = "-m/--model, AZURE_OPENAI_DEPLOYMENT or `azresp config set deployment NAME`"
    if isinstance(model, str) and model:
        return f"this resource has no deployment named '{model}'; set the right one with {where}"
    return f"check the deployment name: {where}"


# What the client was given last: ("api_key", "AZURE_OPENAI_API_KEY" | "keyring" | ...) or
# ("entra_id", credential class). Process-wide, as core/redact.py's secrets are: the SDK's
# request object does not show which one was sent, and a 401's hint depends on it.
_credential_in_use: tuple[str, str] | None = None


def note_credential(kind: str, source: str) -> None:
    """Called by core/auth.py when it hands a credential to a client."""
    global _credential_in_use
    _credential_in_use = (kind, source)


def credential_hint(status: int) -> str | None:
    """What to do about a 401/403, by what was sent: an api key, or an Entra ID token (None:
    nothing was noted)."""
    if _credential_in_use is None:
        return None
    kind, source = _credential_in_use
    if kind == "entra_id":
        if status == 403:
            return (
                "the identity signed in has no access: give it the 'Cognitive Services OpenAI "
                "User' role on the resource"
            )
        return f"the Microsoft Entra ID token ({source}) was refused: check the tenant"
    where = {"keyring": "the system keyring", "file": "the credentials file"}.get(source, source)
    return (
        f"the api key from {where} was refused: check that it is a key of this resource "
        "(`azresp auth status` shows where it comes from)"
    )


def filtered_categories(body: dict[str, Any]) -> tuple[str, ...]:
    """The content-filter categories Azure marked as filtered, in either of its spellings."""
    inner = body.get("innererror") or {}
    results = inner.get("content_filter_result") or inner.get("content_filter_results") or {}
    return filtered_results(results)


def response_filtered_categories(response: Mapping[str, Any]) -> tuple[str, ...]:
    """The categories a Response's ``content_filters`` (Azure's addition) marked as filtered.

    The entries' exact shape on /responses is unconfirmed (docs/protocol.md §8); this reads the
    per-category ``content_filter_results`` Azure uses elsewhere and ignores anything else."""
    found: list[str] = []
    for entry in response.get("content_filters") or ():
        if isinstance(entry, Mapping):
            found += [
                c for c in filtered_results(entry.get("content_filter_results")) if c not in found
            ]
    return tuple(found)


def filtered_results(results: Any) -> tuple[str, ...]:
    if not isinstance(results, Mapping):
        return ()
    return tuple(
        name
        for name, verdict in results.items()
        if isinstance(verdict, Mapping) and (verdict.get("filtered") or verdict.get("detected"))
    )


def retry_after(headers: Any) -> float | None:
    """Seconds to wait: retry-after-ms first (Azure's), then retry-after in seconds or as a date."""
    for name, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        raw = headers.get(name)
        if raw is None:
            continue
        try:
            return max(float(raw) / scale, 0.0)
        except ValueError:
            continue
    raw = headers.get("retry-after")
    import email.utils  # here, not at the top: it costs every `azresp --help` a few ms

    try:
        when = email.utils.parsedate_to_datetime(raw) if raw else None
    except (TypeError, ValueError):
        return None
    return None if when is None else max(when.timestamp() - time.time(), 0.0)


def first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""
