"""Sizes in messages as the README states them: decimal units (1 MB = 1,000,000 bytes)."""

from __future__ import annotations


def format_size(count: int) -> str:
    """``1 MB``, ``976.6 KB``, ``512 B``: at most one decimal, none when it is whole."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if count >= scale:
            value = round(count / scale, 1)
            return f"{value:g} {unit}"
    return f"{count} B"
