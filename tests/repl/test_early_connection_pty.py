"""`azresp chat -i PROMPT` asks at once: its first turn goes over the connection opened while
openai imports (core/early_connection.py), as a one-shot's does; counted at a loopback proxy."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pexpect
import pytest
from cli_support import spawn_azresp, terminal_env

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.latency import DelayProxy

READY = "\x1b[?2004h"  # bracketed paste on: the prompt is ready for a line


@pytest.mark.slow
@pytest.mark.pty
def test_the_first_prompt_of_chat_i_makes_the_only_connection(
    emulator: Any, tmp_path: Path
) -> None:
    parts = urlsplit(emulator.base_url)
    with DelayProxy(parts.hostname or "127.0.0.1", parts.port or 80, 0.0) as proxy:
        endpoint = f"http://127.0.0.1:{proxy.port}/openai/v1/"
        child = spawn_azresp(
            "chat",
            "-i",
            "[[reply:asked at once]]",
            env=terminal_env(tmp_path, endpoint),
            dimensions=(40, 160),
            timeout=30,
        )
        try:
            child.expect(re.escape("asked at once"))
            child.expect(re.escape(READY))
            child.sendcontrol("d")
            child.expect(pexpect.EOF)
        finally:
            child.close(force=True)
        assert child.exitstatus == 0
        assert proxy.connections == 1
