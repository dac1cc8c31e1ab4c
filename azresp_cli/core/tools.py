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
from azresp_cli.core.request import TurnRequest

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

    @property
    def is_empty(self) -> bool:
        return not (
            self.functions or self.mcp_servers or self.code_interpreter or self.image_generation
        )

    def function(self, name: str) -> FunctionTool | None:
        return next((tool for tool in self.functions if tool.name == name), None)


@dataclass
class ToolKit:
    config: ToolConfig = field(default_factory=ToolConfig)
    approvals: Approvals = field(default_factory=Approvals)
    # Uploaded for the code interpreter; every later turn's container gets them too.
    container_file_ids: list[str] = field(default_factory=list)

    def apply(self, request: TurnRequest) -> TurnRequest:
        """``request`` with this kit's tools, headers, query and includes."""
        config = self.config
        if config.is_empty:
            return request
        tools: list[dict[str, Any]] = [tool.spec() for tool in config.functions]
        tools += [server.spec(self._require_approval(server)) for server in config.mcp_servers]
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
        return replace(
            request, tools=tools, extra_headers=headers, extra_query=query, include=include
        )

    def _require_approval(self, server: McpServer) -> Any:
        policy = self.approvals.policy
        if policy is ApprovalPolicy.ALWAYS:
            return "never"  # approving every call anyway: spare the round trips
        remembered = self.approvals.remembered_mcp_tools(server.label)
        if remembered and policy is ApprovalPolicy.ASK:
            # Tools approved "always" run without the service asking (MCPToolApprovalFilter).
            return {"never": {"tool_names": remembered}}
        return "always"
