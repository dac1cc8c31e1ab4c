"""The hosted ``web_search`` tool (``--web-search``): its settings and its one-time notice.

The tool shape follows the Responses API's ``WebSearchTool``: ``filters.allowed_domains`` and
``user_location`` (type ``approximate``). The API has no field for blocked domains, so
``--block-domain`` is refused with that explanation rather than silently ignored.
Searches run on Bing, outside the Azure compliance boundary, and are billed per search; the
first use says so once (a marker file in the data directory remembers it was shown).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from azresp_cli.core.errors import AzrespError, UsageError

WEB_SEARCH_SOURCES = "web_search_call.action.sources"
NOTICE_MARKER = "web-search-notice-shown"
NOTICE = (
    "note: web search sends queries to Bing, outside the Azure compliance boundary, "
    "and each search is billed separately (see Azure OpenAI's web search documentation). "
    "This note is shown once."
)
_DOMAIN = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,63}$")


@dataclass(frozen=True)
class WebSearch:
    allowed_domains: tuple[str, ...] = ()
    city: str | None = None
    country: str | None = None

    def spec(self) -> dict[str, Any]:
        tool: dict[str, Any] = {"type": "web_search"}
        if self.allowed_domains:
            tool["filters"] = {"allowed_domains": list(self.allowed_domains)}
        if self.city or self.country:
            location: dict[str, Any] = {"type": "approximate"}
            if self.city:
                location["city"] = self.city
            if self.country:
                location["country"] = self.country
            tool["user_location"] = location
        return tool


def web_search(
    enabled: bool,
    allow: Sequence[str] = (),
    block: Sequence[str] = (),
    location: str | None = None,
) -> WebSearch | None:
    """The flags' web search (None when off); raises UsageError for bad values."""
    if block:
        raise UsageError(
            "--block-domain cannot be honoured: the Responses API's web_search tool takes only "
            "allowed domains (filters.allowed_domains), no blocked ones",
            hint="list the domains to search with --allow-domain instead",
        )
    if not enabled:
        if allow or location:
            raise UsageError(
                "--allow-domain and --location need --web-search", hint="add --web-search"
            )
        return None
    domains = tuple(_domain(raw) for raw in allow)
    city, country = parse_location(location) if location else (None, None)
    return WebSearch(domains, city, country)


def _domain(raw: str) -> str:
    domain = raw.strip().lower()
    for prefix in ("https://", "http://"):
        domain = domain.removeprefix(prefix)
    domain = domain.rstrip("/")
    if not _DOMAIN.match(domain):
        raise UsageError(
            f"'{raw}' is not a domain name", hint="e.g. --allow-domain learn.microsoft.com"
        )
    return domain


def parse_location(raw: str) -> tuple[str | None, str | None]:
    """``CITY,COUNTRY`` (COUNTRY a two-letter ISO code), or just ``CITY``."""
    city, _, country = raw.partition(",")
    city, country = city.strip(), country.strip().upper()
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        raise UsageError(
            f"--location: '{country}' is not a two-letter country code",
            hint="e.g. --location 'Oslo,NO'",
        )
    if not city and not country:
        raise UsageError("--location takes CITY,COUNTRY", hint="e.g. --location 'Oslo,NO'")
    return city or None, country or None


def notice_once(data_dir: Path) -> str | None:
    """The notice, the first time only (then remembered in ``data_dir``)."""
    marker = data_dir / NOTICE_MARKER
    if marker.exists():
        return None
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        marker.write_text("shown\n", encoding="utf-8")
    except OSError:
        pass  # shown again next time: better than never
    return NOTICE


class WebSearchBlocked(AzrespError):
    """The resource refuses the web_search tool: an administrator turned it off."""

    default_hint = (
        "web search (Grounding with Bing) is disabled for this Azure resource or subscription; "
        "an administrator must allow it, or run without --web-search"
    )


def blocked(error: AzrespError) -> AzrespError:
    """``error`` as a WebSearchBlocked when it is the service refusing the web_search tool."""
    text = f"{error.message} {error.detail or ''}".lower()
    refused = error.status == 400 or error.status == 403
    about_search = "web_search" in text or "web search" in text
    if not (refused and about_search):
        return error
    return WebSearchBlocked(
        f"web search is blocked on this resource: {error.message}",
        status=error.status,
        request_id=error.request_id,
        detail=error.detail,
    )
