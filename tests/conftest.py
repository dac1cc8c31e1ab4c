"""Fixtures shared by every test package. Each section belongs to one area; add yours below."""

from __future__ import annotations

import compileall
import gc
import os
import platform
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_support import (
    TEST_KEY,
    CliRunner,
    FakeClock,
    ForkServer,
    Process,
    process_runner,
    process_variables,
    runner_variables,
    start_fork_server,
)

from azresp_cli.core.clock import Clock, using
from azresp_cli.emulator.runner import EmulatorConfig, RunningEmulator, start_in_thread

# Tests that start processes, drive a pseudo-terminal or take seconds by design are `slow`:
# `pytest -m "not slow"` is the inner loop. A test is slow when it carries @pytest.mark.slow or
# pty, or uses a fixture that runs azresp as a process; one that starts a process without the
# mark fails (`_processes_are_slow`).
_PROCESS_FIXTURES = {"azresp_process", "process_env", "capped"}  # capped: tests/hostile


@pytest.fixture(autouse=True)
def _processes_are_slow(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test not marked slow that starts a process (azresp, a shell, an MCP server, an editor)
    fails, naming it: `pytest -m "not slow"` stays the quick loop it promises."""
    if request.node.get_closest_marker("slow"):
        yield
        return
    started: list[str] = []
    original = subprocess.Popen.__init__

    def noting(self: subprocess.Popen[Any], args: Any, *more: Any, **options: Any) -> None:
        started.append(str(args))
        original(self, args, *more, **options)

    subprocess.Popen.__init__ = noting  # type: ignore[method-assign]
    try:
        yield
    finally:
        subprocess.Popen.__init__ = original  # type: ignore[method-assign]
    if started:
        pytest.fail(f"this test starts processes, mark it slow: {started[0][:200]}")


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: two workers a core for the whole suite, whose tests spend much of their time
    waiting on processes, pseudo-terminals and streams (2 cores: 169 s with 2 workers, 144 s with
    4); one more than the cores for the quick loop (`-m "not slow"`), which mostly computes,
    where each worker's own start-up and collection (3 CPU-s) is the cost (2 cores: 19.5 s with
    3 workers, 21 s with 4, 24 s with 2)."""
    if hasattr(os, "sched_getaffinity"):  # the cores this process may use (Linux)
        cores = len(os.sched_getaffinity(0))
    else:
        cores = os.cpu_count() or 1
    if "not slow" in (config.option.markexpr or ""):
        return min(16, cores + 1)
    return min(16, 2 * cores)


def pytest_configure(config: pytest.Config) -> None:
    # The platform module runs `uname -p` once per process, for whoever asks first (the SDK's
    # request headers): asked here, before any test, it is not counted as a test's process.
    platform.processor()
    if not hasattr(config, "workerinput"):  # xdist workers inherit the controller's environment
        _temporary_files_in_memory()
        _compile_azresp_once()
        if "not slow" not in (config.option.markexpr or ""):
            config.stash[_FORK_SERVER] = start_fork_server()


def pytest_unconfigure(config: pytest.Config) -> None:
    server = config.stash.get(_FORK_SERVER, None)
    if server is not None:
        server.stop()


_FORK_SERVER = pytest.StashKey[ForkServer | None]()


def _temporary_files_in_memory() -> None:
    """Tests' directories (tmp_path, the compile cache) on /dev/shm where it is a roomy tmpfs
    and TMPDIR is not chosen: every test makes a fresh data directory, whose history database
    is created, migrated and synced; on a disk those syncs are most of the quick loop's waiting.
    A small /dev/shm (64 MB in a default container) is not used: some tests write large files."""
    shm = Path("/dev/shm")
    if os.environ.get("TMPDIR") or not (shm.is_dir() and os.access(shm, os.W_OK | os.X_OK)):
        return
    stats = os.statvfs(shm)
    if stats.f_bavail * stats.f_frsize < 2 * 1024**3:
        return
    os.environ["TMPDIR"] = str(shm)
    tempfile.tempdir = None  # asked again, it reads TMPDIR


def _compile_azresp_once() -> None:
    """Compile azresp's modules once for the run, into a cache every interpreter reads.

    Hundreds of tests start `python -m azresp_cli`. Where PYTHONDONTWRITEBYTECODE is set (as in
    CI containers) or the checkout is read-only, each of those interpreters compiled every
    module from source again: about a second of CPU each. The cache lives outside the checkout
    (PYTHONPYCACHEPREFIX), so the source tree is left as it was."""
    default = Path(tempfile.gettempdir()) / f"azresp-tests-pycache-{os.getuid()}"
    prefix = os.environ.setdefault("PYTHONPYCACHEPREFIX", str(default))
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.pycache_prefix = prefix
    sys.dont_write_bytecode = False
    package = Path(__file__).resolve().parent.parent / "azresp_cli"
    compileall.compile_dir(package, quiet=1)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Freeze what collection made (openai's types, pydantic's schemas, every test module:
    most of a worker's heap) out of the cyclic collector's way, as azresp does after start-up
    (cli/startup_gc.py): each full collection during the run would scan it all again."""
    gc.freeze()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("pty") or fixtures & _PROCESS_FIXTURES:
            item.add_marker(pytest.mark.slow)
    # The slow tests first (each group in its own order): the long ones start while there is
    # work left to run beside them, instead of ending the run alone on one worker.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


# ---------------------------------------------------------------------------------------
# Emulator fixtures (owned by the emulator work; see tests/emulator/).
#
# `emulator`: one emulator per test session on 127.0.0.1, reset before each test (no
#   recorded requests, no stored responses, no fired `once` faults). Its default config
#   accepts any key and any deployment.
# `emulator_factory(config=None)`: a fresh emulator with its own EmulatorConfig, stopped
#   when the test ends.
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _shared_emulator() -> Iterator[RunningEmulator]:
    with start_in_thread() as running:
        yield running


@pytest.fixture
def emulator(_shared_emulator: RunningEmulator) -> RunningEmulator:
    _shared_emulator.reset()
    return _shared_emulator


EmulatorFactory = Callable[..., RunningEmulator]


@pytest.fixture
def emulator_factory() -> Iterator[EmulatorFactory]:
    started: list[RunningEmulator] = []

    def start(config: EmulatorConfig | None = None) -> RunningEmulator:
        running = start_in_thread(config=config)
        started.append(running)
        return running

    yield start
    for running in started:
        running.stop()


# --------------------------------- end of emulator fixtures ---------------------------------


# ---------------------------------------------------------------------------------------
# The CLI runner: the one definition every test package uses.
#
# `azresp(*argv, stdin=None, tty=False, answers=None, env=None)`: azresp in-process with an
#   injected Environment (cli_support.CliRunner); config, data and HOME are the test's own,
#   so `--emulator` keeps its state there between calls, as between real processes.
# `azresp_process(*argv, env=None, stdin="", timeout=60)`: `python -m azresp_cli` in a
#   subprocess with the same directories (`process_env`).
# `emulator_env`: variables pointing azresp at the test emulator with the test key;
#   `cli_env` adds AZRESP_MAX_RETRIES=0. `dirs` is (config_dir, data_dir).
# Packages may narrow `azresp` (tests/tool_support.py presets `cli_env`) but not redefine it.
# ---------------------------------------------------------------------------------------


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    return tmp_path / "config"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def dirs(config_dir: Path, data_dir: Path) -> tuple[Path, Path]:
    return config_dir, data_dir


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture
def base_variables(home: Path) -> dict[str, str]:
    return runner_variables(home)


@pytest.fixture
def azresp(config_dir: Path, data_dir: Path, base_variables: dict[str, str]) -> CliRunner:
    return CliRunner(config_dir, data_dir, base_variables)


@pytest.fixture
def process_env(config_dir: Path, data_dir: Path, home: Path) -> dict[str, str]:
    return process_variables(config_dir, data_dir, home)


@pytest.fixture
def azresp_process(process_env: dict[str, str]) -> Process:
    return process_runner(process_env)


@pytest.fixture
def emulator_env(emulator: RunningEmulator) -> dict[str, str]:
    return {
        "AZURE_OPENAI_ENDPOINT": emulator.base_url,
        "AZURE_OPENAI_API_KEY": TEST_KEY,
        "AZURE_OPENAI_DEPLOYMENT": "gpt-test",
    }


@pytest.fixture
def cli_env(emulator_env: dict[str, str]) -> dict[str, str]:
    return {**emulator_env, "AZRESP_MAX_RETRIES": "0"}


# ------------------------------------ end of the CLI runner ------------------------------------


# ---------------------------------------------------------------------------------------
# `fake_clock`: azresp's retries wait by it (core/clock.py) for the whole test: nothing
#   sleeps; `fake_clock.sleeps` lists every wait asked for, and the wall clock moves by them.
# ---------------------------------------------------------------------------------------


@pytest.fixture
def fake_clock() -> Iterator[FakeClock]:
    fake = FakeClock()
    with using(Clock(sleep=fake.sleep, wall=fake.wall)):
        yield fake
