"""`--summary`: reasoning summaries stream apart from the answer, dimmed on a terminal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from tool_support import Azresp

Bodies = Callable[[], list[dict[str, Any]]]


@pytest.mark.parametrize("level", ["auto", "concise", "detailed"])
def test_summary_is_requested_and_goes_to_stderr(
    azresp: Azresp, bodies: Bodies, level: str
) -> None:
    result = azresp("chat", "--summary", level, "[[reply:The answer is 42.]]")
    assert result.exit_code == 0, result.stderr
    assert bodies()[0]["reasoning"] == {"summary": level}
    assert result.stdout == "The answer is 42.\n"  # the answer alone on stdout
    assert result.stderr.startswith("thinking:\n")
    parts = 2 if level == "detailed" else 1
    assert result.stderr.count("**") == 2 * parts  # each summary part has its bold title


def test_on_a_terminal_the_summary_is_dim_and_streams_before_the_answer(
    azresp: Azresp,
) -> None:
    result = azresp("chat", "--effort", "low", "--summary", "auto", "[[reply:42]]", tty=True)
    assert result.exit_code == 0, result.stderr
    assert "\x1b[2" in result.stderr  # dim
    assert "thinking" in result.stderr and "Reading turn 1" in result.stderr
    assert "Reading turn" not in result.stdout


def test_summary_with_tools_shows_each_rounds_reasoning(azresp: Azresp, weather_tools: Any) -> None:
    prompt = '[[call:get_weather {"city":"Paris"}]]'
    result = azresp("chat", "-y", "--summary", "auto", "--tool", str(weather_tools), prompt)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("thinking:") == 2  # one per response of the turn
    assert "thinking" not in result.stdout
