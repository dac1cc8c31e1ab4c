"""Parsing slash commands and what may follow the cursor: pure, no prompt_toolkit."""

from __future__ import annotations

import pytest

from azresp_cli.core.errors import UsageError
from azresp_cli.repl import slash


@pytest.mark.parametrize(
    ("line", "name", "argument"),
    [
        ("/help", "help", ""),
        ("/help attach", "help", "attach"),
        ("  /exit  ", "exit", ""),
        ("/quit", "exit", ""),
        ("/fork resp_123", "fork", "resp_123"),
        (
            "/system You are terse.\nAnswer in French.",
            "system",
            "You are terse.\nAnswer in French.",
        ),
        ("/store OFF", "store", "off"),
        ("/effort high", "effort", "high"),
        ("/attach ~/notes file.md", "attach", "~/notes file.md"),
        # quoted whole, as in a shell: the quotes go
        ("/schema 'name, age int'", "schema", "name, age int"),
        ('/attach "my notes.md"', "attach", "my notes.md"),
        ("/store 'on'", "store", "on"),
        # quotes inside, or not around the whole argument, stay
        ("/system say 'hi'", "system", "say 'hi'"),
        ("/system 'a' or 'b'", "system", "'a' or 'b'"),
        ('/schema {"type": "object"}', "schema", '{"type": "object"}'),
    ],
)
def test_commands_parse(line: str, name: str, argument: str) -> None:
    command = slash.parse(line)
    assert (command.name, command.argument) == (name, argument)


@pytest.mark.parametrize(
    ("line", "message", "hint"),
    [
        ("/frok resp_1", "unknown command /frok", "did you mean /fork?"),
        ("/zzz", "unknown command /zzz", "/help lists the commands"),
        ("/attach", "/attach needs an argument", "usage: /attach PATH"),
        ("/new now", "/new takes no argument", "usage: /new"),
        ("/store maybe", "/store does not know 'maybe'", "use one of on, off"),
        ("/effort extreme", "/effort does not know 'extreme'", "use one of none, minimal"),
    ],
)
def test_bad_commands_say_what_is_wrong(line: str, message: str, hint: str) -> None:
    with pytest.raises(UsageError) as caught:
        slash.parse(line)
    assert caught.value.message == message
    assert hint in caught.value.hint


@pytest.mark.parametrize(
    ("line", "is_command", "sent"),
    [
        ("/help", True, None),
        ("/usr/bin is a directory?", False, "/usr/bin is a directory?"),
        ("//help is a word", False, "/help is a word"),
        ("hello /help", False, "hello /help"),
    ],
)
def test_what_is_a_command_and_what_is_a_prompt(line: str, is_command: bool, sent: str) -> None:
    assert slash.is_command(line) is is_command
    if sent is not None:
        assert slash.prompt_text(line) == sent


def test_every_command_has_help() -> None:
    text = slash.help_text()
    for spec in slash.COMMANDS:
        assert spec.usage in text and spec.help
        assert slash.help_text(spec.name).startswith(spec.usage)
    assert "(also /quit)" in slash.help_text("/exit")


def test_suggestions() -> None:
    assert slash.suggest("/f") == slash.WordSuggestion("/f", ("/fork", "/fragment"))
    everything = slash.suggest("/")
    assert isinstance(everything, slash.WordSuggestion)
    assert len(everything.candidates) == len(slash.COMMANDS)
    assert slash.suggest("/store o") == slash.WordSuggestion("o", ("on", "off"))
    assert slash.suggest("/help sa") == slash.WordSuggestion("sa", ("save",))
    assert slash.suggest("/attach ~/do") == slash.PathSuggestion("~/do")
    assert slash.suggest("/save out") == slash.PathSuggestion("out")
    assert slash.suggest("hello") is None
    assert slash.suggest("/model gpt") is None
    assert slash.suggest("/nope x") is None
