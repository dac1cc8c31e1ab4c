"""The event-size cap counts what the SSE format calls an event, however the bytes are split."""

from __future__ import annotations

import pytest

from azresp_cli.core.bounded_stream import StreamTooLarge, bounded_events


def _pass(chunks: list[bytes], limit: int) -> bytes:
    return b"".join(bounded_events(iter(chunks), limit))


@pytest.mark.parametrize("end", [b"\n", b"\r\n", b"\r"])
def test_many_events_each_under_the_limit_pass_whole(end: bytes) -> None:
    event = b"data: " + b"x" * 40 + end + end  # 46 bytes of lines, then a blank line
    stream = event * 1000
    # Split everywhere, CRLF pairs included: the count must not depend on the chunking.
    for size in (1, 3, 7, 64):
        chunks = [stream[i : i + size] for i in range(0, len(stream), size)]
        assert _pass(chunks, limit=50) == stream


def test_one_long_line_is_cut() -> None:
    with pytest.raises(StreamTooLarge, match="larger than 100 B"):
        _pass([b"data: " + b"x" * 60, b"x" * 60], limit=100)


@pytest.mark.parametrize("end", [b"\n", b"\r\n"])
def test_short_lines_with_no_blank_line_are_one_event(end: bytes) -> None:
    lines = (b"data: " + b"y" * 10 + end) * 20  # 20 short lines, never an event boundary
    with pytest.raises(StreamTooLarge):
        _pass([lines[i : i + 5] for i in range(0, len(lines), 5)], limit=100)


def test_a_crlf_split_across_chunks_is_not_a_blank_line() -> None:
    # "\r" ends a chunk and "\n" starts the next: one line end, not an event boundary.
    chunks = [b"data: " + b"z" * 30 + b"\r", b"\n"] * 5
    with pytest.raises(StreamTooLarge):
        _pass(chunks, limit=100)
