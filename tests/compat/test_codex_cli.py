"""Codex CLI (`@openai/codex`, pinned in tests/compat/node) runs `codex exec` against the emulator.

Codex is configured as users would point it at any Responses endpoint: a custom model provider
with `wire_api = "responses"` and an env key, in a throwaway CODEX_HOME. Everything that would
reach beyond the provider is switched off (update check, analytics, feedback, plugins, apps,
remote models, memories, web search), commands run in Codex's read-only sandbox without
approvals, and one test proves under strace that Codex connects to nothing but loopback.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from node_support import loopback_only_env

from azresp_cli.emulator.runner import RecordedRequest, RunningEmulator

pytestmark = pytest.mark.slow  # runs a node client as a process

TIMEOUT = 180  # seconds for one `codex exec`; a hang is a failure, not a stuck suite
KEY_ENV = "AZRESP_EMULATOR_KEY"
# A model Codex knows (its built-in catalog), so it sends what it sends for real models.
MODEL = "gpt-5.5"

CONFIG = """\
model = "{model}"
model_provider = "azresp"
approval_policy = "never"
sandbox_mode = "read-only"
allow_login_shell = false
check_for_update_on_startup = false
web_search = "disabled"

[analytics]
enabled = false

[feedback]
enabled = false

[history]
persistence = "none"

[otel]
exporter = "none"

[features]
plugins = false
remote_plugin = false
apps = false
remote_models = false
memories = false

[model_providers.azresp]
name = "azresp emulator"
base_url = "{base_url}"
env_key = "{key_env}"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0
"""


@dataclass
class CodexRun:
    returncode: int
    events: list[dict[str, Any]]  # `--json` lines
    last_message: str
    stderr: str

    def why(self) -> str:
        """What went wrong, for an assertion message: error events, then stderr's tail."""
        failures = [e for e in self.events if e.get("type") in ("error", "turn.failed")]
        return f"{json.dumps(failures)[:2000]}\n{self.stderr[-2000:]}"

    def items(self, kind: str) -> list[dict[str, Any]]:
        return [
            event["item"]
            for event in self.events
            if event.get("type") == "item.completed" and event["item"].get("type") == kind
        ]


