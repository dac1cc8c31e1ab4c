"""The hosted web search tool (`{"type": "web_search"}`), deterministic.

When the tool is offered (and `tool_choice` is not `"none"`) the model searches once for the
latest user text (or the QUERY of a `[[web:QUERY]]` directive): one `web_search_call` item
(`ws_…`, action `search`, streamed as `in_progress`, `searching`, `completed`), then an answer
paragraph citing fixed example.com pages with `url_citation` annotations over Markdown links in
the text, as the service writes them. `filters.allowed_domains` keeps only pages on those
domains (or their subdomains); the sources are listed on the action only with
`include: ["web_search_call.action.sources"]`. `[[web:blocked]]` answers as a resource whose
administrator turned web search off: HTTP 400 naming the tool (the exact text Azure sends is
unconfirmed; this shape is the service's usual error body).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from azresp_cli.emulator import directives, ids
from azresp_cli.emulator.errors import invalid_request, invalid_type
from azresp_cli.emulator.events import ItemScript
from azresp_cli.emulator.hosted import HostedOutcome, UrlCitation, quote

TYPES = ("web_search", "web_search_2025_08_26")
SOURCES_INCLUDE = "web_search_call.action.sources"
BLOCKED_CODE = "tool_not_allowed"
BLOCKED_MESSAGE = (
    "The 'web_search' tool is not allowed for this resource: web search (Grounding with Bing) "
    "has been disabled by an administrator."
)


@dataclass(frozen=True)
class Page:
    url: str
    title: str
    says: str


PAGES = (
    Page("https://www.example.com/guide", "Example Guide", "the guide covers the basics"),
    Page("https://docs.example.com/reference", "Example Reference", "the reference has details"),
    Page("https://news.example.org/today", "Example News", "the news page has the latest"),
)


def check_tool(tool: dict[str, Any], param: str, latest_text: str) -> None:
    filters = tool.get("filters")
    if filters is not None:
        if not isinstance(filters, dict):
            raise invalid_type(f"{param}.filters", "an object", filters)
        allowed = filters.get("allowed_domains")
        if allowed is not None and (
            not isinstance(allowed, list) or not all(isinstance(d, str) for d in allowed)
        ):
            raise invalid_type(f"{param}.filters.allowed_domains", "an array of strings", allowed)
    location = tool.get("user_location")
    if location is not None and (
        not isinstance(location, dict) or location.get("type", "approximate") != "approximate"
    ):
        raise invalid_request(
            f"Invalid '{param}.user_location': expected an approximate location.",
            param=f"{param}.user_location",
        )
    if any(d.name == "web" and d.argument == "blocked" for d in directives.find(latest_text)):
        raise invalid_request(BLOCKED_MESSAGE, param=param, code=BLOCKED_CODE)


def run(
    tool: dict[str, Any], text: str, tool_choice: Any, include: tuple[str, ...]
) -> HostedOutcome:
    if tool_choice == "none":
        return HostedOutcome()
    query = directives.strip(text) or "example"
    for directive in directives.find(text):
        if directive.name == "web" and directive.argument not in ("", "blocked"):
            query = directive.argument
    allowed = [str(d).lower() for d in (tool.get("filters") or {}).get("allowed_domains") or ()]
    pages = [page for page in PAGES if _allowed(page.url, allowed)]
    script = _call_script(query, pages, SOURCES_INCLUDE in include)
    if not pages:
        said = quote(query, 120)
        report = f'I searched the web for "{said}" and found nothing on the allowed domains.'
        return HostedOutcome(items=[script], report=[report])
    citations = [UrlCitation(f"([{_host(p.url)}]({p.url}))", p.url, p.title) for p in pages]
    sentences = [
        f"{page.says} {citation.marker}" for page, citation in zip(pages, citations, strict=True)
    ]
    report = f'I searched the web for "{quote(query, 120)}": ' + "; ".join(sentences) + "."
    return HostedOutcome(items=[script], report=[report], url_citations=citations)


def _allowed(url: str, allowed: list[str]) -> bool:
    if not allowed:
        return True
    host = _host(url)
    return any(host == domain or host.endswith("." + domain) for domain in allowed)


def _host(url: str) -> str:
    return urlsplit(url).hostname or ""


def _call_script(query: str, pages: list[Page], with_sources: bool) -> ItemScript:
    item_id = ids.item_id("web_search_call")
    action: dict[str, Any] = {"type": "search", "query": query, "queries": [query]}
    done_action = dict(action)
    if with_sources:
        done_action["sources"] = [{"type": "url", "url": page.url} for page in pages]
    base = {"id": item_id, "type": "web_search_call"}
    return ItemScript(
        added={**base, "status": "in_progress", "action": action},
        events=(
            {"type": "response.web_search_call.in_progress"},
            {"type": "response.web_search_call.searching"},
            {"type": "response.web_search_call.completed"},
        ),
        done={**base, "status": "completed", "action": done_action},
    )
