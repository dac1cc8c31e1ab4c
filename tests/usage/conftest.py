"""Fixtures for the cost, usage and rate-limit tests (usage_support.py has the helpers)."""

from azresp_fixtures import creates, recorded
from usage_support import make_session

__all__ = ["creates", "make_session", "recorded"]
