"""Helpers for running azresp in tests: results, a fake terminal stream, the test key, and the
one CLI runner every fixture uses (tests/conftest.py: ``azresp``, ``azresp_process``)."""

from __future__ import annotations

import functools
import io
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pexpect
    from openai import OpenAI

TEST_KEY = "sk-test-SECRET-123456"
TESTS_DIR = Path(__file__).resolve().parent
# keyring's "fail" backend: no test reads or writes the real system keyring (azresp falls back
# to its credentials file); a test may name another backend (tests/setup/fake_keyring.py).
NO_KEYRING = "keyring.backends.fail.Keyring"


@dataclass(frozen=True)
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


class TtyStringIO(io.StringIO):
    """A StringIO that says it is a terminal, for what rich and prompt_toolkit ask of it."""

    def isatty(self) -> bool:
        return True


RunCli = Callable[..., Result]


@dataclass(frozen=True)
class CliRunner:
    """``runner(*argv, stdin=None, tty=False, answers=None, env=None)`` runs azresp in-process
    with an injected Environment whose directories are the test's own; returns a Result.

    ``tty``: stdout and stderr are a terminal (colour, panels, live output). ``answers``: what a
    person types at the terminal (stdin is then a TTY, and so is stderr, where prompts go).
    ``stdin``: piped input. ``env``: variables on top of ``variables``."""

    config_dir: Path
    data_dir: Path
    variables: Mapping[str, str] = field(default_factory=dict)

    def with_env(self, variables: Mapping[str, str]) -> CliRunner:
        """The same runner with more variables set on every call."""
        return CliRunner(self.config_dir, self.data_dir, {**self.variables, **variables})

    def __call__(
        self,
        *argv: str,
        stdin: str | None = None,
        tty: bool = False,
        answers: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Result:
        from azresp_cli.cli.main import run
        from azresp_cli.core.environment import Environment

        stdout = TtyStringIO() if tty else io.StringIO()
        stderr = TtyStringIO() if tty or answers is not None else io.StringIO()
        stdin_stream = TtyStringIO(answers) if answers is not None else io.StringIO(stdin or "")
        environment = Environment(
            stdin=stdin_stream,
            stdout=stdout,
            stderr=stderr,
            stdin_isatty=answers is not None or (stdin is None and tty),
            stdout_isatty=tty,
            stderr_isatty=tty or answers is not None,
            variables={**self.variables, **(env or {})},
            config_dir=self.config_dir,
            data_dir=self.data_dir,
        )
        code = run(list(argv), environment)
        return Result(code, stdout.getvalue(), stderr.getvalue())


def runner_variables(home: Path) -> dict[str, str]:
    """What every in-process run and every azresp subprocess sees on top of its own env."""
    return {
        "COLUMNS": "100",
        "LINES": "40",
        "HOME": str(home),
        "PYTHON_KEYRING_BACKEND": NO_KEYRING,
    }


def process_variables(config_dir: Path, data_dir: Path, home: Path) -> dict[str, str]:
    """The environment of an azresp subprocess: this one, less any Azure or azresp settings,
    plus the test's directories, and tests/ on PYTHONPATH (for fake keyring backends)."""
    inherited = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AZURE_", "AZRESP_", "PYTHON_KEYRING", "XDG_"))
    }
    return {
        **inherited,
        **runner_variables(home),
        "AZRESP_CONFIG_DIR": str(config_dir),
        "AZRESP_DATA_DIR": str(data_dir),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(TESTS_DIR), os.environ.get("PYTHONPATH")])),
    }


Process = Callable[..., "subprocess.CompletedProcess[str]"]
FORKSERVER = TESTS_DIR / "forkserver.py"


def azresp_command() -> list[str]:
    """The command that starts azresp as a process: through the run's fork server
    (tests/forkserver.py) when it serves, else ``python -m azresp_cli``. Tests about start-up
    itself (what it imports, the console script, peak memory) start the interpreter themselves."""
    return python_command("azresp")


