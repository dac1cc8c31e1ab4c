"""Shared fixtures: the in-process CLI runner and the emulator's request log."""

from azresp_fixtures import azresp, dirs, emulator_env, recorded

__all__ = ["azresp", "dirs", "emulator_env", "recorded"]
