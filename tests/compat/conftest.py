"""Fixtures for the client compatibility checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from node_support import require_node_modules


@pytest.fixture(scope="session")
def node_modules() -> Path:
    """node_modules of the installed node clients (see tests/node_support.py)."""
    return require_node_modules()
