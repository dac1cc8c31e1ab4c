"""Idempotency-Key in a state directory: a key one emulator saw is honoured by the other, and
by the next one after a restart (a client resending after a crash may reach any of them)."""

from __future__ import annotations

from pathlib import Path

from cli_support import sdk_client

from azresp_cli.emulator.runner import RunningEmulator, start_in_thread


def _create(running: RunningEmulator, key: str) -> str:
    client = sdk_client(running.base_url, api_key="test-key")
    response = client.responses.create(
        model="gpt-test", input="shared key", extra_headers={"Idempotency-Key": key}
    )
    return response.id


def test_a_key_is_honoured_by_every_emulator_on_the_directory(tmp_path: Path) -> None:
    with start_in_thread(state_dir=tmp_path) as one, start_in_thread(state_dir=tmp_path) as two:
        first = _create(one, "key-1")
        assert _create(two, "key-1") == first
        assert two.state.idempotency.counts() == {}  # nothing generated there
    with start_in_thread(state_dir=tmp_path) as again:
        assert _create(again, "key-1") == first
        assert _create(again, "key-2") != first
