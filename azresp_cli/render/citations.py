"""The web pages an answer cites (``url_citation``), listed after the answer.

On a terminal: numbered footnotes with the URLs written out (a terminal may not show link
targets). On a pipe: a numbered list of Markdown links, so the saved answer stays Markdown.
"""

from __future__ import annotations

from collections.abc import Iterable

from azresp_cli.core.events import CitedSource


class CitationList:
    """Every source cited during one prompt's turn (all its rounds), each URL once."""

    def __init__(self) -> None:
        self._sources: dict[str, CitedSource] = {}

    def add(self, sources: Iterable[CitedSource]) -> None:
        for source in sources:
            self._sources.setdefault(source.url, source)

    def take(self) -> list[CitedSource]:
        sources = list(self._sources.values())
        self._sources.clear()
        return sources


def footnotes(sources: list[CitedSource]) -> list[str]:
    """``[1] Example Guide — https://www.example.com/guide``, one line each."""
    return [f"[{n}] {_title(s)} — {s.url}" for n, s in enumerate(sources, 1)]


def markdown_links(sources: list[CitedSource]) -> str:
    """The sources as a Markdown list of links, after a blank line and a ``Sources:`` line."""
    lines = [f"{n}. [{_title(s)}]({s.url})" for n, s in enumerate(sources, 1)]
    return "\nSources:\n\n" + "\n".join(lines) + "\n"


def _title(source: CitedSource) -> str:
    return " ".join(source.title.replace("[", "(").replace("]", ")").split()) or source.url
