"""The Vercel AI SDK (`ai` with `@ai-sdk/openai`'s responses model) against the emulator.

tests/compat/node/ai_sdk_check.mjs does a plain answer, a streamed answer, a function-tool
round trip and a structured object, printing one JSON line per check.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from node_support import NODE_SOURCES, loopback_only_env

from azresp_cli.emulator.runner import RunningEmulator

pytestmark = pytest.mark.slow  # runs a node client as a process

TIMEOUT = 120


def run_script(emulator: RunningEmulator, node_modules: Path, tmp_path: Path) -> dict[str, Any]:
    # ES modules resolve packages next to the script: run a copy beside a node_modules link.
    script = tmp_path / "ai_sdk_check.mjs"
    shutil.copyfile(NODE_SOURCES / "ai_sdk_check.mjs", script)
    (tmp_path / "node_modules").symlink_to(node_modules, target_is_directory=True)
    done = subprocess.run(
        ["node", str(script), emulator.base_url.rstrip("/")],
        env=loopback_only_env(HOME=str(tmp_path)),
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return {line.pop("check"): line for line in lines}


def test_ai_sdk_responses_model_answers_streams_calls_tools_and_returns_objects(
    emulator: RunningEmulator, node_modules: Path, tmp_path: Path
) -> None:
    checks = run_script(emulator, node_modules, tmp_path)

    assert checks["generate"] == {"text": "hello from the AI SDK", "finishReason": "stop"}
    assert checks["stream"]["text"] == "streamed through the AI SDK"
    assert checks["stream"]["deltas"] >= 2  # it arrived in pieces, not as one block
    tools = checks["tools"]
    assert tools["calls"] == ["Oslo"]
    assert tools["steps"] == 2  # the call, then the answer with the tool's result
    assert "tool `get_weather` returned: `sunny in Oslo`" in tools["text"]
    assert checks["object"] == {"object": {"name": "Oslo", "country": "Norway"}}

    bodies = [
        r.json for r in emulator.requests if r.method == "POST" and r.path.endswith("/responses")
    ]
    assert len(bodies) == 5  # generate, stream, the two tool steps, the object
    outputs = [i for i in bodies[3]["input"] if i.get("type") == "function_call_output"]
    assert len(outputs) == 1 and "sunny in Oslo" in json.dumps(outputs[0]["output"])
    assert bodies[4]["text"]["format"]["type"] == "json_schema"