def run_codex(
    emulator: RunningEmulator,
    node_modules: Path,
    tmp_path: Path,
    prompt: str,
    *,
    wrapper: tuple[str, ...] = (),
    sandbox: str = "read-only",
) -> CodexRun:
    home, codex_home, work = tmp_path / "home", tmp_path / "codex-home", tmp_path / "work"
    for folder in (home, codex_home, work):
        folder.mkdir(exist_ok=True)
    config = CONFIG.format(model=MODEL, base_url=emulator.base_url.rstrip("/"), key_env=KEY_ENV)
    (codex_home / "config.toml").write_text(config, encoding="utf-8")
    last = tmp_path / "last-message.txt"
    command = [
        *wrapper,
        str(node_modules / ".bin" / "codex"),
        "exec",
        "--strict-config",  # a config key this Codex does not know is an error, not ignored
        "--ephemeral",
        "--skip-git-repo-check",
        "--json",
        "--color=never",
        "--sandbox",
        sandbox,
        "-C",
        str(work),
        "-o",
        str(last),
        prompt,
    ]
    env = loopback_only_env(HOME=str(home), CODEX_HOME=str(codex_home), **{KEY_ENV: "sk-test"})
    done = subprocess.run(
        command,
        env=env,
        cwd=work,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    events = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    message = last.read_text(encoding="utf-8") if last.exists() else ""
    return CodexRun(done.returncode, events, message, done.stderr)


def creates(emulator: RunningEmulator) -> list[RecordedRequest]:
    return [r for r in emulator.requests if r.method == "POST" and r.path.endswith("/responses")]


def test_codex_exec_gets_a_plain_answer(
    emulator: RunningEmulator, node_modules: Path, tmp_path: Path
) -> None:
    run = run_codex(emulator, node_modules, tmp_path, "[[reply:hello from the emulator]]")

    assert run.returncode == 0, run.why()
    assert run.last_message == "hello from the emulator"
    assert [item["text"] for item in run.items("agent_message")] == ["hello from the emulator"]
    assert run.items("error") == []
    [request] = creates(emulator)
    body = request.json
    # What Codex sends on every turn, and what the emulator refused before: client_metadata.
    assert isinstance(body["client_metadata"]["thread_id"], str)
    assert body["stream"] is True and body["store"] is False
    assert body["include"] == ["reasoning.encrypted_content"]
    assert request.headers["authorization"] == "***"  # the env key went out, masked in the log


def test_codex_exec_runs_a_shell_command_the_model_asks_for(
    emulator: RunningEmulator, node_modules: Path, tmp_path: Path
) -> None:
    prompt = '[[call:exec_command {"cmd": "echo codex-round-trip"}]] run the command'
    run = run_codex(emulator, node_modules, tmp_path, prompt)

    assert run.returncode == 0, run.why()
    [command] = run.items("command_execution")
    assert "echo codex-round-trip" in command["command"]
    assert command["exit_code"] == 0
    assert "codex-round-trip" in command["aggregated_output"]
    # The scripted model's answer quotes the tool output it was sent back.
    assert "tool `exec_command` returned" in run.last_message
    assert "codex-round-trip" in run.last_message

    first, second = creates(emulator)
    tools = {tool.get("name") for tool in first.json["tools"]}
    assert "exec_command" in tools
    replayed = second.json["input"]
    [call] = [item for item in replayed if item.get("type") == "function_call"]
    [output] = [item for item in replayed if item.get("type") == "function_call_output"]
    assert call["name"] == "exec_command"
    assert output["call_id"] == call["call_id"]
    assert "codex-round-trip" in json.dumps(output["output"])
    # Stateless (store: false): Codex replays the encrypted reasoning, and the emulator took it.
    reasoning = [item for item in replayed if item.get("type") == "reasoning"]
    assert reasoning and all(item.get("encrypted_content") for item in reasoning)


def test_codex_exec_applies_a_patch_the_model_writes(
    emulator: RunningEmulator, node_modules: Path, tmp_path: Path
) -> None:
    # apply_patch is a custom (freeform) tool: its call carries text, not JSON arguments.
    patch = r"*** Begin Patch\n*** Add File: hello.txt\n+written by codex\n*** End Patch"
    prompt = f"[[call:apply_patch {patch}]] create the file"
    run = run_codex(emulator, node_modules, tmp_path, prompt, sandbox="workspace-write")

    assert run.returncode == 0, run.why()
    assert (tmp_path / "work" / "hello.txt").read_text(encoding="utf-8") == "written by codex\n"
    [change] = run.items("file_change")
    assert change["status"] == "completed"
    assert "tool `apply_patch` returned" in run.last_message

    first, second = creates(emulator)
    [tool] = [t for t in first.json["tools"] if t.get("name") == "apply_patch"]
    assert tool["type"] == "custom"
    replayed = second.json["input"]
    [call] = [item for item in replayed if item.get("type") == "custom_tool_call"]
    [output] = [item for item in replayed if item.get("type") == "custom_tool_call_output"]
    assert call["input"].startswith("*** Begin Patch\n*** Add File: hello.txt")
    assert output["call_id"] == call["call_id"]


_ADDRESS = re.compile(r'inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)"')


def test_codex_contacts_nothing_but_the_emulator(
    emulator: RunningEmulator, node_modules: Path, tmp_path: Path
) -> None:
    strace = shutil.which("strace")
    if strace is None:
        pytest.skip("strace is not installed (apt-get install strace)")
    trace = tmp_path / "strace.txt"
    wrapper = (strace, "-f", "-qq", "-e", "trace=connect,sendto,sendmsg,sendmmsg", "-o", str(trace))
    run = run_codex(emulator, node_modules, tmp_path, "[[reply:only loopback]]", wrapper=wrapper)
    if run.returncode != 0 and re.search(r"^strace: .*ptrace", run.stderr, re.I | re.M):
        pytest.skip(f"strace cannot trace here: {run.stderr.strip()[:200]}")

    assert run.returncode == 0, run.why()
    assert run.last_message == "only loopback"
    addresses = {a or b for a, b in _ADDRESS.findall(trace.read_text(encoding="utf-8"))}
    assert "127.0.0.1" in addresses  # the trace did see Codex reach the emulator
    assert addresses <= {"127.0.0.1", "::1"}, addresses
