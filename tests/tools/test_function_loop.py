"""Local function tools end to end: the model's calls, approval, the outputs sent back."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cli_support import TEST_KEY
from spec_validation import assert_valid
from tool_support import Azresp, outputs_sent

Bodies = Callable[[], list[dict[str, Any]]]
PARIS = '[[call:get_weather {"city":"Paris"}]]'


def test_a_piped_run_without_yes_refuses_and_tells_the_model(
    azresp: Azresp, bodies: Bodies, weather_tools: Path
) -> None:
    result = azresp("chat", "--tool", str(weather_tools), PARIS)
    assert result.exit_code == 0, result.stderr
    assert "not run: get_weather" in result.stderr and "--yes" in result.stderr
    first, follow_up = bodies()
    assert first["tools"][0]["name"] == "get_weather"
    [refusal] = outputs_sent(follow_up)
    assert "nobody could be asked" in refusal["output"]
    assert "nobody could be asked" in result.stdout  # the model answered with what it got
    assert follow_up["previous_response_id"]  # chained, not replayed
    assert follow_up["tools"] == first["tools"]  # request settings are sent again


def test_yes_runs_the_call_and_sends_its_output_by_call_id(
    azresp: Azresp, bodies: Bodies, weather_tools: Path, emulator: Any
) -> None:
    result = azresp("chat", "--yes", "--tool", str(weather_tools), PARIS)
    assert result.exit_code == 0, result.stderr
    first, follow_up = bodies()
    tool = first["tools"][0]
    assert tool["description"] == "Current weather for a city."
    assert tool["parameters"]["properties"]["unit"]["enum"] == ["c", "f"]
    assert tool["strict"] is False  # `unit` is optional, which strict mode cannot express
    assert_valid("CreateResponse", first)
    [output] = outputs_sent(follow_up)
    assert json.loads(output["output"]) == {"city": "Paris", "temperature": 20, "unit": "c"}
    call_ids = [item["call_id"] for item in _function_calls(emulator, follow_up)]
    assert output["call_id"] in call_ids
    assert_valid("CreateResponse", follow_up)
    assert "tool `get_weather` returned" in result.stdout
    assert "get_weather returned:" in result.stderr  # what the tool did, on stderr
    assert "2 responses" in result.stderr  # the footer counts both


def test_parallel_calls_are_all_answered_in_one_follow_up(
    azresp: Azresp, bodies: Bodies, weather_tools: Path
) -> None:
    prompt = '[[call:get_weather {"city":"Paris"}]] [[call:get_weather {"city":"Oslo"}]]'
    result = azresp("chat", "-y", "--tool", str(weather_tools), prompt)
    assert result.exit_code == 0, result.stderr
    assert len(bodies()) == 2
    outputs = outputs_sent(bodies()[1])
    assert [json.loads(o["output"])["city"] for o in outputs] == ["Paris", "Oslo"]
    assert len({o["call_id"] for o in outputs}) == 2


def test_a_tool_that_raises_sends_its_error_text(
    azresp: Azresp, bodies: Bodies, weather_tools: Path
) -> None:
    result = azresp("chat", "-y", "--tool", str(weather_tools), '[[call:explode {"reason":"x"}]]')
    assert result.exit_code == 0, result.stderr
    [output] = outputs_sent(bodies()[1])
    assert output["output"] == "Error: RuntimeError: boom: x"
    assert "explode failed: Error: RuntimeError: boom: x" in result.stderr


def test_arguments_that_do_not_fit_go_back_as_an_error(
    azresp: Azresp, bodies: Bodies, weather_tools: Path
) -> None:
    bad = '[[call:get_weather {"city":"Paris","unit":"kelvin"}]]'
    result = azresp("chat", "-y", "--tool", str(weather_tools), bad)
    assert result.exit_code == 0, result.stderr
    [output] = outputs_sent(bodies()[1])
    assert output["output"].startswith("Error: the arguments do not fit get_weather")


def test_at_a_terminal_yes_no_and_always_are_asked_once_per_tool(
    azresp: Azresp, bodies: Bodies, weather_tools: Path
) -> None:
    denied = azresp("chat", "--tool", str(weather_tools), PARIS, answers="n\n")
    assert denied.exit_code == 0, denied.stderr
    assert "Run get_weather? [y]es, [n]o, [a]lways" in denied.stderr
    assert outputs_sent(bodies()[-1])[0]["output"] == "The user declined this tool call."

    twice = '[[call:get_weather {"city":"Paris"}]] [[call:get_weather {"city":"Rome"}]]'
    always = azresp("chat", "--tool", str(weather_tools), twice, answers="what?\na\n")
    assert always.exit_code == 0, always.stderr
    assert always.stderr.count("Run get_weather?") == 2  # an unclear answer is asked again
    assert [json.loads(o["output"])["city"] for o in outputs_sent(bodies()[-1])] == [
        "Paris",
        "Rome",
    ]


def test_end_of_input_at_the_question_means_no(
    azresp: Azresp, bodies: Bodies, weather_tools: Path
) -> None:
    result = azresp("chat", "--tool", str(weather_tools), PARIS, answers="")
    assert result.exit_code == 0, result.stderr
    assert outputs_sent(bodies()[-1])[0]["output"] == "The user declined this tool call."


def test_approve_never_refuses_without_asking(
    azresp: Azresp, bodies: Bodies, weather_tools: Path
) -> None:
    result = azresp(
        "chat", "--approve", "never", "--tool", str(weather_tools), PARIS, answers="y\n"
    )
    assert result.exit_code == 0, result.stderr
    assert "Run get_weather?" not in result.stderr
    assert "--approve never" in outputs_sent(bodies()[-1])[0]["output"]


def test_the_round_cap_refuses_further_calls_and_asks_for_an_answer(
    azresp: Azresp, bodies: Bodies, weather_tools: Path
) -> None:
    result = azresp("chat", "-y", "--max-tool-rounds", "0", "--tool", str(weather_tools), PARIS)
    assert result.exit_code == 0, result.stderr
    follow_up = bodies()[-1]
    assert follow_up["tool_choice"] == "none"
    assert "limit of 0 tool rounds" in outputs_sent(follow_up)[0]["output"]


def test_a_stateless_tool_turn_replays_the_call_with_its_output(
    azresp: Azresp, bodies: Bodies, weather_tools: Path
) -> None:
    result = azresp("chat", "--no-store", "-y", "--tool", str(weather_tools), PARIS)
    assert result.exit_code == 0, result.stderr
    follow_up = bodies()[-1]
    assert "previous_response_id" not in follow_up and follow_up["store"] is False
    kinds = [item["type"] for item in follow_up["input"]]
    assert kinds[-2:] == ["function_call", "function_call_output"]
    again = azresp("chat", "-c", "--no-store", "-y", "--tool", str(weather_tools), "and now?")
    assert again.exit_code == 0, again.stderr
    replayed = [item.get("type") for item in bodies()[-1]["input"]]
    assert replayed.count("function_call") == 1 and replayed.count("function_call_output") == 1


def test_json_output_is_the_final_response(
    azresp: Azresp, bodies: Bodies, weather_tools: Path
) -> None:
    result = azresp("chat", "--json", "-y", "--tool", str(weather_tools), PARIS)
    assert result.exit_code == 0, result.stderr
    final = json.loads(result.stdout)
    assert final["previous_response_id"]  # the answer after the tool round
    assert final["output"][-1]["type"] == "message"


def test_no_stream_runs_the_same_loop(azresp: Azresp, bodies: Bodies, weather_tools: Path) -> None:
    result = azresp("chat", "--no-stream", "-y", "--tool", str(weather_tools), PARIS)
    assert result.exit_code == 0, result.stderr
    assert len(bodies()) == 2 and "stream" not in bodies()[1]
    assert "tool `get_weather` returned" in result.stdout


def test_a_tty_shows_panels_with_pretty_arguments(azresp: Azresp, weather_tools: Path) -> None:
    result = azresp("chat", "-y", "--tool", str(weather_tools), PARIS, tty=True)
    assert result.exit_code == 0, result.stderr
    assert "function get_weather" in result.stderr and "get_weather → result" in result.stderr
    assert '"city"' in result.stderr and "╭" in result.stderr  # a panel, JSON inside
    assert "╭" not in result.stdout  # stdout stays the answer
    assert TEST_KEY not in result.stdout + result.stderr


def test_tools_from_a_module(
    azresp: Azresp, bodies: Bodies, tmp_path: Path, monkeypatch: Any
) -> None:
    (tmp_path / "mytools_for_azresp.py").write_text(
        "def shout(text: str) -> str:\n    '''Upper-case the text.'''\n    return text.upper()\n"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    prompt = '[[call:shout {"text":"hi"}]]'
    result = azresp("chat", "-y", "--tools", "mytools_for_azresp", prompt)
    assert result.exit_code == 0, result.stderr
    assert outputs_sent(bodies()[-1])[0]["output"] == "HI"


def test_bad_tool_files_fail_before_any_request(
    azresp: Azresp, emulator: Any, tmp_path: Path
) -> None:
    unannotated = tmp_path / "loose.py"
    unannotated.write_text("def f(x):\n    return x\n")
    broken = tmp_path / "broken.py"
    broken.write_text("import nowhere_to_be_found\n")
    for argv, message in (
        (("--tool", str(tmp_path / "missing.py")), "no such file"),
        (("--tool", str(unannotated)), "parameter 'x' of f has no type annotation"),
        (("--tool", str(broken)), "loading it failed: ModuleNotFoundError"),
        (("--tools", "no_such_module_anywhere"), "no module named no_such_module_anywhere"),
    ):
        result = azresp("chat", *argv, "hi")
        assert result.exit_code == 2, result.stderr
        assert message in result.stderr
    assert emulator.requests == []


def _function_calls(emulator: Any, follow_up: dict[str, Any]) -> list[dict[str, Any]]:
    """The function_call items of the response the follow-up continues (from the emulator)."""
    import urllib.request

    url = f"{emulator.base_url}responses/{follow_up['previous_response_id']}"
    request = urllib.request.Request(url, headers={"api-key": "k"})  # noqa: S310 - loopback
    with urllib.request.urlopen(request, timeout=10) as reply:  # noqa: S310
        response = json.load(reply)
    return [item for item in response["output"] if item["type"] == "function_call"]
