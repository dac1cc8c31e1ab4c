"""Shared fixtures: the emulator's request log, a chat session (the CLI runner is
tests/conftest.py's)."""

from azresp_fixtures import creates, recorded, repl

__all__ = ["creates", "recorded", "repl"]
