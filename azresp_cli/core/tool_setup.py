"""From the chat's tool flags (and the profile's keys) to the session's ToolKit.

Everything is checked here, before any request: tool files are imported, MCP specs parsed (their
header values registered as secrets), the image deployment found. Flags win over the profile's
``approve``, ``image_deployment``, ``output_dir`` and ``approved_tools``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from azresp_cli.core.approval import ApprovalPolicy, Approvals
from azresp_cli.core.config import Settings
from azresp_cli.core.errors import UsageError
from azresp_cli.core.function_tools import FunctionTool
from azresp_cli.core.mcp_local import LocalMcp, LocalServerSpec
from azresp_cli.core.tools import DEFAULT_MAX_ROUNDS, ToolConfig, ToolKit
from azresp_cli.core.web_search import web_search

EMULATOR_IMAGE_DEPLOYMENT = "gpt-image-1"  # the emulator takes any name; Azure needs the real one
APPROVED_TOOLS_KEY = "approved_tools"


@dataclass(frozen=True)
class ToolFlags:
    tool_files: tuple[str, ...] = ()  # --tool FILE.py
    tool_modules: tuple[str, ...] = ()  # --tools MODULE
    mcp: tuple[str, ...] = ()  # --mcp LABEL=URL
    mcp_headers: tuple[str, ...] = ()  # --mcp-header LABEL:NAME=VALUE
    approve: ApprovalPolicy | None = None  # --approve ask|always|never
    yes: bool = False  # --yes
    code_interpreter: bool = False  # --code
    image_generation: bool = False  # --image
    image_deployment: str | None = None  # --image-deployment
    output_dir: str | None = None  # -o/--output-dir
    max_rounds: int | None = None  # --max-tool-rounds
    mcp_local: tuple[str, ...] = ()  # --mcp-local NAME='COMMAND ARGS' (or a configured NAME)
    web_search: bool = False  # --web-search
    allow_domains: tuple[str, ...] = ()  # --allow-domain
    block_domains: tuple[str, ...] = ()  # --block-domain (refused: the API has no such filter)
    location: str | None = None  # --location CITY,COUNTRY


def build_tool_kit(
    flags: ToolFlags,
    settings: Settings,
    profile: Mapping[str, Any],
    *,
    cwd: Path,
    save: Callable[[str], None] | None = None,
    variables: Mapping[str, str] | None = None,
    local_servers: tuple[LocalServerSpec, ...] = (),
    save_denied: Callable[[str], None] | None = None,
) -> ToolKit:
    """The session's tools and approval state; raises UsageError for anything wrong."""
    from azresp_cli.core.mcp import parse_servers

    policy = _policy(flags, profile)
    functions: tuple[FunctionTool, ...] = ()
    if flags.tool_files or flags.tool_modules:
        from azresp_cli.core.function_tools import load_tools

        functions = load_tools(flags.tool_files, flags.tool_modules)
    image_deployment = flags.image_deployment or profile.get("image_deployment")
    if flags.image_generation and not image_deployment:
        if not settings.is_emulator:
            raise UsageError(
                "--image needs the deployment of an image model",
                hint="pass --image-deployment NAME (a gpt-image-1 deployment) or set "
                "image_deployment in the profile: azresp config set image_deployment NAME",
            )
        image_deployment = EMULATOR_IMAGE_DEPLOYMENT
    output_dir = Path(flags.output_dir or profile.get("output_dir") or ".").expanduser()
    config = ToolConfig(
        functions=functions,
        mcp_servers=parse_servers(flags.mcp, flags.mcp_headers, variables),
        code_interpreter=flags.code_interpreter,
        image_generation=flags.image_generation,
        image_deployment=str(image_deployment) if image_deployment else None,
        output_dir=output_dir if output_dir.is_absolute() else cwd / output_dir,
        max_rounds=flags.max_rounds if flags.max_rounds is not None else DEFAULT_MAX_ROUNDS,
        local_mcp=LocalMcp(local_servers) if local_servers else None,
        web_search=web_search(
            flags.web_search, flags.allow_domains, flags.block_domains, flags.location
        ),
    )
    remembered = set(approved_tools(profile))
    origins = {tool.name: tool.origin for tool in functions if tool.origin}
    approvals = Approvals(
        policy=policy,
        remembered=remembered,
        save=save,
        origins=origins,
        save_denied=save_denied,
    )
    return ToolKit(config, approvals)


def approved_tools(profile: Mapping[str, Any]) -> list[str]:
    """The profile's ``approved_tools``: a comma-separated list of approval keys."""
    raw = profile.get(APPROVED_TOOLS_KEY) or ""
    return [key.strip() for key in str(raw).split(",") if key.strip()]


def with_approved_tool(profile: Mapping[str, Any], key: str) -> str:
    """The ``approved_tools`` value with ``key`` added."""
    keys = approved_tools(profile)
    return ",".join([*keys, key] if key not in keys else keys)


def _policy(flags: ToolFlags, profile: Mapping[str, Any]) -> ApprovalPolicy:
    if flags.yes and flags.approve is ApprovalPolicy.NEVER:
        raise UsageError("--yes and --approve never contradict each other", hint="pick one")
    if flags.yes:
        return ApprovalPolicy.ALWAYS
    raw = flags.approve or profile.get("approve") or ApprovalPolicy.ASK
    try:
        return ApprovalPolicy(str(raw).lower())
    except ValueError:
        raise UsageError(
            f"unknown approval policy '{raw}'", hint="use ask, always or never"
        ) from None


def with_profile_tools(flags: ToolFlags, profile: Mapping[str, Any]) -> ToolFlags:
    """The flags, with the profile's (or a template's) ``mcp_local``, ``web_search``,
    ``allow_domains`` and ``location`` where no flag set them."""
    from dataclasses import replace

    def listed(key: str) -> tuple[str, ...]:
        return tuple(
            item.strip() for item in str(profile.get(key) or "").split(",") if item.strip()
        )

    location = profile.get("location")
    return replace(
        flags,
        mcp_local=flags.mcp_local or listed("mcp_local"),
        web_search=flags.web_search or profile.get("web_search") is True,
        allow_domains=flags.allow_domains or listed("allow_domains"),
        location=flags.location or (str(location) if location else None),
    )
