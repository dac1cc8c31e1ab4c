"""`azresp emulator`: a foreground server that prints its base URL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from cli_support import TEST_KEY

pytestmark = pytest.mark.slow  # every test here runs `azresp emulator` as a process


def test_emulator_prints_its_url_serves_the_sdk_and_stops_on_ctrl_c() -> None:
    import openai

    process = subprocess.Popen(
        [sys.executable, "-m", "azresp_cli", "emulator", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/openai/v1/")
        client = openai.OpenAI(base_url=base_url, api_key=TEST_KEY, max_retries=0)
        response = client.responses.create(model="any", input="[[reply:served]]")
        assert response.output_text == "served"
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=20)
    assert process.returncode in (0, 130)
    assert "Traceback" not in stderr


def test_emulator_refuses_a_non_loopback_host() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "azresp_cli", "emulator", "--host", "0.0.0.0", "--port", "0"],  # noqa: S104
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "--allow-remote" in result.stderr
