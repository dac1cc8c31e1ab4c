"""The hosted tools of one response: checked before any work, then run in a fixed order.

`prepare` raises every 400 the tools can cause (bad tool settings, the missing Azure
image header, approval responses that answer nothing) before anything is listed or
called. `run` then does the work: MCP (lists, approved calls, new calls), the code
interpreter, image generation, each item in that order ahead of the answer message.
Function tools are not here: the scripted model calls them (model.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from azresp_cli.emulator import mcp_client, tools_code, tools_image, tools_mcp, tools_web
from azresp_cli.emulator.attachments import Attachment
from azresp_cli.emulator.context import Context
from azresp_cli.emulator.errors import deployment_not_found
from azresp_cli.emulator.hosted import HostedOutcome
from azresp_cli.emulator.params import CreateParams
from azresp_cli.emulator.state import EmulatorState
from azresp_cli.emulator.tools_code import CodeTurn
from azresp_cli.emulator.tools_mcp import Approval, McpServer


@dataclass(frozen=True)
class ToolTurn:
    """A checked request's hosted tools and what they need to run."""

    servers: dict[str, McpServer]
    approvals: list[Approval]
    code: CodeTurn | None
    image_tool: dict[str, Any] | None
    context_items: list[Any]
    latest_text: str
    tool_choice: Any
    web_tool: dict[str, Any] | None = None
    include: tuple[str, ...] = ()


def prepare(
    params: CreateParams,
    found: Context,
    headers: Mapping[str, str],
    attachments: tuple[Attachment, ...],
    latest_text: str,
    state: EmulatorState,
) -> ToolTurn:
    raw_tools = list(params.body.get("tools") or [])
    code_tool = image_tool = web_tool = None
    for index, tool in enumerate(raw_tools):
        param = f"tools[{index}]"
        kind = tool.get("type")
        if kind == "mcp":
            tools_mcp.check_tool(tool, param)
            mcp_client.check_target(tool["server_url"], state.config.mcp_targets, param)
        elif kind == "code_interpreter":
            tools_code.check_tool(tool, param, state.files, state.containers)
            code_tool = code_tool or tool
        elif kind == "image_generation":
            tools_image.check_tool(tool, param, headers)
            deployment = headers[tools_image.DEPLOYMENT_HEADER]
            deployments = state.config.deployments
            if deployments is not None and deployment not in deployments:
                raise deployment_not_found()
            image_tool = image_tool or tool
        elif kind in tools_web.TYPES:
            tools_web.check_tool(tool, param, latest_text)
            web_tool = web_tool or tool
    servers = tools_mcp.servers(raw_tools)
    code = None
    if code_tool is not None:
        code = CodeTurn(
            tool=code_tool,
            text=latest_text,
            tool_choice=params.tool_choice,
            attachments=attachments,
            context_items=found.items,
            include_outputs=tools_code.OUTPUTS_INCLUDE in params.include,
        )
    return ToolTurn(
        servers=servers,
        approvals=tools_mcp.approvals(found.input_items, found.items, servers),
        code=code,
        image_tool=image_tool,
        context_items=found.items,
        latest_text=latest_text,
        tool_choice=params.tool_choice,
        web_tool=web_tool,
        include=tuple(params.include),
    )


async def run(turn: ToolTurn, state: EmulatorState) -> HostedOutcome:
    outcome = HostedOutcome()
    if turn.servers:
        outcome.add(
            await tools_mcp.run(
                turn.servers, turn.context_items, turn.approvals, turn.latest_text, turn.tool_choice
            )
        )
    if outcome.holds_answer or turn.approvals:
        return outcome  # a pending approval ends the turn; an approval turn only answers it
    if turn.web_tool is not None:
        outcome.add(tools_web.run(turn.web_tool, turn.latest_text, turn.tool_choice, turn.include))
    if turn.code is not None:
        outcome.add(tools_code.run(turn.code, state.files, state.containers))
    if turn.image_tool is not None:
        outcome.add(tools_image.run(turn.image_tool, turn.latest_text, turn.tool_choice))
    return outcome
