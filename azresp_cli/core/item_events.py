"""Tool output items (docs/protocol.md §4–§6) as TurnEvents, for streams and whole responses.

The service reports what its own tools did (MCP lists and calls, code interpreter runs) as output
items; azresp shows them as they finish. Function calls and MCP approval requests are not shown
here: the tool loop yields them when it decides on them, after the response has ended.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from azresp_cli.core.events import (
    Citations,
    CitedSource,
    CodeInterpreterCode,
    CodeInterpreterLogs,
    McpCallResult,
    McpListTools,
    TurnEvent,
    WebSearched,
)


def item_done_events(item: Mapping[str, Any], *, code_shown: bool = False) -> Iterator[TurnEvent]:
    """Events for one finished output item; ``code_shown``: its code already streamed."""
    kind = item.get("type")
    if kind == "mcp_list_tools":
        tools = tuple(
            str(tool.get("name", "")) for tool in item.get("tools") or () if isinstance(tool, dict)
        )
        yield McpListTools(str(item.get("server_label", "")), tools, _error_text(item))
    elif kind == "mcp_call":
        yield McpCallResult(
            server_label=str(item.get("server_label", "")),
            name=str(item.get("name", "")),
            arguments=str(item.get("arguments") or ""),
            output=item.get("output"),
            error=_error_text(item),
        )
    elif kind == "web_search_call":
        yield web_searched(item)
    elif kind == "message":
        sources = cited_sources(item)
        if sources:
            yield Citations(sources)
    elif kind == "code_interpreter_call":
        item_id = str(item.get("id", ""))
        if not code_shown and item.get("code"):
            yield CodeInterpreterCode(item_id, str(item["code"]))
        logs = code_logs(item)
        if logs:
            yield CodeInterpreterLogs(item_id, logs)


def record_item_events(output: tuple[Mapping[str, Any], ...]) -> Iterator[TurnEvent]:
    """Events for the tool items of a whole (non-streamed) response, in output order."""
    for item in output:
        yield from item_done_events(item)


def code_logs(item: Mapping[str, Any]) -> str:
    """The logs of a code interpreter call: null unless the request included its outputs."""
    logs = [
        str(output.get("logs", ""))
        for output in item.get("outputs") or ()
        if isinstance(output, Mapping) and output.get("type") == "logs"
    ]
    return "".join(logs)


def _error_text(item: Mapping[str, Any]) -> str | None:
    # The SDK types `error` as a string; some servers send {"message": ...}; accept both.
    error = item.get("error")
    if error is None or error == "":
        return None
    if isinstance(error, Mapping):
        return str(error.get("message") or error.get("code") or error)
    return str(error)


def web_searched(item: Mapping[str, Any]) -> WebSearched:
    action = item.get("action") if isinstance(item.get("action"), Mapping) else {}
    assert isinstance(action, Mapping)
    queries = [str(q) for q in action.get("queries") or () if q]
    if not queries and action.get("query"):
        queries = [str(action["query"])]
    sources = tuple(
        str(source.get("url"))
        for source in action.get("sources") or ()
        if isinstance(source, Mapping) and source.get("url")
    )
    url = action.get("url")
    return WebSearched(
        str(item.get("id", "")),
        str(action.get("type") or "search"),
        tuple(queries),
        sources,
        str(url) if url else None,
    )


def cited_sources(item: Mapping[str, Any]) -> tuple[CitedSource, ...]:
    """The distinct ``url_citation`` targets of a message item, in order of first citation."""
    seen: dict[str, CitedSource] = {}
    for part in item.get("content") or ():
        if not isinstance(part, Mapping):
            continue
        annotations = [a for a in part.get("annotations") or () if isinstance(a, Mapping)]
        annotations.sort(key=lambda a: int(a.get("start_index") or 0))
        for annotation in annotations:
            url = annotation.get("url")
            if annotation.get("type") == "url_citation" and url and url not in seen:
                seen[str(url)] = CitedSource(str(annotation.get("title") or url), str(url))
    return tuple(seen.values())
