"""Helpers shared by the template and fragment tests (chat, bg start, the REPL): what the user
messages of a create body said, the create bodies the emulator saw, a template file on disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def user_texts(body: dict[str, Any]) -> list[str]:
    """The input_text parts of a create body's user messages, in order."""
    if isinstance(body["input"], str):
        return [body["input"]]
    return [
        part["text"]
        for item in body["input"]
        if item.get("role") == "user"
        for part in item["content"]
        if part["type"] == "input_text"
    ]


def creates(emulator: Any) -> list[dict[str, Any]]:
    """The JSON bodies of every ``POST /responses`` the emulator received."""
    return [
        dict(r.json)
        for r in emulator.requests
        if r.method == "POST" and r.path.endswith("/responses")
    ]


def template(config_dir: Path, name: str, text: str) -> None:
    """Write the template ``name`` as a person would, under ``config_dir/templates``."""
    (config_dir / "templates").mkdir(parents=True, exist_ok=True)
    (config_dir / "templates" / f"{name}.toml").write_text(text)


def work_profile(config_dir: Path) -> None:
    """A config with the profile ``work``: low effort and verbosity, its own system prompt and
    max_output_tokens 900 (what a template and a flag override, in that order)."""
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "config.toml").write_text(
        '[profiles.work]\neffort = "low"\nverbosity = "low"\nsystem = "From the profile."\n'
        "max_output_tokens = 900\n"
    )
