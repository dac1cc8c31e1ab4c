"""What a tool event looks like on a pipe or under NO_COLOR: plain lines for stderr."""

from __future__ import annotations

import json
from typing import assert_never

from azresp_cli.core.events import (
    CodeInterpreterCode,
    CodeInterpreterLogs,
    FileSaved,
    McpCallResult,
    McpListTools,
    ToolCall,
    ToolCallRefused,
    ToolCallRequested,
    ToolCallResult,
    ToolEvent,
    WebSearched,
)

MAX_LINE = 300  # a result line shows the start of a long output; the model gets it all


def tool_lines(event: ToolEvent) -> str:
    """The text (one or more lines, ending in a newline) for one tool event."""
    match event:
        case ToolCallRequested(call=call):
            kind = "mcp approval request" if call.kind == "mcp" else "tool call"
            return f"{kind}: {call_name(call)} {_compact(call.arguments)}\n"
        case ToolCallRefused(call=call, reason=reason):
            return f"not run: {call_name(call)}: {reason}\n"
        case ToolCallResult(call=call, output=output, is_error=is_error):
            verb = "failed" if is_error else "returned"
            return f"{call_name(call)} {verb}: {_one_line(output)}\n"
        case McpListTools(server_label=label, tools=tools, error=error):
            if error:
                return f"mcp {label}: cannot list its tools: {error}\n"
            return f"mcp {label}: {len(tools)} tools ({', '.join(tools) or 'none'})\n"
        case McpCallResult(server_label=label, name=name, error=error, output=output):
            if error:
                return f"mcp {label}.{name} failed: {_one_line(error)}\n"
            return f"mcp {label}.{name} returned: {_one_line(output or '')}\n"
        case CodeInterpreterCode(code=code):
            return "code interpreter runs:\n" + _indented(code)
        case CodeInterpreterLogs(logs=logs):
            return "code interpreter output:\n" + _indented(logs)
        case FileSaved(path=path, kind=kind):
            return f"saved {'image' if kind == 'image' else 'file'} {path}\n"
        case WebSearched():
            return web_search_line(event) + "\n"
        case _:
            assert_never(event)


def web_search_line(event: WebSearched) -> str:
    """``searched: "azure news" (3 sources)``; ``opened: URL`` for the other actions."""
    if event.action == "search":
        queries = ", ".join(f'"{_one_line(query)}"' for query in event.queries) or "the web"
        count = len(event.sources)
        listed = f" ({count} source{'s' if count != 1 else ''})" if event.sources else ""
        return f"searched: {queries}{listed}"
    verb = "opened" if event.action == "open_page" else "searched in"
    return f"{verb}: {event.url or 'a page'}"


def call_name(call: ToolCall) -> str:
    """``get_weather``, or ``docs.search`` for an MCP server's tool."""
    return f"{call.server_label}.{call.name}" if call.kind == "mcp" else call.name


def _compact(arguments: str) -> str:
    try:
        return json.dumps(json.loads(arguments or "{}"), ensure_ascii=False)
    except json.JSONDecodeError:
        return _one_line(arguments)


def _one_line(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= MAX_LINE else flat[: MAX_LINE - 1] + "…"


def _indented(text: str) -> str:
    return "".join(f"    {line}\n" for line in text.rstrip("\n").splitlines())
