"""The prompt's completer: a thin adapter from ``slash.suggest`` to prompt_toolkit."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from prompt_toolkit.completion import CompleteEvent, Completer, Completion, PathCompleter
from prompt_toolkit.document import Document

from azresp_cli.repl import slash


class SlashCompleter(Completer):
    """Completes slash commands, their fixed arguments, and file paths after ``/attach``."""

    def __init__(self, get_paths: Callable[[], list[str]] | None = None) -> None:
        self._paths = PathCompleter(expanduser=True, get_paths=get_paths)

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterable[Completion]:
        suggestion = slash.suggest(document.text_before_cursor)
        if isinstance(suggestion, slash.WordSuggestion):
            for candidate in suggestion.candidates:
                yield Completion(candidate, start_position=-len(suggestion.word))
        elif isinstance(suggestion, slash.PathSuggestion):
            fragment = Document(suggestion.fragment, len(suggestion.fragment))
            yield from self._paths.get_completions(fragment, complete_event)
