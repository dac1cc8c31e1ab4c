"""The pure parts: tokens, directives, the scripted model, long answers, faults, sealing."""

from __future__ import annotations

import pytest

from azresp_cli.emulator import directives, faults, longform, model, tokens
from azresp_cli.emulator.conversation import Conversation
from azresp_cli.emulator.errors import ApiError
from azresp_cli.emulator.sealed import Sealer


def _conversation(*said: str, answers: int = 0) -> Conversation:
    messages = []
    for index, text in enumerate(said):
        messages.append(("user", text))
        if index < answers:
            messages.append(("assistant", "an answer"))
    return Conversation(tuple(messages), images=0, files=(), tool_results=(), remembered=0)


def test_token_counting_is_words_and_punctuation() -> None:
    assert tokens.count("Hello, world!") == 4
    assert tokens.count("") == 0
    assert tokens.first_tokens("one two three four", 2) == "one two "


@pytest.mark.parametrize(
    "text", ["", "   ", "one", "  lead and trail  ", "a\n\nb\n- c\n```\ncode\n```\n", "x " * 50]
)
def test_deltas_add_up_to_the_text(text: str) -> None:
    assert "".join(tokens.deltas(text)) == text


@pytest.mark.parametrize("target", [1, 50, 400, 5000, 32000])
def test_long_answers_hit_their_size(target: int) -> None:
    text = longform.generate(target)
    assert target <= tokens.count(text) <= target + 60
    assert text.count("```") % 2 == 0
    assert longform.generate(target) == text  # deterministic


def test_directives_are_found_and_stripped() -> None:
    text = "hi [[slow:20]] there [[fault:503 once]]\n[[reply:multi\nline]]"
    found = directives.find(text)
    assert [(d.name, d.argument) for d in found] == [
        ("slow", "20"),
        ("fault", "503 once"),
        ("reply", "multi\nline"),
    ]
    assert found[1].source == "[[fault:503 once]]"
    assert directives.strip(text) == "hi  there"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain", "plain"),
        ([{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}], "a"),
        (
            [
                {
                    "role": "user",
                    "content": [{"type": "input_text", "text": "x"}, {"type": "input_image"}],
                }
            ],
            "x",
        ),
        ([{"type": "function_call_output", "call_id": "c", "output": "1"}], ""),
        (None, ""),
        (42, ""),
    ],
)
def test_latest_user_text_tolerates_any_shape(raw: object, expected: str) -> None:
    assert directives.latest_user_text(raw) == expected


def test_turn_answer_quotes_the_conversation() -> None:
    answer = model.respond(
        _conversation("first", "second", "third", answers=2),
        model.ModelRequest("third", instructions="be kind"),
    )
    assert answer.text == (
        "**Turn 3** of this conversation.\n\n"
        'You said: "third"\n\n'
        'Earlier you said: "second".\nYour first message was: "first".\n\n'
        'Following your instructions: "be kind"\n\n'
        "What I can see:\n- 3 user messages and 2 earlier answers"
    )


def test_reply_echo_slow_and_reasoning() -> None:
    conversation = _conversation("x")
    assert model.respond(conversation, model.ModelRequest(r"[[reply:a\nb]]")).text == "a\nb"
    assert model.respond(conversation, model.ModelRequest("[[echo]]  say this ")).text == "say this"
    assert model.respond(conversation, model.ModelRequest("[[slow:250]]")).delta_delay == 0.25
    reasoning = model.respond(conversation, model.ModelRequest("x", effort="high", summary="auto"))
    assert reasoning.reasoning_tokens == 192 and len(reasoning.reasoning_summary) == 1
    quiet = model.respond(conversation, model.ModelRequest("x", effort="low"))
    assert quiet.reasoning_tokens == 48 and quiet.reasoning_summary == ()


def test_fault_specs_parse() -> None:
    spec = faults.parse("429 once retry-after=3", "[[fault:429 once retry-after=3]]")
    assert (spec.kind, spec.value, spec.is_once) == ("429", None, True)
    assert faults.parse("cut:7", "s").value == 7
    assert faults.parse("malformed", "s").value is None
    for bad in ("", "cut", "slow_first_byte", "418", "no_resume:3"):
        with pytest.raises(ApiError):
            faults.parse(bad, "s")
    assert [s.kind for s in faults.parse_header("503 once; cut:2")] == ["503", "cut"]


def test_fault_plan_applies_once_per_identity() -> None:
    memory = faults.OnceMemory()
    spec = faults.parse("503 once", "[[fault:503 once]]")
    assert faults.plan([spec], b"request-a", memory).http_error is not None
    assert faults.plan([spec], b"request-a", memory).http_error is None
    assert faults.plan([spec], b"request-b", memory).http_error is not None
    combined = faults.plan(
        [faults.parse("cut:3", "a"), faults.parse("no_resume", "b")], b"x", memory
    )
    assert (combined.cut_after, combined.is_resumable, combined.http_error) == (3, False, None)


def test_sealed_tokens_round_trip_and_resist_tampering() -> None:
    sealer = Sealer(b"k" * 32)
    token = sealer.seal("reasoning", {"id": "rs_1"})
    assert sealer.unseal("reasoning", token) == {"kind": "reasoning", "id": "rs_1"}
    assert sealer.unseal("compaction", token) is None  # bound to its kind
    assert Sealer(b"other" * 8).unseal("reasoning", token) is None  # and to its emulator
    for forged in (token + "x", "x" + token, token.replace(".", ""), 42, None):
        assert sealer.unseal("reasoning", forged) is None
