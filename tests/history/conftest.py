"""Run azresp in-process with its data dir in tmp_path (as tests/cli does)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from cli_support import Result, RunCli, TtyStringIO

from azresp_cli.cli.main import run
from azresp_cli.core.environment import Environment


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def azresp(tmp_path: Path, data_dir: Path) -> RunCli:
    """Call ``azresp(*argv, stdin=..., tty=..., env={...})`` and get a Result."""

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
            variables={"COLUMNS": "80", "LINES": "40", **(env or {})},
            config_dir=tmp_path / "config",
            data_dir=data_dir,
        )
        code = run(list(argv), environment)
        return Result(code, stdout.getvalue(), stderr.getvalue())

    return call
