"""The completer, fed Documents as pgcli's tests do: no terminal, no application."""

from __future__ import annotations

from pathlib import Path

from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from azresp_cli.repl.completion import SlashCompleter


def complete(text: str, completer: SlashCompleter | None = None) -> list[str]:
    completer = completer or SlashCompleter()
    return [c.text for c in completer.get_completions(Document(text), CompleteEvent())]


def test_command_names() -> None:
    assert complete("/mo") == ["/model"]
    assert complete("/s") == ["/system", "/store", "/save", "/schema"]
    assert "/attach" in complete("/")


def test_command_arguments() -> None:
    assert complete("/effort h") == ["high"]
    assert complete("/store ") == ["on", "off"]


def test_nothing_for_prompts_or_free_text_arguments() -> None:
    assert complete("tell me about /mo") == []
    assert complete("/system be b") == []


def test_paths_after_attach(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("x")
    (tmp_path / "notebook").mkdir()
    (tmp_path / "other.txt").write_text("x")
    completer = SlashCompleter(get_paths=lambda: [str(tmp_path)])
    found = list(completer.get_completions(Document("/attach no"), CompleteEvent()))
    assert sorted(c.text for c in found) == ["tebook", "tes.md"]
    assert sorted(c.display_text for c in found) == ["notebook/", "notes.md"]
    absolute = complete(f"/attach {tmp_path}/oth")
    assert absolute == ["er.txt"]
