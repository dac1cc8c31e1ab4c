"""Turn writers: what each format puts on stdout and stderr for a fixed list of events."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Sequence

import pytest

from azresp_cli.core.errors import ContentFilteredError, Interrupted, StreamBrokenError
from azresp_cli.core.events import (
    Completed,
    ReasoningDelta,
    RefusalDelta,
    ResponseRecord,
    ResponseStarted,
    TextDelta,
    TextDone,
    TurnEvent,
    Usage,
    WireEvent,
)
from azresp_cli.render.json_writers import JsonlWriter, JsonWriter
from azresp_cli.render.markdown_writer import MarkdownWriter
from azresp_cli.render.plain_writer import PlainWriter
from azresp_cli.render.turn_state import Outcome, footer_text
from azresp_cli.render.writers import OutputFormat, TurnWriter, writer_for

from .support import Snapshot, make_console, make_env, output, screen, streams

Clock = Callable[[], float]

ANSWER = (
    "# Answer\n"
    "\n"
    "Use **azresp** with `--json` when a script reads the output:\n"
    "\n"
    "```bash\n"
    "azresp chat --json hi | jq .usage\n"
    "```\n"
    "\n"
    "- one\n"
    "- two\n"
)
RAW = {
    "id": "resp_abc123",
    "object": "response",
    "status": "completed",
    "model": "gpt-4.1-mini",
    "output": [{"type": "message", "content": [{"type": "output_text", "text": ANSWER}]}],
    "usage": {"input_tokens": 12, "output_tokens": 34},
}


def record(**changes: object) -> ResponseRecord:
    fields: dict[str, object] = {
        "id": "resp_abc123",
        "status": "completed",
        "model": "gpt-4.1-mini",
        "output_text": ANSWER,
        "usage": Usage(input_tokens=12, output_tokens=34, reasoning_tokens=5),
        "raw": RAW,
    }
    fields.update(changes)
    return ResponseRecord(**fields)  # type: ignore[arg-type]


def deltas(text: str, size: int = 9) -> list[TurnEvent]:
    return [TextDelta(text[start : start + size]) for start in range(0, len(text), size)]


EVENTS: list[TurnEvent] = [
    ResponseStarted("resp_abc123", "in_progress", 0),
    ReasoningDelta("Checking which flag", 0),
    ReasoningDelta(" prints JSON.", 0),
    ReasoningDelta("The answer is --json.", 1),
    *deltas(ANSWER),
    TextDone(ANSWER),
    Completed(record()),
]


def run(writer: TurnWriter, events: Sequence[TurnEvent], outcome: Outcome | None = None) -> None:
    for event in events:
        writer.handle(event)
    writer.finish(outcome or Outcome.completed())


def test_markdown_writer_snapshot(snapshot: Snapshot, clock: Clock) -> None:
    out, err = make_console(terminal=True), make_console(terminal=True)
    run(MarkdownWriter(out, err, clock=clock), EVENTS)
    snapshot("markdown_writer.stdout", output(out))
    snapshot("markdown_writer.stderr", output(err))
    assert "Checking" not in output(out), "reasoning must stay off stdout"
    # What the snapshot shows, said without it: the Markdown is rendered, not echoed.
    shown = [line.strip() for line in strip_ansi(output(out)).splitlines() if line.strip()]
    assert shown == [
        "Answer",
        "Use azresp with --json when a script reads the output:",
        "azresp chat --json hi | jq .usage",
        "• one",
        "• two",
    ]
    assert "\x1b[1m" in output(out) and "\x1b[48;2;" in output(out)  # bold; a shaded code block
    notes = [line.strip() for line in strip_ansi(output(err)).splitlines() if line.strip()]
    assert notes == [
        "thinking",
        "Checking which flag prints JSON.",
        "The answer is --json.",
        "resp_abc123 · 12 in · 5 reasoning · 34 out · 1.2 s",
    ]


def test_plain_writer_snapshot(snapshot: Snapshot, clock: Clock) -> None:
    stdout, stderr = io.StringIO(), io.StringIO()
    run(PlainWriter(stdout, stderr, clock=clock), EVENTS)
    snapshot("plain_writer.stdout", stdout.getvalue())
    snapshot("plain_writer.stderr", stderr.getvalue())
    # Piped, the answer is the model's Markdown exactly; the notes are plain lines on stderr.
    assert stdout.getvalue() == ANSWER.rstrip("\n") + "\n"
    assert stderr.getvalue().split("\n\n") == [
        "thinking:\nChecking which flag prints JSON.",
        "The answer is --json.",
        "resp_abc123 · 12 in · 5 reasoning · 34 out · 1.2 s\n",
    ]


def test_plain_writer_output_has_no_escapes_and_one_final_newline(clock: Clock) -> None:
    env = make_env()
    run(
        writer_for(env, OutputFormat.TEXT, clock=clock),
        [*EVENTS[:4], *deltas("Hi **there**\n\n\n", size=1)],
    )
    stdout, stderr = streams(env)
    assert stdout == "Hi **there**\n"
    assert "\x1b" not in stdout + stderr
    assert stderr.startswith(
        "thinking:\nChecking which flag prints JSON.\n\nThe answer is --json.\n"
    )


def test_plain_writer_adds_the_missing_final_newline(clock: Clock) -> None:
    env = make_env()
    run(writer_for(env, OutputFormat.TEXT, clock=clock), deltas("no newline at the end"))
    assert streams(env)[0] == "no newline at the end\n"


def test_plain_writer_streams_each_delta_as_it_arrives(clock: Clock) -> None:
    env = make_env()
    writer = writer_for(env, OutputFormat.TEXT, clock=clock)
    writer.handle(TextDelta("Hello"))
    assert streams(env)[0] == "Hello"
    writer.handle(TextDelta(" world\n"))
    assert streams(env)[0] == "Hello world\n"  # a line is out as soon as it ends
    writer.handle(TextDelta("\n"))
    writer.handle(TextDelta("Next"))
    assert streams(env)[0] == "Hello world\n\nNext"


def test_plain_footer_is_the_same_text_on_stderr(clock: Clock) -> None:
    env = make_env()
    run(writer_for(env, OutputFormat.TEXT, clock=clock), EVENTS)
    assert streams(env)[1].endswith("\nresp_abc123 · 12 in · 5 reasoning · 34 out · 1.2 s\n")


def test_no_footer_when_not_asked(clock: Clock) -> None:
    env = make_env()
    run(writer_for(env, OutputFormat.TEXT, show_footer=False, clock=clock), EVENTS)
    assert "resp_abc123" not in streams(env)[1]


@pytest.mark.parametrize(
    ("env_options", "kind"),
    [
        ({"stdout_tty": True}, MarkdownWriter),
        ({"stdout_tty": False}, PlainWriter),
        ({"stdout_tty": True, "NO_COLOR": "1"}, PlainWriter),
    ],
)
def test_text_format_picks_markdown_only_on_a_colour_tty(
    env_options: dict[str, object], kind: type, clock: Clock
) -> None:
    env = make_env(**env_options)  # type: ignore[arg-type]
    assert isinstance(writer_for(env, OutputFormat.TEXT, clock=clock), kind)


def test_no_color_on_a_tty_prints_no_escape_at_all(clock: Clock) -> None:
    env = make_env(stdout_tty=True, stderr_tty=True, NO_COLOR="1")
    run(writer_for(env, OutputFormat.TEXT, clock=clock), EVENTS)
    stdout, stderr = streams(env)
    assert stdout == ANSWER
    assert "\x1b" not in stdout + stderr


def test_markdown_writer_on_a_tty_env_writes_markdown_to_stdout(clock: Clock) -> None:
    env = make_env(stdout_tty=True, stderr_tty=True)
    run(writer_for(env, OutputFormat.TEXT, clock=clock), EVENTS)
    stdout, stderr = streams(env)
    assert "\x1b[" in stdout and "# Answer" not in stdout  # rendered, not raw
    assert "resp_abc123 · 12 in · 5 reasoning · 34 out · 1.2 s" in stderr


def test_refusal_is_shown_in_yellow_on_stdout(clock: Clock) -> None:
    out, err = make_console(terminal=True), make_console(terminal=True)
    run(MarkdownWriter(out, err, clock=clock), [RefusalDelta("I can't "), RefusalDelta("help.")])
    assert output(out) == "\x1b[33mI can't \x1b[0m\x1b[33mhelp.\x1b[0m\n"


def test_a_part_that_was_not_streamed_is_shown_whole_and_parts_are_apart(clock: Clock) -> None:
    env = make_env()
    events = [*deltas("First part."), TextDone("First part."), TextDone("Second part.")]
    run(writer_for(env, OutputFormat.TEXT, clock=clock), events)
    assert streams(env)[0] == "First part.\n\nSecond part.\n"


def test_interrupted_leaves_the_partial_answer_and_marks_it_on_stderr(clock: Clock) -> None:
    env = make_env()
    run(
        writer_for(env, OutputFormat.TEXT, clock=clock),
        deltas("Half an ans"),
        Outcome.interrupted(),
    )
    stdout, stderr = streams(env)
    assert stdout == "Half an ans\n"
    assert stderr == "[interrupted — partial answer above]\n"


def test_interrupted_on_a_tty_settles_the_partial_answer(clock: Clock) -> None:
    out = make_console(terminal=True, live=True)
    err = make_console(terminal=True)
    outcome = Outcome.failed(Interrupted("interrupted"))
    run(MarkdownWriter(out, err, clock=clock), deltas("# Title\n\nHalf a para"), outcome)
    assert "Half a para" in "\n".join(_plain_screen(output(out)))
    assert output(err) == "\x1b[33m[interrupted — partial answer above]\x1b[0m\n"


def _plain_screen(text: str) -> list[str]:
    return [line.replace("\x1b[0m", "") for line in screen(text)]


def test_interrupted_before_any_text(clock: Clock) -> None:
    env = make_env()
    run(writer_for(env, OutputFormat.TEXT, clock=clock), [], Outcome.interrupted())
    assert streams(env) == ("", "[interrupted]\n")


def test_a_broken_stream_marks_the_partial_answer(clock: Clock) -> None:
    env = make_env()
    error = StreamBrokenError("the stream broke off")
    run(writer_for(env, OutputFormat.TEXT, clock=clock), deltas("Partial"), Outcome.failed(error))
    assert streams(env) == ("Partial\n", "[stream broken — partial answer above]\n")


def test_a_failure_after_completion_keeps_the_footer_and_adds_no_marker(clock: Clock) -> None:
    # The engine raises ContentFilteredError after the Completed event of a filtered answer.
    env = make_env()
    filtered = record(status="incomplete", incomplete_reason="content_filter")
    events = [*deltas("Some text"), Completed(filtered)]
    outcome = Outcome.failed(ContentFilteredError("stopped by the content filter"))
    run(writer_for(env, OutputFormat.TEXT, clock=clock), events, outcome)
    assert streams(env)[1] == "resp_abc123 · 12 in · 5 reasoning · 34 out · 1.2 s\n"


def test_an_incomplete_response_warns_with_its_reason(clock: Clock) -> None:
    env = make_env()
    incomplete = record(status="incomplete", incomplete_reason="max_output_tokens")
    run(writer_for(env, OutputFormat.TEXT, clock=clock), [*deltas("Cut sh"), Completed(incomplete)])
    assert streams(env)[1].startswith("warning: response incomplete (max_output_tokens)\n")


def test_markers_never_reach_a_piped_stdout(clock: Clock) -> None:
    for outcome in (Outcome.interrupted(), Outcome.failed(StreamBrokenError("broken"))):
        env = make_env()
        run(writer_for(env, OutputFormat.TEXT, clock=clock), deltas("Partial"), outcome)
        assert "[" not in streams(env)[0]


@pytest.mark.parametrize(
    ("usage", "elapsed", "expected"),
    [
        (Usage(12, 34, 5), 1.234, "resp_abc123 · 12 in · 5 reasoning · 34 out · 1.2 s"),
        (
            Usage(1200, 8, 0, 1024),
            0.05,
            "resp_abc123 · 1,200 in (1,024 cached) · 8 out · 0.1 s",
        ),
        (None, 125.0, "resp_abc123 · 2 min 05 s"),
    ],
)
def test_footer_text(usage: Usage | None, elapsed: float, expected: str) -> None:
    assert footer_text(record(usage=usage), elapsed) == expected


def test_json_writer_prints_only_the_final_response(clock: Clock) -> None:
    stdout = io.StringIO()
    writer = JsonWriter(stdout, make_console(terminal=False), clock=clock)
    for event in EVENTS[:-1]:
        writer.handle(event)
    assert stdout.getvalue() == ""
    writer.handle(EVENTS[-1])
    writer.finish(Outcome.completed())
    assert stdout.getvalue() == json.dumps(RAW, indent=2) + "\n"


@pytest.mark.parametrize(("stderr_tty", "has_footer"), [(True, True), (False, False)])
def test_json_footer_only_for_a_person_at_a_terminal(
    stderr_tty: bool, has_footer: bool, clock: Clock
) -> None:
    env = make_env(stderr_tty=stderr_tty)
    run(writer_for(env, OutputFormat.JSON, clock=clock), EVENTS)
    stdout, stderr = streams(env)
    assert json.loads(stdout) == RAW
    assert ("resp_abc123 ·" in stderr) is has_footer


def test_jsonl_writer_prints_one_json_object_per_wire_event(clock: Clock) -> None:
    payloads = [
        {"type": "response.created", "sequence_number": 0, "response": {"id": "resp_abc123"}},
        {"type": "response.output_text.delta", "sequence_number": 1, "delta": "Hi\nthere"},
        {"type": "response.completed", "sequence_number": 2, "response": RAW},
    ]
    events: list[TurnEvent] = []
    for payload in payloads:
        events.append(
            WireEvent(str(payload["type"]), int(str(payload["sequence_number"])), payload)
        )
    events.extend([TextDelta("Hi\nthere"), Completed(record())])
    env = make_env()
    run(writer_for(env, OutputFormat.JSONL, clock=clock), events)
    lines = streams(env)[0].splitlines()
    assert [json.loads(line) for line in lines] == payloads
    assert all(" " not in line.replace("Hi\\nthere", "") for line in lines[:2])  # compact


def test_jsonl_writer_flushes_every_line() -> None:
    class CountingFlushes(io.StringIO):
        flushes = 0

        def flush(self) -> None:
            self.flushes += 1

    stdout = CountingFlushes()
    writer = JsonlWriter(stdout, make_console(terminal=False), clock=lambda: 0.0)
    writer.handle(WireEvent("response.created", 0, {"type": "response.created"}))
    assert stdout.flushes == 1 and stdout.getvalue() == '{"type":"response.created"}\n'


def test_settle_before_a_prompt_shows_the_answer_so_far_once(clock: Clock) -> None:
    out, err = make_console(terminal=True, live=True), make_console(terminal=True)
    writer = MarkdownWriter(out, err, clock=clock)
    writer.handle(TextDelta("I will run `ls` for yo"))
    writer.settle()  # an approval prompt would be asked now
    assert any("I will run" in line for line in _plain_screen(output(out)))
    writer.handle(TextDelta("u.\n\nDone."))
    writer.finish(Outcome.completed())
    shown = "\n".join(_plain_screen(output(out)))
    assert shown.count("I will run") == 1 and "Done." in shown


def test_reasoning_mid_answer_settles_the_live_region_first(clock: Clock) -> None:
    out, err = make_console(terminal=True, live=True), make_console(terminal=True)
    writer = MarkdownWriter(out, err, clock=clock)
    writer.handle(TextDelta("First part"))
    writer.handle(ReasoningDelta("more thought"))
    assert any("First part" in line for line in _plain_screen(output(out)))
    writer.handle(TextDelta("\n\nSecond part"))
    writer.finish(Outcome.completed())
    assert "more thought" in output(err) and "more thought" not in output(out)
    assert "Second part" in "\n".join(_plain_screen(output(out)))


def strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)