def spawn_azresp(*argv: str, env: Mapping[str, str], **options: Any) -> pexpect.spawn:
    """azresp ARGV in a pseudo-terminal (pexpect), started as `azresp_command` starts it."""
    import pexpect

    program, *arguments = azresp_command()
    return pexpect.spawn(program, [*arguments, *argv], env=dict(env), **options)


def terminal_env(tmp_path: Path, endpoint: str) -> dict[str, str]:
    """The environment of azresp in a pseudo-terminal: this one less Azure and azresp settings,
    ``endpoint`` with the test key and deployment, the test's directories, no retries, an
    xterm, and no cursor-position requests (pexpect answers none)."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AZURE_", "AZRESP_"))},
        "AZURE_OPENAI_ENDPOINT": endpoint,
        "AZURE_OPENAI_API_KEY": TEST_KEY,
        "AZURE_OPENAI_DEPLOYMENT": "gpt-test",
        "AZRESP_CONFIG_DIR": str(tmp_path / "config"),
        "AZRESP_DATA_DIR": str(tmp_path / "data"),
        "AZRESP_MAX_RETRIES": "0",
        "TERM": "xterm-256color",
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }


def python_command(program: str | Path) -> list[str]:
    """``python SCRIPT`` (or azresp, named ``azresp``) through the fork server when it serves."""
    return [sys.executable, "-I", "-S", str(FORKSERVER), "run", str(program)]


@functools.cache
def azresp_executable() -> str:
    """An executable file that is `azresp` (through the fork server), for a shell's PATH or a
    program that takes one executable."""
    import atexit
    import shlex
    import shutil
    import tempfile

    directory = Path(tempfile.mkdtemp(prefix="azresp-tests-bin-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    script = directory / "azresp"
    script.write_text(f'#!/bin/sh\nexec {shlex.join(azresp_command())} "$@"\n')
    script.chmod(0o755)
    return str(script)


@dataclass
class ForkServer:
    process: subprocess.Popen[bytes]
    directory: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for leftover in self.directory.iterdir():
            leftover.unlink()
        self.directory.rmdir()


def start_fork_server() -> ForkServer | None:
    """Start the fork server for this run and point every azresp process at it (its socket
    appears once the server has imported what it preloads; until then runs start the usual way).
    TESTS_FORKSERVER_SOCKET=off turns it off."""
    from forkserver import SOCKET_VARIABLE

    if os.environ.get(SOCKET_VARIABLE) == "off":
        os.environ.pop(SOCKET_VARIABLE)
        return None
    import tempfile

    directory = Path(tempfile.mkdtemp(prefix="azresp-forkserver-"))
    path = directory / "socket"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(TESTS_DIR), os.environ.get("PYTHONPATH")])),
    }
    with (directory / "log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, str(FORKSERVER), "serve", str(path)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a Ctrl-C at the terminal is for pytest, not for it
        )
    os.environ[SOCKET_VARIABLE] = str(path)
    return ForkServer(process, directory)


def process_runner(variables: Mapping[str, str]) -> Process:
    """``call(*argv, env=None, stdin="", timeout=60)``: azresp ARGV as a process."""

    def call(
        *argv: str, env: Mapping[str, str] | None = None, stdin: str = "", timeout: float = 60
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*azresp_command(), *argv],
            input=stdin,
            capture_output=True,
            text=True,
            env={**variables, **(env or {})},
            timeout=timeout,
            check=False,
        )

    return call


def sdk_client(base_url: str, *, api_key: str = TEST_KEY, **options: Any) -> OpenAI:
    """An openai SDK client for an emulator on plain http (``max_retries=0`` unless given).

    Plain http has no certificate to check, so its HTTP client skips loading the certificate
    store: 40-80 ms of CPU per client, a tenth of the quick loop's CPU when every test built one.
    """
    from openai import DefaultHttpxClient, OpenAI

    assert base_url.startswith("http://"), base_url
    options.setdefault("max_retries", 0)
    options.setdefault("http_client", DefaultHttpxClient(verify=False))
    return OpenAI(base_url=base_url, api_key=api_key, **options)


class FakeClock:
    """A clock for core/clock.py that never sleeps: it notes each wait and moves on by it."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def wall(self) -> float:
        return self.now
