"""Run azresp the way users do: in-process with an injected Environment, or as a subprocess."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_support import TEST_KEY, Result, RunCli, TtyStringIO

from azresp_cli.cli.main import run
from azresp_cli.core.environment import Environment


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "config", tmp_path / "data"


@pytest.fixture
def azresp(dirs: tuple[Path, Path]) -> RunCli:
    """Call ``azresp(*argv, stdin=..., tty=..., env={...})`` and get a Result."""
    config_dir, data_dir = dirs

    def call(
        *argv: str,
        stdin: str | None = None,
        tty: bool = False,
        env: dict[str, str] | None = None,
    ) -> Result:
        stdout = TtyStringIO() if tty else io.StringIO()
        stderr = TtyStringIO() if tty else io.StringIO()
        variables = {"COLUMNS": "80", "LINES": "40", **(env or {})}
        environment = Environment(
            stdin=io.StringIO(stdin or ""),
            stdout=stdout,
            stderr=stderr,
            stdin_isatty=stdin is None and tty,
            stdout_isatty=tty,
            stderr_isatty=tty,
            variables=variables,
            config_dir=config_dir,
            data_dir=data_dir,
        )
        code = run(list(argv), environment)
        return Result(code, stdout.getvalue(), stderr.getvalue())

    return call


@pytest.fixture
def emulator_env(emulator: object) -> dict[str, str]:
    """Variables that point azresp at the test emulator with a test key."""
    return {
        "AZURE_OPENAI_ENDPOINT": emulator.base_url,  # type: ignore[attr-defined]
        "AZURE_OPENAI_API_KEY": TEST_KEY,
        "AZURE_OPENAI_DEPLOYMENT": "gpt-test",
    }


@pytest.fixture
def azresp_process(dirs: tuple[Path, Path]) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the real console entry point in a subprocess (for pipes, exit status, imports)."""
    config_dir, data_dir = dirs

    def call(
        *argv: str, env: dict[str, str] | None = None, stdin: str = "", timeout: float = 60
    ) -> subprocess.CompletedProcess[str]:
        variables = {
            **{k: v for k, v in os.environ.items() if not k.startswith("AZURE_OPENAI")},
            "AZRESP_CONFIG_DIR": str(config_dir),
            "AZRESP_DATA_DIR": str(data_dir),
            **(env or {}),
        }
        return subprocess.run(
            [sys.executable, "-m", "azresp_cli", *argv],
            input=stdin,
            capture_output=True,
            text=True,
            env=variables,
            timeout=timeout,
            check=False,
        )

    return call
