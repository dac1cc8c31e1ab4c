"""Helpers for the batch tests: run a whole batch through the CLI, read results back."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from cli_support import Result, RunCli

FAST = {"AZRESP_BATCH_POLL_SECONDS": "0.02"}


def env_of(emulator_env: dict[str, str], **extra: str) -> dict[str, str]:
    return {**emulator_env, **FAST, **extra}


def submit(azresp: RunCli, env: dict[str, str], *argv: str, stdin: str | None = None) -> list[str]:
    result = azresp("batch", "submit", *argv, env=env, stdin=stdin)
    assert result.exit_code == 0, result.stderr
    ids = result.stdout.split()
    assert ids and all(batch_id.startswith("batch_") for batch_id in ids), result.stdout
    return ids


def watch(azresp: RunCli, env: dict[str, str], batch_id: str) -> Result:
    return azresp("batch", "status", "--watch", batch_id, env=env)


def rows_of(path: Path) -> list[dict[str, Any]]:
    if path.suffix == ".csv":
        with path.open(newline="", encoding="utf-8") as file:
            return list(csv.DictReader(file))
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def emulator_get(emulator: Any, path: str) -> Any:
    import urllib.request

    request = urllib.request.Request(  # noqa: S310  # the test's loopback emulator
        emulator.base_url + path, headers={"api-key": "test-key"}
    )
    with urllib.request.urlopen(request, timeout=10) as reply:  # noqa: S310
        return json.loads(reply.read())


def generations(emulator: Any) -> dict[str, int]:
    """How many responses the emulator generated per prompt (GET /_emulator/generations)."""
    import urllib.request

    root = emulator.base_url.removesuffix("openai/v1/")
    request = urllib.request.Request(  # noqa: S310  # the test's loopback emulator
        root + "_emulator/generations", headers={"api-key": "test-key"}
    )
    with urllib.request.urlopen(request, timeout=10) as reply:  # noqa: S310
        counts: dict[str, int] = json.loads(reply.read())
    return counts
