"""What a tool event looks like on a colour terminal: panels, dim logs, saved paths.

Everything here goes to stderr (stdout carries only the answer). Text from the model, a tool or
the service is always wrapped in ``Text`` so that brackets in it are never console markup.
"""

from __future__ import annotations

import json
from typing import assert_never

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

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
from azresp_cli.render.tool_lines import call_name

MAX_OUTPUT_LINES = 20  # a result panel shows the head of a long output; the model gets it all


def tool_renderable(event: ToolEvent) -> RenderableType:
    """The panel or line for one tool event."""
    match event:
        case ToolCallRequested(call=call):
            return _panel(_arguments(call.arguments), _call_title(call), "cyan")
        case ToolCallRefused(call=call, reason=reason):
            return Text(f"✗ {call_name(call)} not run: {reason}", style="yellow")
        case ToolCallResult(call=call, output=output, is_error=is_error):
            title = f"{call_name(call)} → {'error' if is_error else 'result'}"
            return _panel(_output(output), title, "red" if is_error else "green")
        case McpListTools(server_label=label, tools=tools, error=error):
            if error:
                return Text(f"mcp {label}: cannot list its tools: {error}", style="red")
            names = ", ".join(tools) if tools else "none"
            return Text(f"mcp {label}: {len(tools)} tools ({names})", style="dim")
        case McpCallResult(server_label=label, name=name, arguments=arguments):
            body = Group(_arguments(arguments), Text(""), _output(event.error or event.output))
            verdict, colour = ("error", "red") if event.error else ("result", "green")
            return _panel(body, f"mcp {label} · {name} → {verdict}", colour)
        case CodeInterpreterCode(code=code):
            from rich.syntax import Syntax  # pygments: only when code is shown

            syntax = Syntax(code, "python", theme="ansi_dark", background_color="default")
            return _panel(syntax, "code interpreter", "magenta")
        case CodeInterpreterLogs(logs=logs):
            return Text(logs.rstrip("\n"), style="dim")
        case FileSaved(path=path, kind=kind):
            what = "image" if kind == "image" else "file"
            return Text.assemble(("saved ", "green"), (what, "green"), " ", (path, "bold"))
        case WebSearched():
            from azresp_cli.render.tool_lines import web_search_line

            return Text(web_search_line(event), style="dim")
        case _:
            assert_never(event)


def _call_title(call: ToolCall) -> str:
    if call.kind == "mcp":
        return f"mcp {call.server_label} · {call.name} (asks for approval)"
    return f"function {call.name}"


def _panel(body: RenderableType, title: str, colour: str) -> Panel:
    return Panel(
        body, title=Text(title, style=f"bold {colour}"), title_align="left", border_style=colour
    )


def _arguments(arguments: str) -> RenderableType:
    """Pretty JSON when the arguments parse (they should); the raw text otherwise."""
    try:
        value = json.loads(arguments or "{}")
    except json.JSONDecodeError:
        return Text(arguments)
    if value == {}:
        return Text("(no arguments)", style="dim")
    from rich.json import JSON

    return JSON.from_data(value, indent=2, ensure_ascii=False)


def _output(output: str | None) -> Text:
    if not output:
        return Text("(empty)", style="dim")
    lines = output.rstrip("\n").splitlines()
    if len(lines) <= MAX_OUTPUT_LINES:
        return Text("\n".join(lines))
    shown = "\n".join(lines[:MAX_OUTPUT_LINES])
    more = len(lines) - MAX_OUTPUT_LINES
    return Text.assemble(shown, (f"\n… {more} more lines", "dim"))
