"""rich ``Markdown`` objects made with one reusable markdown-it parser.

``rich.markdown.Markdown.__init__`` builds a new ``MarkdownIt`` (its rule chains compiled, its
renderer introspected) for every object, which costs more than parsing a typical block. A
streamed answer makes one object per settled block and one per live frame, thousands for a
long answer, so ``MarkdownFactory`` builds the parser once, configured as rich configures its
own, and copies a template ``Markdown`` around each parse. The incremental-equals-one-shot
tests in tests/render compare against rich's own ``Markdown`` and catch any drift.
"""

from __future__ import annotations

import copy
import threading

from markdown_it import MarkdownIt
from rich.markdown import Markdown


class MarkdownFactory:
    """Call it like ``Markdown(markup)``; safe to share between a stream and Live's thread."""

    def __init__(self) -> None:
        self._template = Markdown("")
        self._parser = MarkdownIt().enable("strikethrough").enable("table")  # as rich's
        self._lock = threading.Lock()

    def __call__(self, markup: str) -> Markdown:
        markdown = copy.copy(self._template)
        markdown.markup = markup
        with self._lock:
            markdown.parsed = self._parser.parse(markup)
        return markdown
