"""The chat options for tools and inputs (-a, --tool, --mcp, --code, --image, --yes ...).

As ``with_connection`` does for the connection options, ``with_tools`` adds them to a command's
signature and hands the command one ``ToolOptions`` value, so ``chat`` stays readable.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from azresp_cli.core.approval import ApprovalPolicy

if TYPE_CHECKING:
    # Imported when a command runs: tool_setup pulls in the tool, approval and event modules,
    # which `azresp --help` does not need (bench/startup.py measures it).
    from azresp_cli.core.tool_setup import ToolFlags

TOOLS_PANEL = "Tools and inputs"


@dataclass(frozen=True)
class ToolOptions:
    attach: tuple[str, ...]
    flags: ToolFlags


def _option(
    name: str, annotation: Any, default: Any, *decls: str, help: str, **extra: Any
) -> inspect.Parameter:
    return inspect.Parameter(
        name,
        inspect.Parameter.KEYWORD_ONLY,
        default=default,
        annotation=Annotated[
            annotation,
            typer.Option(
                *decls, help=help, rich_help_panel=TOOLS_PANEL, show_default=False, **extra
            ),
        ],
    )


_PARAMETERS = [
    _option(
        "attach",
        list[str] | None,
        None,
        "--attach",
        "-a",
        metavar="PATH|URL",
        help="Send a file or URL with the prompt (repeatable): images, PDFs, text; "
        "data files such as CSV go to the code interpreter with --code.",
    ),
    _option(
        "tool_file",
        list[Path] | None,
        None,
        "--tool",
        metavar="FILE.py",
        help="Offer the functions of a Python file as tools (repeatable).",
    ),
    _option(
        "tools_module",
        list[str] | None,
        None,
        "--tools",
        metavar="MODULE",
        help="Offer the functions of an importable module as tools (repeatable).",
    ),
    _option(
        "mcp",
        list[str] | None,
        None,
        "--mcp",
        metavar="LABEL=URL",
        help="A remote MCP server the service may call (repeatable).",
    ),
    _option(
        "mcp_header",
        list[str] | None,
        None,
        "--mcp-header",
        metavar="LABEL:NAME=VALUE",
        help="A header the service sends to that MCP server (a secret: never printed). "
        "VALUE may be @FILE (read from a file) or env:NAME (from an environment variable), "
        "which keeps it out of `ps`.",
    ),
    _option(
        "mcp_local",
        list[str] | None,
        None,
        "--mcp-local",
        metavar="NAME='COMMAND ARGS'",
        help="A local MCP server run over stdio, its tools offered as NAME__tool functions "
        "(repeatable); NAME alone uses [mcp_local.NAME] from the config file.",
    ),
    _option(
        "web_search",
        bool,
        False,
        "--web-search",
        help="Let the model search the web (Bing; billed per search).",
    ),
    _option(
        "allow_domain",
        list[str] | None,
        None,
        "--allow-domain",
        metavar="DOMAIN",
        help="Search only this domain and its subdomains (repeatable).",
    ),
    _option(
        "block_domain",
        list[str] | None,
        None,
        "--block-domain",
        metavar="DOMAIN",
        help="Refused: the API's web search has no blocked-domain filter (use --allow-domain).",
    ),
    _option(
        "location",
        str | None,
        None,
        "--location",
        metavar="CITY,COUNTRY",
        help="Your approximate location for web search, e.g. 'Oslo,NO'.",
    ),
    _option(
        "approve",
        ApprovalPolicy | None,
        None,
        "--approve",
        help="Tool calls: ask before each (default), approve all (always), refuse all (never).",
        case_sensitive=False,
    ),
    _option(
        "yes",
        bool,
        False,
        "--yes",
        "-y",
        help="Approve every tool call without asking (as --approve always).",
    ),
    _option("code", bool, False, "--code", help="Let the model run Python (code interpreter)."),
    _option("image", bool, False, "--image", help="Let the model generate images."),
    _option(
        "image_deployment",
        str | None,
        None,
        "--image-deployment",
        metavar="NAME",
        help="The image model deployment for --image (or image_deployment in the profile).",
    ),
    _option(
        "output_dir",
        Path | None,
        None,
        "--output-dir",
        "-o",
        metavar="DIR",
        file_okay=False,
        help="Where images and files from tools are saved (default: the current directory).",
    ),
    _option(
        "max_tool_rounds",
        int | None,
        None,
        "--max-tool-rounds",
        metavar="N",
        help="Run tool calls for at most N rounds per prompt (default 8).",
        min=0,
    ),
]
_NAMES = [p.name for p in _PARAMETERS]

F = TypeVar("F", bound=Callable[..., Any])


def with_tools(command: F) -> F:
    """Give ``command`` the tool options; it receives them as ``tools=``."""
    signature = inspect.signature(command, eval_str=True)
    own = [p for name, p in signature.parameters.items() if name != "tools"]

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name in _NAMES}
        return command(*args, tools=tool_options(values), **kwargs)

    keyword = [p for p in own if p.kind is inspect.Parameter.KEYWORD_ONLY]
    positional = [p for p in own if p.kind is not inspect.Parameter.KEYWORD_ONLY]
    parameters = [*positional, *_PARAMETERS, *keyword]
    wrapper.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def tool_options(values: dict[str, Any]) -> ToolOptions:
    from azresp_cli.core.tool_setup import ToolFlags

    approve = values["approve"]
    flags = ToolFlags(
        tool_files=tuple(str(path) for path in values["tool_file"] or ()),
        tool_modules=tuple(values["tools_module"] or ()),
        mcp=tuple(values["mcp"] or ()),
        mcp_headers=tuple(values["mcp_header"] or ()),
        approve=approve,
        yes=values["yes"],
        code_interpreter=values["code"],
        image_generation=values["image"],
        image_deployment=values["image_deployment"],
        output_dir=str(values["output_dir"]) if values["output_dir"] is not None else None,
        max_rounds=values["max_tool_rounds"],
        mcp_local=tuple(values["mcp_local"] or ()),
        web_search=values["web_search"],
        allow_domains=tuple(values["allow_domain"] or ()),
        block_domains=tuple(values["block_domain"] or ()),
        location=values["location"],
    )
    return ToolOptions(tuple(values["attach"] or ()), flags)
