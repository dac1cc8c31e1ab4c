"""The real console entry point in a subprocess: pipes, Ctrl-C, secrets, start-up imports."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pexpect
import pytest
from cli_support import TEST_KEY, spawn_azresp

pytestmark = pytest.mark.slow  # every test here runs azresp as a process

Process = Callable[..., subprocess.CompletedProcess[str]]


def test_version_comes_from_package_metadata(azresp_process: Process) -> None:
    from importlib.metadata import version

    result = azresp_process("--version")
    assert (result.returncode, result.stdout) == (0, f"azresp {version('azresp')}\n")


def test_help_does_not_import_heavy_modules() -> None:
    probe = (
        "import sys; from azresp_cli.cli.main import run; "
        "from azresp_cli.core.environment import Environment; import io; "
        "env = Environment(io.StringIO(), io.StringIO(), io.StringIO(), False, False, False); "
        "[run(argv, env) for argv in (['--help'], ['chat', '--help'], ['get', '--help'])]; "
        "print([m for m in ('openai', 'azure.identity', 'prompt_toolkit', 'rich.markdown', "
        "'httpx2', 'starlette', 'uvicorn') if m in sys.modules])"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_secrets_never_reach_output_even_with_debug(
    azresp_process: Process, emulator_env: dict[str, str]
) -> None:
    ok = azresp_process("chat", "--debug", "[[reply:hello]]", env=emulator_env)
    assert ok.returncode == 0, ok.stderr
    assert "debug:" in ok.stderr  # debug output is really on
    failed = azresp_process(
        "chat", "--debug", "[[fault:429]]", env={**emulator_env, "AZRESP_MAX_RETRIES": "0"}
    )
    assert failed.returncode == 5
    for result in (ok, failed):
        assert TEST_KEY not in result.stdout + result.stderr
        assert "Traceback" not in result.stdout


@pytest.fixture
def fake_az(tmp_path: Path) -> Path:
    """An `az` on PATH that hands out a fixed token, as `az account get-access-token` would."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "az"
    token = {"accessToken": "eyFAKE.ENTRA.TOKEN-987654", "expires_on": 4102444800}
    script.write_text(f"#!/bin/sh\necho '{json.dumps(token)}'\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return bin_dir


def test_entra_id_token_from_the_azure_cli(
    azresp_process: Process, emulator: object, emulator_env: dict[str, str], fake_az: Path
) -> None:
    env = {k: v for k, v in emulator_env.items() if k != "AZURE_OPENAI_API_KEY"}
    env["PATH"] = f"{fake_az}{os.pathsep}{os.environ['PATH']}"
    result = azresp_process("chat", "--auth", "cli", "--debug", "[[reply:ok]]", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ok\n"
    assert "AzureCliCredential" in result.stderr
    assert "eyFAKE.ENTRA.TOKEN-987654" not in result.stdout + result.stderr
    auth = emulator.requests[-1].headers.get("authorization")  # type: ignore[attr-defined]
    assert auth == "***"  # a bearer token was sent (the emulator masks it in its log)


def test_exit_3_when_no_entra_credential_is_available(
    azresp_process: Process, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    env = {k: v for k, v in emulator_env.items() if k != "AZURE_OPENAI_API_KEY"}
    env["PATH"] = str(tmp_path)  # no `az` anywhere
    result = azresp_process("chat", "--auth", "cli", "hi", env=env)
    assert result.returncode == 3, result.stderr
    assert "az login" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_closed_pipe_ends_quietly(emulator_env: dict[str, str], dirs: tuple[Path, Path]) -> None:
    env = {**os.environ, **emulator_env, "AZRESP_DATA_DIR": str(dirs[1])}
    process = subprocess.Popen(
        [sys.executable, "-m", "azresp_cli", "chat", "[[long:20000]]"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # what `| head -1` does
    stderr = process.stderr.read().decode()
    code = process.wait(timeout=60)
    assert first.strip()
    assert code == 0
    assert "Traceback" not in stderr and "Broken pipe" not in stderr and "error" not in stderr


@pytest.mark.pty
def test_ctrl_c_keeps_the_partial_answer_and_exits_130(
    emulator_env: dict[str, str], dirs: tuple[Path, Path]
) -> None:
    env = {**os.environ, **emulator_env, "AZRESP_DATA_DIR": str(dirs[1]), "TERM": "xterm"}
    child = spawn_azresp(
        "chat",
        "[[slow:100]] [[long:400]]",
        env=env,
        dimensions=(30, 100),
        timeout=30,
    )
    child.expect(rb"[a-z]{3,} [a-z]{3,}")  # the answer has started streaming
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130, child.before.decode(errors="replace")[-800:]
    seen = child.before.decode(errors="replace")
    assert "interrupted" in seen
    assert "Traceback" not in seen
