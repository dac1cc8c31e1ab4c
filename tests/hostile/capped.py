"""``capped``: run the real azresp in a subprocess with its address space capped; its peak RSS.

The cap (RLIMIT_AS) keeps a regression from eating the machine: an unbounded read ends in a
MemoryError instead of 12 GB. The peak resident size is read with getrusage(RUSAGE_CHILDREN)
in a fresh Python parent, so it is the child's alone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ADDRESS_SPACE_LIMIT = 2_000_000_000  # bytes; azresp needs ~0.5 GB of address space to start

_PARENT = """
import json, resource, subprocess, sys
limit, argv, env, stdin = json.loads(sys.argv[1])
def cap():
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
with open(stdin or "/dev/null", "rb") as source:
    try:
        done = subprocess.run(argv, env=env, stdin=source, capture_output=True, preexec_fn=cap,
                              timeout=120)
        code, out, err = done.returncode, done.stdout, done.stderr
    except subprocess.TimeoutExpired as exc:
        code, out, err = "timeout", exc.stdout or b"", exc.stderr or b""
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
tail = [text.decode(errors="replace")[-4000:] for text in (out, err)]
print(json.dumps([code, *tail, peak]))
"""


@dataclass(frozen=True)
class Run:
    exit_code: int | str  # "timeout" when it did not end within two minutes
    stdout: str
    stderr: str
    peak_rss: int  # bytes


Capped = Callable[..., Run]


@pytest.fixture
def capped(tmp_path: Path) -> Capped:
    """``capped(*argv, env={...}, stdin=PATH)``: run ``azresp argv`` under the address-space cap."""

    def run(*argv: str, env: dict[str, str] | None = None, stdin: str | None = None) -> Run:
        variables = {
            **{k: v for k, v in os.environ.items() if not k.startswith("AZURE_OPENAI")},
            "AZRESP_CONFIG_DIR": str(tmp_path / "config"),
            "AZRESP_DATA_DIR": str(tmp_path / "data"),
            **(env or {}),
        }
        spec = [ADDRESS_SPACE_LIMIT, [sys.executable, "-m", "azresp_cli", *argv], variables, stdin]
        done = subprocess.run(
            [sys.executable, "-c", _PARENT, json.dumps(spec)],
            capture_output=True,
            text=True,
            check=True,
            timeout=180,
        )
        code, out, err, peak = json.loads(done.stdout)
        return Run(code, out, err, peak)

    return run
