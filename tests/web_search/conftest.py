"""The shared fixtures of tests/tool_support.py (azresp, bodies, cli_env, demo_mcp ...)."""

from tool_support import azresp, bodies, cli_env, demo_mcp, weather_tools

__all__ = ["azresp", "bodies", "cli_env", "demo_mcp", "weather_tools"]
