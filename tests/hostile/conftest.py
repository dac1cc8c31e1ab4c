"""The hostile-server tests' fixtures: ``capped`` (tests/hostile/capped.py), and a scripted
Responses API (tests/hostile/server.py) with the variables that point azresp at it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import TEST_KEY
from hostile.capped import capped
from hostile.server import HostileServer

__all__ = ["capped"]


@pytest.fixture
def hostile() -> Iterator[HostileServer]:
    server = HostileServer()
    yield server
    server.stop()


@pytest.fixture
def hostile_env(hostile: HostileServer) -> dict[str, str]:
    return {
        "AZURE_OPENAI_ENDPOINT": hostile.base_url,
        "AZURE_OPENAI_API_KEY": TEST_KEY,
        "AZURE_OPENAI_DEPLOYMENT": "gpt-test",
        "AZRESP_MAX_RETRIES": "0",
    }


@pytest.fixture
def process_env(tmp_path: Path, hostile_env: dict[str, str]) -> dict[str, str]:
    """Variables for the real binary: the hostile server, the test's own dirs."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AZURE_", "AZRESP_"))},
        **hostile_env,
        "AZRESP_CONFIG_DIR": str(tmp_path / "config"),
        "AZRESP_DATA_DIR": str(tmp_path / "data"),
        "TERM": "xterm-256color",
        "COLUMNS": "100",
        "LINES": "30",
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }
