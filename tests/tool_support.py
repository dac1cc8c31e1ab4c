"""Fixtures for the tools, files and attachments tests: azresp in-process, a person at a
terminal typing approval answers, the request bodies the emulator got, a real MCP server.

Imported by the conftest.py of tests/tools, tests/files and tests/attachments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_support import CliRunner, Result

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_1X1 = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\xdac\xfc\xcf\xc0\xf0\x1f\x00\x05\x06\x02\x00\x89"
    b"\x9b\xd6\xe5\x00\x00\x00\x00IEND\xaeB`\x82"
)

Azresp = Callable[..., Result]


@pytest.fixture
def azresp(azresp: CliRunner, cli_env: dict[str, str]) -> CliRunner:
    """tests/conftest.py's runner, pointed at the test emulator (``cli_env``) on every call.

    ``azresp(*argv, tty=False, answers=None, stdin=None, env={})``; ``answers``: what a person
    types at the terminal (stdin is then a TTY), e.g. ``"y\\n"``."""
    return azresp.with_env(cli_env)


@pytest.fixture
def bodies(emulator: Any) -> Callable[[], list[dict[str, Any]]]:
    """The JSON bodies of every POST /responses the emulator got, oldest first."""

    def get() -> list[dict[str, Any]]:
        return [
            r.json
            for r in emulator.requests
            if r.method == "POST" and r.path.endswith("/responses")
        ]

    return get


@pytest.fixture(scope="session")
def demo_mcp() -> Iterator[Any]:
    """The emulator's demo MCP server (add, echo, echo_headers, fail) on loopback."""
    from azresp_cli.emulator.demo_mcp import start_in_thread

    with start_in_thread() as server:
        yield server


@pytest.fixture
def weather_tools(tmp_path: Path) -> Path:
    """A tool file as a user writes one."""
    path = tmp_path / "weather.py"
    path.write_text(WEATHER_TOOLS, encoding="utf-8")
    return path


WEATHER_TOOLS = '''
from typing import Literal


def get_weather(city: str, unit: Literal["c", "f"] = "c") -> dict:
    """Current weather for a city."""
    return {"city": city, "temperature": 20 if unit == "c" else 68, "unit": unit}


def explode(reason: str) -> str:
    """Always fails."""
    raise RuntimeError(f"boom: {reason}")
'''


def outputs_sent(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The function_call_output items of a request body."""
    items = body.get("input")
    if not isinstance(items, list):
        return []
    return [item for item in items if item.get("type") == "function_call_output"]
