"""The shared fixtures of tests/tool_support.py (azresp on the emulator, bodies, demo_mcp ...)."""

from tool_support import azresp, bodies, demo_mcp, weather_tools

__all__ = ["azresp", "bodies", "demo_mcp", "weather_tools"]
