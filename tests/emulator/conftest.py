"""Fixtures for the emulator's own tests: a raw client and an openai SDK client."""

from __future__ import annotations

import pytest
from emulator.support import TEST_KEY, Api
from openai import OpenAI

from azresp_cli.emulator.runner import RunningEmulator


@pytest.fixture
def api(emulator: RunningEmulator) -> Api:
    return Api(emulator.base_url)


@pytest.fixture
def client(emulator: RunningEmulator) -> OpenAI:
    return OpenAI(base_url=emulator.base_url, api_key=TEST_KEY, max_retries=0)
