"""docs/protocol.md §0 and §13: the rules for a stream, as one reusable assertion."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from spec_validation import assert_sse_valid

TERMINAL = ("response.completed", "response.incomplete", "response.failed")
Event = dict[str, Any]


def check_stream(
    body: str, *, expect_terminal: bool = True, first_number: int = 0, check_items: bool = True
) -> list[Event]:
    """Validate every frame, then the ordering rules; return the events.

    `check_items=False` skips the per-item rules, for a stream stopped mid-item by a cancel.
    """
    assert "[DONE]" not in body  # 1: the server closes instead
    events = assert_sse_valid(body)
    numbers = [event["sequence_number"] for event in events]
    assert numbers == list(range(first_number, first_number + len(events)))  # 2
    if first_number == 0:
        _check_opening(events)  # 3, 4
    terminals = [index for index, event in enumerate(events) if event["type"] in TERMINAL]
    if expect_terminal:
        assert len(terminals) == 1, [event["type"] for event in events]  # 5
        assert "usage" in events[terminals[0]]["response"]
        if first_number == 0 and check_items:  # a resumed stream lacks the earlier `added`s
            _check_items(events[: terminals[0] + 1])
    else:
        assert not terminals
    for event in events:
        assert "output_text" not in event.get("response", {})  # 9: SDK-only field
    return events


def _check_opening(events: list[Event]) -> None:
    types = [event["type"] for event in events]
    assert types[0] == "response.created"
    is_background = events[0]["response"]["background"]
    expected = ["response.created", "response.queued", "response.in_progress"]
    if not is_background:
        expected.remove("response.queued")
    assert types[: len(expected)] == expected
    for event in events[: len(expected)]:
        response = event["response"]
        assert response["status"] in ("queued", "in_progress")
        assert response["output"] == []
        assert "usage" not in response or response["usage"] is None
        assert response["error"] is None and response["incomplete_details"] is None
    assert events[0]["response"]["status"] == ("queued" if is_background else "in_progress")


def _check_items(events: list[Event]) -> None:
    """6-9: indexes, added/done pairs, ids on every item event, deltas adding up."""
    added: dict[int, Event] = {}
    done: dict[int, Event] = {}
    deltas: dict[tuple[Any, ...], str] = defaultdict(str)
    for event in events:
        kind = event["type"]
        if kind == "response.output_item.added":
            assert event["output_index"] == len(added)  # 6: 0, 1, 2 ... in order
            added[event["output_index"]] = event["item"]
        elif kind == "response.output_item.done":
            index = event["output_index"]
            assert index in added and index not in done  # 6: one added, one done
            assert event["item"]["id"] == added[index]["id"]
            done[index] = event["item"]
        elif "output_index" in event:
            index = event["output_index"]
            assert index in added and index not in done, f"{kind} outside its item"  # 6
            assert event["item_id"] == added[index]["id"]  # 7
            key = (index, event.get("content_index"), event.get("summary_index"))
            if kind.endswith(".delta"):
                deltas[key] += event["delta"]
            elif kind.endswith("text.done"):
                assert event["text"] == deltas[key]  # 8
            elif kind == "response.function_call_arguments.done":
                assert event["arguments"] == deltas[key]
    assert sorted(added) == sorted(done)
    final = events[-1]["response"]["output"]
    assert final == [done[index] for index in sorted(done)]  # 9
