"""Where the node clients (Codex CLI, the Vercel AI SDK) live, and how tests/compat runs them.

`scripts/install_node_clients.sh` installs them from the npm registry into `.ci-node/` (or
$AZRESP_NODE_CLIENTS). A test that needs them skips, with the reason, when node is not
installed; under CI (CI=true, where .ci/run installs node and the clients) a missing client
fails instead, so a broken install step cannot pass as a skip.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NODE_SOURCES = REPO / "tests" / "compat" / "node"


def node_clients_dir() -> Path:
    return Path(os.environ.get("AZRESP_NODE_CLIENTS") or REPO / ".ci-node").resolve()


def _missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI installs it in .ci/run)")
    pytest.skip(reason)


def require_node_modules() -> Path:
    """The installed clients' node_modules; skips (fails under CI) when they are missing."""
    if shutil.which("node") is None:
        _missing("node is not installed (apt-get install nodejs npm)")
    modules = node_clients_dir() / "node_modules"
    if not (modules / "@openai" / "codex").is_dir() or not (modules / "ai").is_dir():
        _missing(
            f"the node clients are not installed in {modules.parent}:"
            " run scripts/install_node_clients.sh"
        )
    return modules


def loopback_only_env(**extra: str) -> dict[str, str]:
    """A child's environment: no proxies (loopback goes direct), nothing of the user's."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name in ("PATH", "LANG", "LC_ALL", "TZ", "TERM", "SYSTEMROOT")
    }
    env.update(NO_PROXY="127.0.0.1,localhost,::1", no_proxy="127.0.0.1,localhost,::1", **extra)
    return env
