"""Shared fixtures: the in-process CLI runner, the emulator's request log, a chat session."""

from azresp_fixtures import azresp, creates, dirs, emulator_env, recorded, repl

__all__ = ["azresp", "creates", "dirs", "emulator_env", "recorded", "repl"]
