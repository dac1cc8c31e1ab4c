"""Fixtures for the tools, files and attachments tests: azresp in-process, a person at a
terminal typing approval answers, the request bodies the emulator got, a real MCP server.

Imported by the conftest.py of tests/tools, tests/files and tests/attachments.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_support import TEST_KEY, Result, TtyStringIO

from azresp_cli.cli.main import run
from azresp_cli.core.environment import Environment

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_1X1 = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\xdac\xfc\xcf\xc0\xf0\x1f\x00\x05\x06\x02\x00\x89"
    b"\x9b\xd6\xe5\x00\x00\x00\x00IEND\xaeB`\x82"
)

Azresp = Callable[..., Result]


@pytest.fixture
def cli_env(emulator: Any) -> dict[str, str]:
    """Variables that point azresp at the test emulator with a test key."""
    return {
        "AZURE_OPENAI_ENDPOINT": emulator.base_url,
        "AZURE_OPENAI_API_KEY": TEST_KEY,
        "AZURE_OPENAI_DEPLOYMENT": "gpt-test",
        "AZRESP_MAX_RETRIES": "0",
    }


@pytest.fixture
def azresp(tmp_path: Path, cli_env: dict[str, str]) -> Azresp:
    """``azresp(*argv, tty=False, answers=None, stdin=None, env={})``.

    ``answers``: what a person types at the terminal (stdin is then a TTY), e.g. ``"y\\n"``.
    ``tty``: stdout and stderr are a terminal (colour, panels)."""

    def call(
        *argv: str,
        tty: bool = False,
        answers: str | None = None,
        stdin: str | None = None,
        env: dict[str, str] | None = None,
    ) -> Result:
        stdout = TtyStringIO() if tty else io.StringIO()
        stderr = TtyStringIO() if tty or answers is not None else io.StringIO()
        if answers is not None:
            stdin_stream: io.StringIO = TtyStringIO(answers)
        else:
            stdin_stream = io.StringIO(stdin or "")
        environment = Environment(
            stdin=stdin_stream,
            stdout=stdout,
            stderr=stderr,
            stdin_isatty=answers is not None,
            stdout_isatty=tty,
            stderr_isatty=tty or answers is not None,
            variables={"COLUMNS": "100", "LINES": "40", **cli_env, **(env or {})},
            config_dir=tmp_path / "config",
            data_dir=tmp_path / "data",
        )
        code = run(list(argv), environment)
        return Result(code, stdout.getvalue(), stderr.getvalue())

    return call


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
