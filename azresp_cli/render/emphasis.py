"""Bold markers in streamed reasoning summaries, shown as bold instead of literal ``**``.

Summaries come as Markdown (often a ``**Title**`` per part) but are streamed as dim text on
stderr, not through the Markdown renderer; this keeps that cheap and linear while a ``**`` split
across two deltas is still recognised.
"""

from __future__ import annotations


class BoldMarkers:
    """Turns deltas into (text, is_bold) runs, carrying state across deltas."""

    def __init__(self) -> None:
        self._bold = False
        self._pending_star = False

    def feed(self, delta: str) -> list[tuple[str, bool]]:
        text = ("*" if self._pending_star else "") + delta
        self._pending_star = text.endswith("*") and not text.endswith("**")
        if self._pending_star:
            text = text[:-1]
        runs: list[tuple[str, bool]] = []
        for index, piece in enumerate(text.split("**")):
            if index:
                self._bold = not self._bold
            if piece:
                runs.append((piece, self._bold))
        return runs

    def reset(self) -> None:
        """A new summary part starts: nothing carries over."""
        self._bold = False
        self._pending_star = False
