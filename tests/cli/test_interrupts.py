"""Ctrl-C is noted as it arrives (cli/interrupts.py), so an error a library made of the
KeyboardInterrupt (pydantic-core's SchemaError, mid-build) still exits 130, quietly."""

from __future__ import annotations

import os
import signal

import pytest

from azresp_cli.cli import interrupts
from azresp_cli.cli.interrupts import noting_interrupts


def _ctrl_c() -> None:
    os.kill(os.getpid(), signal.SIGINT)


def test_a_ctrl_c_raises_as_before_and_is_noted() -> None:
    with noting_interrupts() as interrupted:
        assert not interrupted()
        with pytest.raises(KeyboardInterrupt):
            _ctrl_c()
        assert interrupted()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back


def test_an_old_ctrl_c_is_not_blamed_for_a_later_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(interrupts, "RECENT", 0.0)
    with noting_interrupts() as interrupted:
        with pytest.raises(KeyboardInterrupt):
            _ctrl_c()
        assert not interrupted()


def test_an_ignored_sigint_stays_ignored() -> None:
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # as under nohup
    try:
        with noting_interrupts() as interrupted:
            _ctrl_c()  # nothing happens
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
            assert not interrupted()
    finally:
        signal.signal(signal.SIGINT, previous)
