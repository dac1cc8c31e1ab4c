"""Which tools a chat offers, and what they add to each request.

``ToolConfig`` is what the flags (or the profile) chose; ``ToolKit`` adds a session's mutable
state: approvals remembered "always", and the files uploaded for the code interpreter.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from azresp_cli.core.approval import ApprovalPolicy, Approvals
from azresp_cli.core.function_tools import FunctionTool
from azresp_cli.core.mcp import McpServer
from azresp_cli.core.mcp_local import LocalMcp
from azresp_cli.core.request import TurnRequest
from azresp_cli.core.web_search import WEB_SEARCH_SOURCES, WebSearch

DEFAULT_MAX_ROUNDS = 8
IMAGE_DEPLOYMENT_HEADER = "x-ms-oai-image-generation-deployment"
# Azure's REST sample for the code interpreter sends api-version=preview (docs/protocol.md §12).
CODE_INTERPRETER_QUERY = {"api-version": "preview"}
# Without it code_interpreter_call.outputs is null: no logs to show (docs/protocol.md §5).
CODE_INTERPRETER_OUTPUTS = "code_interpreter_call.outputs"


@dataclass(frozen=True)
class ToolConfig:
    functions: tuple[FunctionTool, ...] = ()
    mcp_servers: tuple[McpServer, ...] = ()
    code_interpreter: bool = False
    image_generation: bool = False
    image_deployment: str | None = None
    output_dir: Path = Path(".")
    max_rounds: int = DEFAULT_MAX_ROUNDS
    local_mcp: LocalMcp | None = None  # --mcp-local servers, bridged as function tools
    web_search: WebSearch | None = None  # --web-search

    @property
    def is_empty(self) -> bool:
        return not (
            self.functions
            or self.mcp_servers
            or self.code_interpreter
            or self.image_generation
            or self.local_mcp
            or self.web_search
        )

    def function(self, name: str) -> FunctionTool | None:
        return next((tool for tool in self.functions if tool.name == name), None)


@dataclass
class ToolKit:
    config: ToolConfig = field(default_factory=ToolConfig)
    approvals: Approvals = field(default_factory=Approvals)
    # Uploaded for the code interpreter; every later turn's container gets them too.
    container_file_ids: list[str] = field(default_factory=list)
    web_search_on: bool = True  # /web off turns a configured web search off for a while
    data_dir: Path | None = None  # where the web search notice is remembered as shown

    def apply(self, request: TurnRequest) -> TurnRequest:
        """``request`` with this kit's tools, headers, query and includes."""
        config = self.config
        if config.is_empty:
            return request
        tools: list[dict[str, Any]] = [tool.spec() for tool in config.functions]
        tools += [server.spec(self._require_approval(server)) for server in config.mcp_servers]
        if config.local_mcp is not None:
            tools += config.local_mcp.specs_for_request()
        headers = dict(request.extra_headers)
        query = dict(request.extra_query)
        include = list(request.include)
        if config.code_interpreter:
            container = {"type": "auto", "file_ids": list(self.container_file_ids)}
            tools.append({"type": "code_interpreter", "container": container})
            query.update(CODE_INTERPRETER_QUERY)
            if CODE_INTERPRETER_OUTPUTS not in include:
                include.append(CODE_INTERPRETER_OUTPUTS)
        if config.image_generation:
            tools.append({"type": "image_generation"})
            if config.image_deployment:
                headers[IMAGE_DEPLOYMENT_HEADER] = config.image_deployment
        if config.web_search is not None and self.web_search_on:
            tools.append(config.web_search.spec())
            if WEB_SEARCH_SOURCES not in include:
                include.append(WEB_SEARCH_SOURCES)
        return replace(
            request, tools=tools, extra_headers=headers, extra_query=query, include=include
        )

    def set_web_search(self, on: bool) -> str | None:
        """``/web on|off``; returns the one-time notice when web search is first turned on."""
        from azresp_cli.core.web_search import notice_once

        if on and self.config.web_search is None:
            self.config = replace(self.config, web_search=WebSearch())
        self.web_search_on = on
        if on and self.data_dir is not None:
            return notice_once(self.data_dir)
        return None

    @property
    def web_search_active(self) -> bool:
        return self.config.web_search is not None and self.web_search_on

    def close(self) -> None:
        """Stop the session's local MCP servers (idempotent)."""
        if self.config.local_mcp is not None:
            self.config.local_mcp.close()

    def _require_approval(self, server: McpServer) -> Any:
        policy = self.approvals.policy
        if policy is ApprovalPolicy.ALWAYS:
            return "never"  # approving every call anyway: spare the round trips
        remembered = self.approvals.remembered_mcp_tools(server.label)
        if remembered and policy is ApprovalPolicy.ASK:
            # Tools approved "always" run without the service asking (MCPToolApprovalFilter).
            return {"never": {"tool_names": remembered}}
        return "always"
