"""PNG bytes in and out: a tiny encoder for the pictures the tools make, and a size reader.

Only what the emulator needs: 8-bit RGB, no interlacing, one IDAT chunk, every scanline
with filter type 0. The pictures are made of flat bands, so zlib squeezes even a
1536×1024 image into a few kilobytes in milliseconds, which keeps test replies small.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable

SIGNATURE = b"\x89PNG\r\n\x1a\n"
Colour = tuple[int, int, int]


def encode_rgb(width: int, height: int, rows: Iterable[bytes]) -> bytes:
    """A PNG of `height` scanlines, each `width * 3` bytes of R, G, B."""
    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 ("None") on every line
    if len(raw) != height * (width * 3 + 1):
        raise ValueError("scanlines do not match the image size")  # a bug in the caller
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit truecolour
    return (
        SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 6))
        + _chunk(b"IEND", b"")
    )


def size_of(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG's IHDR chunk, or None if `data` is not a PNG."""
    if not data.startswith(SIGNATURE) or data[12:16] != b"IHDR" or len(data) < 24:
        return None
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def band_rows(width: int, bands: list[list[Colour]], band_size: int) -> Iterable[bytes]:
    """Scanlines of a grid of flat squares: `bands[row][column]`, each `band_size` px wide.

    A row of squares is one scanline repeated, built once: that is what makes large
    pictures cheap to produce in pure Python.
    """
    for band in bands:
        line = b"".join(bytes(colour) * band_size for colour in band)[: width * 3]
        for _ in range(band_size):
            yield line


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)
