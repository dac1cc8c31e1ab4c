"""Shared fixtures: the emulator's request log (the CLI runner is tests/conftest.py's)."""

from azresp_fixtures import recorded

__all__ = ["recorded"]
