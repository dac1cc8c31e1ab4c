"""Fixtures for the cost, usage and rate-limit tests (usage_support.py has the helpers)."""

from azresp_fixtures import azresp, creates, dirs, emulator_env, recorded
from usage_support import make_session

__all__ = ["azresp", "creates", "dirs", "emulator_env", "make_session", "recorded"]
