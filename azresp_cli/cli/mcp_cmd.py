"""``azresp mcp list-tools``: what a local MCP server offers, before a chat uses it."""

from __future__ import annotations

from typing import Annotated

import typer

from azresp_cli.cli.state import app_state
from azresp_cli.cli.typer_base import AzrespTyper

MCP_HELP = """Local MCP servers (stdio): see the tools a chat would offer the model.

Examples:

\b
  azresp mcp list-tools fs='npx -y @modelcontextprotocol/server-filesystem .'
  azresp mcp list-tools fs
"""
mcp_app = AzrespTyper(help=MCP_HELP, no_args_is_help=True)


@mcp_app.command("list-tools")
def list_tools(
    ctx: typer.Context,
    server: Annotated[
        str,
        typer.Argument(
            metavar="NAME='COMMAND ARGS'",
            help="The server as --mcp-local takes it, or the NAME of [mcp_local.NAME].",
            show_default=False,
        ),
    ],
    json_output: Annotated[bool, typer.Option("--json", help="Print the tools as JSON.")] = False,
) -> None:
    """List the tools of a local MCP server, as the model sees them.

    Examples:

    \b
      azresp mcp list-tools fs='npx -y @modelcontextprotocol/server-filesystem .'
      azresp mcp list-tools fs
    """
    import json

    from azresp_cli.core.mcp_local import LocalServer, ServerFailed, ToolServerError
    from azresp_cli.core.mcp_local_config import session_servers

    env = app_state(ctx).env
    spec = session_servers(env, [server])[0]  # raises UsageError for an unknown name
    running = LocalServer(spec)
    try:
        tools = running.start()
    except ServerFailed as exc:
        raise ToolServerError(str(exc)) from None
    finally:
        running.close()
    if json_output:
        env.stdout.write(json.dumps([tool.spec() for tool in tools], indent=2) + "\n")
        return
    for tool in tools:
        first_line = (tool.description or "").strip().splitlines()[:1]
        env.stdout.write(f"{tool.name}\t{first_line[0] if first_line else ''}\n")
    env.stderr.write(f"{len(tools)} tools on {spec.name}\n")
