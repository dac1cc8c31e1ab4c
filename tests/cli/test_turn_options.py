"""The turn options: declared once (core/turn_options.py), given by flag or profile, sent on the
wire where their declaration says, the same way by `chat` and `bg start`."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Any

import pytest
from cli_support import RunCli

from azresp_cli.core.request import TurnRequest, build_create_body
from azresp_cli.core.turn_options import TurnOptions, choices, option_fields, spec_of, value_type

PROFILE = """\
[profiles.work]
effort = "low"
verbosity = "low"
system = "Be brief."
max_output_tokens = 900
"""
COMMANDS = [("chat",), ("bg", "start")]


def last_create(emulator: Any) -> dict[str, Any]:
    bodies = [
        r.json for r in emulator.requests if r.method == "POST" and r.path.endswith("/responses")
    ]
    assert bodies, "nothing was sent"
    return dict(bodies[-1])


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_flags_win_over_the_profiles_chat_defaults(
    azresp: RunCli,
    emulator_env: dict[str, str],
    emulator: Any,
    dirs: tuple[Path, Path],
    command: tuple[str, ...],
) -> None:
    config_dir, _ = dirs
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "config.toml").write_text(PROFILE)
    result = azresp(
        *command, "--profile", "work", "--effort", "high", "--summary", "auto", "hi",
        env=emulator_env,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    body = last_create(emulator)
    assert body["reasoning"] == {"effort": "high", "summary": "auto"}  # flag, flag
    assert body["text"] == {"verbosity": "low"}  # the profile's
    assert body["instructions"] == "Be brief." and body["max_output_tokens"] == 900


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_bad_profile_value_is_a_config_error_before_any_request(
    azresp: RunCli,
    emulator_env: dict[str, str],
    emulator: Any,
    dirs: tuple[Path, Path],
    command: tuple[str, ...],
) -> None:
    config_dir, _ = dirs
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "config.toml").write_text('[profiles.work]\neffort = "extreme"\n')
    sent = len(emulator.requests)
    result = azresp(*command, "--profile", "work", "hi", env=emulator_env)
    assert result.exit_code == 2, result.output
    assert "error: profile 'work': effort: unknown effort 'extreme'" in result.stderr
    assert "hint: use one of none, minimal, low, medium, high, xhigh" in result.stderr
    assert len(emulator.requests) == sent


@pytest.mark.parametrize("name", [f.name for f in option_fields() if spec_of(f.name).wire])
def test_every_pass_through_option_lands_where_its_declaration_says(name: str) -> None:
    kind = value_type(name)
    value = choices(name)[-1] if choices(name) else 7 if kind is int else "text"
    options = TurnOptions().changed(**{name: value})
    body = build_create_body("gpt-test", TurnRequest("hi", options=options))
    wire = spec_of(name).wire
    assert wire is not None
    target: Any = body
    for part in wire.split("."):
        target = target[part]
    # An option read from its text (--schema) goes on the wire as its value says.
    parsed = getattr(options, name)
    assert target == (parsed.wire_value() if spec_of(name).parser else value)
    assert build_create_body("gpt-test", TurnRequest("hi")).keys() <= {
        "model",
        "input",
        "store",
        "stream",
    }


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_option_is_a_flag_of_chat_and_bg_start(
    azresp: RunCli, command: tuple[str, ...]
) -> None:
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured):
        assert azresp(*command, "--help").exit_code == 0
    for item in option_fields():
        if command == ("bg", "start") and item.name in ("store", "stream", "background"):
            continue  # a job is always stored, streamed and in the background
        assert spec_of(item.name).flags[0] in captured.getvalue(), item.name


def test_tier_goes_out_as_service_tier_by_flag_or_profile(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any, dirs: tuple[Path, Path]
) -> None:
    result = azresp("chat", "--tier", "flex", "hi", env=emulator_env)
    assert result.exit_code == 0, result.stderr
    assert last_create(emulator)["service_tier"] == "flex"

    config_dir, _ = dirs
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "config.toml").write_text('[profiles.work]\ntier = "priority"\n')
    started = azresp("bg", "start", "--profile", "work", "hi", env=emulator_env)
    assert started.exit_code == 0, started.stderr
    assert last_create(emulator)["service_tier"] == "priority"

    refused = azresp("chat", "--tier", "scale", "hi", env=emulator_env)
    assert refused.exit_code == 2 and "'scale' is not one of" in refused.stderr
