"""Fixtures for the emulator's own tests: a raw client and an openai SDK client."""

from __future__ import annotations

import pytest
from cli_support import sdk_client
from emulator.support import Api
from openai import OpenAI

from azresp_cli.emulator.runner import RunningEmulator


@pytest.fixture
def api(emulator: RunningEmulator) -> Api:
    return Api(emulator.base_url)


@pytest.fixture
def client(emulator: RunningEmulator) -> OpenAI:
    return sdk_client(emulator.base_url)
