"""The hostile-server tests' fixtures: ``capped`` (tests/hostile/capped.py)."""

from hostile.capped import capped

__all__ = ["capped"]
