"""Fixtures for render tests: stored snapshots and a fake clock.

Snapshots live in tests/render/snapshots/; ``UPDATE_SNAPSHOTS=1 pytest tests/render`` rewrites
them (review the diff before committing), otherwise each test compares with the stored text.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from .support import Snapshot

SNAPSHOTS = Path(__file__).parent / "snapshots"


@pytest.fixture
def snapshot() -> Snapshot:
    def check(name: str, actual: str) -> None:
        path = SNAPSHOTS / f"{name}.txt"
        if os.environ.get("UPDATE_SNAPSHOTS") == "1":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8", newline="")
            return
        if not path.exists():
            pytest.fail(f"no snapshot {path.name}; run with UPDATE_SNAPSHOTS=1 to create it")
        with path.open(encoding="utf-8", newline="") as stored:
            assert actual == stored.read(), f"output differs from snapshot {path.name}"

    return check


@pytest.fixture
def clock() -> Callable[[], float]:
    """Reads 0.0 the first time (when a writer is made), 1.25 every time after."""
    readings = iter([0.0])
    return lambda: next(readings, 1.25)
