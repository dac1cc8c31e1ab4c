"""`/bg PROMPT` in the chat session: a background turn, streamed, resumed, chained like any."""

from __future__ import annotations

from typing import Any

from azresp_fixtures import Bodies, output_text
from cli_support import RunCli


def test_bg_runs_the_turn_as_a_job_and_the_chain_goes_on(
    repl: Any, emulator: Any, creates: Bodies, azresp: RunCli
) -> None:
    seen = repl(emulator.base_url, "/bg my name is Ada\rwhat is my name?\r/exit\r")
    first, second = creates()
    assert (first["background"], first["stream"], first["store"]) == (True, True, True)
    assert "background" not in second
    assert second["previous_response_id"]  # chained to the background turn
    assert "my name is Ada" in seen.stdout.split("what is my name?")[-1]
    listed = azresp("bg", "list")
    assert listed.stdout.split("\t")[:2] == [second["previous_response_id"], "completed"]


def test_bg_resumes_a_dropped_stream_without_repeating_text(
    repl: Any, emulator: Any, creates: Bodies
) -> None:
    seen = repl(emulator.base_url, "/bg [[fault:cut:7]] [[long:120]]\r/exit\r")
    (body,) = creates()
    assert body["background"] is True
    response_id = next(r for r in emulator.requests if r.method == "GET").path.rsplit("/", 1)[1]
    answer = output_text(emulator, response_id)
    assert answer.rstrip("\n") in seen.stdout
    assert seen.stdout.count(answer.split()[0] + " " + answer.split()[1]) == 1


def test_bg_needs_a_stored_conversation(repl: Any, emulator: Any, creates: Bodies) -> None:
    seen = repl(emulator.base_url, "/bg hello\r/exit\r", store=False)
    assert "a background turn needs a stored conversation" in seen.stderr
    assert creates() == []
