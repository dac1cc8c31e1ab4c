"""The bounds of the request log (`GET /_emulator/requests`, `RunningEmulator.requests`).

The log is for tests and debugging: the newest `MAX_LOGGED_REQUESTS` requests, whose kept
bodies add up to at most `MAX_LOGGED_BYTES`; the oldest go first. A body larger than
`MAX_LOGGED_BODY_BYTES` is not kept at all, and a refused request (401, 403, 413) is logged
without its body, which is never read.
"""

from __future__ import annotations

from azresp_cli.emulator.config import RecordedRequest

MAX_LOGGED_REQUESTS = 1_000
MAX_LOGGED_BYTES = 32 * 1024 * 1024
MAX_LOGGED_BODY_BYTES = 1024 * 1024


def append(
    requests: list[RecordedRequest], sizes: list[int], request: RecordedRequest, size: int
) -> list[int]:
    """Append `request` (its body `size` bytes) to the log in place, dropping the oldest.

    `sizes` runs parallel to `requests`; the list to keep using is returned.
    """
    if len(sizes) != len(requests):  # the list was cleared or changed from outside
        sizes = [0] * len(requests)
    requests.append(request)
    sizes.append(size)
    total = sum(sizes)
    drop = 0
    while len(requests) - drop > MAX_LOGGED_REQUESTS or (
        total > MAX_LOGGED_BYTES and drop < len(requests) - 1
    ):
        total -= sizes[drop]
        drop += 1
    if drop:
        del requests[:drop]
        del sizes[:drop]
    return sizes
