"""Fixtures of the local MCP tests."""

from mcp_local_support import no_leftover_servers, root
from tool_support import azresp, bodies, weather_tools

__all__ = ["azresp", "bodies", "no_leftover_servers", "root", "weather_tools"]
