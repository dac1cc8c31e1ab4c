"""A command that ends while a background thread is still inside OpenSSL exits as it should.

OpenSSL frees its state in an exit handler. A one-shot answer builds its TLS context in a
thread (core/client_prep.py) while it starts; against a fast endpoint the answer could be
done first, and the process then died of SIGSEGV after printing all of it (exit 139, seen
once in CI). cli/main.py now lets such work finish, or cuts it, before the process exits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cli_support import Process

from bench.latency import throwaway_certificate


@pytest.mark.slow
def test_an_answer_done_before_the_tls_context_still_exits_0(
    azresp_process: Process, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    certificate, _key = throwaway_certificate(str(tmp_path))
    bundle = tmp_path / "many-authorities.pem"
    # Thousands of copies of one authority: loading them takes longer than the answer itself.
    bundle.write_bytes(Path(certificate).read_bytes() * 8000)
    env = {**emulator_env, "SSL_CERT_FILE": str(bundle)}
    for _ in range(2):
        done = azresp_process("chat", "[[long:20]]", env=env)
        assert done.returncode == 0, (done.returncode, done.stderr[-500:])
        assert done.stdout.strip() and "error" not in done.stderr


def test_settling_without_background_work_returns_at_once(emulator: Any) -> None:
    from azresp_cli.cli.main import settle_background_work

    settle_background_work()  # nothing started in this process's modules: nothing to wait for
