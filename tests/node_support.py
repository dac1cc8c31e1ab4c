"""Where the node clients (Codex CLI, the Vercel AI SDK) live, and how tests/compat runs them.

`scripts/install_node_clients.sh` installs them from the npm registry into `.ci-node/` (or
$AZRESP_NODE_CLIENTS); .ci/run calls it, and the first test that needs them calls it when they
are missing. A test that needs them skips, with the reason, only when node (or npm, or the
registry) is not available; under CI (CI=true, where .ci/run installs node and the clients) it
fails instead, so a broken install step cannot pass as a skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NODE_SOURCES = REPO / "tests" / "compat" / "node"
INSTALL_TIMEOUT = 600  # seconds for `npm ci` of the pinned clients


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
    if not _installed(modules):
        if shutil.which("npm") is None:
            _missing("npm is not installed (apt-get install npm)")
        done = subprocess.run(
            ["bash", str(REPO / "scripts" / "install_node_clients.sh")],
            env={**os.environ, "AZRESP_NODE_CLIENTS": str(modules.parent)},
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT,
            check=False,
        )
        if done.returncode != 0 or not _installed(modules):
            _missing(
                f"could not install the node clients into {modules.parent}"
                f" (scripts/install_node_clients.sh): {done.stderr.strip()[-300:]}"
            )
    return modules


def _installed(modules: Path) -> bool:
    return (modules / "@openai" / "codex").is_dir() and (modules / "ai").is_dir()


def loopback_only_env(**extra: str) -> dict[str, str]:
    """A child's environment: no proxies (loopback goes direct), nothing of the user's."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name in ("PATH", "LANG", "LC_ALL", "TZ", "TERM", "SYSTEMROOT")
    }
    env.update(NO_PROXY="127.0.0.1,localhost,::1", no_proxy="127.0.0.1,localhost,::1", **extra)
    return env
