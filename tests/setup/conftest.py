"""Run azresp for the setup features: in-process with an injected Environment, or as a process.

Both keep every directory (config, data, HOME) in tmp_path and force keyring's "fail" backend,
so no test ever reads or writes the real system keyring: the credentials file is used instead,
unless a test names another backend (tests/setup/fake_keyring.py).
"""

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

NO_KEYRING = "keyring.backends.fail.Keyring"
TESTS_DIR = Path(__file__).resolve().parent.parent
Process = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    return tmp_path / "config"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def base_variables(home: Path) -> dict[str, str]:
    return {
        "COLUMNS": "100",
        "LINES": "40",
        "HOME": str(home),
        "PYTHON_KEYRING_BACKEND": NO_KEYRING,
    }


@pytest.fixture
def azresp(config_dir: Path, data_dir: Path, base_variables: dict[str, str]) -> RunCli:
    """``azresp(*argv, stdin=..., tty=..., env={...})`` in-process; returns a Result."""

    def call(
        *argv: str, stdin: str | None = None, tty: bool = False, env: dict[str, str] | None = None
    ) -> Result:
        stdout = TtyStringIO() if tty else io.StringIO()
        stderr = TtyStringIO() if tty else io.StringIO()
        environment = Environment(
            stdin=io.StringIO(stdin or ""),
            stdout=stdout,
            stderr=stderr,
            stdin_isatty=stdin is None and tty,
            stdout_isatty=tty,
            stderr_isatty=tty,
            variables={**base_variables, **(env or {})},
            config_dir=config_dir,
            data_dir=data_dir,
        )
        code = run(list(argv), environment)
        return Result(code, stdout.getvalue(), stderr.getvalue())

    return call


@pytest.fixture
def process_env(config_dir: Path, data_dir: Path, base_variables: dict[str, str]) -> dict[str, str]:
    """The environment of an azresp subprocess: this one, less any Azure settings, plus tmp dirs."""
    inherited = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AZURE_", "AZRESP_", "PYTHON_KEYRING", "XDG_"))
    }
    return {
        **inherited,
        **base_variables,
        "AZRESP_CONFIG_DIR": str(config_dir),
        "AZRESP_DATA_DIR": str(data_dir),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(TESTS_DIR), os.environ.get("PYTHONPATH")])),
    }


@pytest.fixture
def azresp_process(process_env: dict[str, str]) -> Process:
    """Run ``python -m azresp_cli ARGV`` with ``stdin``; returns the CompletedProcess."""

    def call(
        *argv: str, env: dict[str, str] | None = None, stdin: str = "", timeout: float = 60
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "azresp_cli", *argv],
            input=stdin,
            capture_output=True,
            text=True,
            env={**process_env, **(env or {})},
            timeout=timeout,
            check=False,
        )

    return call


@pytest.fixture
def emulator_env(emulator: object) -> dict[str, str]:
    """Variables that point azresp at the session's emulator with the test key."""
    return {
        "AZURE_OPENAI_ENDPOINT": emulator.base_url,  # type: ignore[attr-defined]
        "AZURE_OPENAI_API_KEY": TEST_KEY,
        "AZURE_OPENAI_DEPLOYMENT": "gpt-test",
    }
