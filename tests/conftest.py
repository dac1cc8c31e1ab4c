"""Fixtures shared by every test package. Each section belongs to one area; add yours below."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from azresp_cli.emulator.runner import EmulatorConfig, RunningEmulator, start_in_thread

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
