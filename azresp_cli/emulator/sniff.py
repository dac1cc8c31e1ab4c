"""What the scripted model "sees" in an attachment: a one-line, deterministic description.

`report.pdf (application/pdf, 2 pages, text: "Quarterly report …")`,
`cat.png (image/png, 64×64)`, `notes.md (text/markdown, first line: "# Notes")`.
PDF reading is deliberately crude: pages are counted by their `/Type /Page` objects, and
text is taken from the string operands inside `BT … ET` blocks of uncompressed or
Flate-compressed content streams. Good enough for the simple PDFs tests and demos make.
"""

from __future__ import annotations

import contextlib
import re
import struct
import zlib

from azresp_cli.emulator import png

_EXCERPT = 60
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\n?endstream", re.DOTALL)
_TEXT_BLOCK = re.compile(rb"BT(.*?)ET", re.DOTALL)
_LITERAL = re.compile(rb"\((?:\\.|[^\\)])*\)", re.DOTALL)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"(": b"(", b")": b")", b"\\": b"\\"}
_MAX_STREAMS = 200  # a large PDF is described by its first pages' text, quickly


def describe(name: str, media_type: str, data: bytes) -> str:
    facts = [media_type]
    if media_type == "application/pdf":
        pages = len(_PAGE.findall(data))
        facts.append(f"{pages} page" + ("" if pages == 1 else "s"))
        text = pdf_text(data)
        if text:
            facts.append(f'text: "{_excerpt(text)}"')
    elif media_type.startswith("image/"):
        size = image_size(data)
        if size is not None:
            facts.append(f"{size[0]}×{size[1]}")
    elif (line := first_line(data)) is not None:
        facts.append(f'first line: "{_excerpt(line)}"' if line else "empty")
    else:
        facts.append(f"{len(data)} bytes")
    return f"{name} ({', '.join(facts)})"


def image_size(data: bytes) -> tuple[int, int] | None:
    return png.size_of(data) or _jpeg_size(data) or _gif_size(data)


def first_line(data: bytes) -> str | None:
    """The first non-blank line of a text file, or None if `data` is not UTF-8 text."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if "\x00" in text:
        return None
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def pdf_text(data: bytes) -> str:
    pieces: list[bytes] = []
    for number, match in enumerate(_STREAM.finditer(data)):
        if number >= _MAX_STREAMS:
            break
        content = match.group(1)
        with contextlib.suppress(zlib.error):  # an uncompressed stream is read as it is
            content = zlib.decompress(content)
        for block in _TEXT_BLOCK.findall(content):
            pieces.extend(_unescape(literal[1:-1]) for literal in _LITERAL.findall(block))
    text = b" ".join(pieces).decode("latin-1")
    return " ".join(text.split())


def _unescape(literal: bytes) -> bytes:
    return re.sub(rb"\\(.)", lambda match: _ESCAPES.get(match.group(1), match.group(1)), literal)


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Walk the JPEG markers to the first start-of-frame, which holds the size."""
    if not data.startswith(b"\xff\xd8"):
        return None
    position = 2
    while position + 9 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return int(width), int(height)
        position += 2 + length
    return None


def _gif_size(data: bytes) -> tuple[int, int] | None:
    if not data.startswith(b"GIF8") or len(data) < 10:
        return None
    width, height = struct.unpack("<HH", data[6:10])
    return int(width), int(height)


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _EXCERPT else flat[: _EXCERPT - 1] + "…"
