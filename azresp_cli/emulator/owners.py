"""Who runs a job: an emulator instance, named by its process and that process's start time.

A response still running in the state directory belongs to the instance that wrote it. Only when
that owner is gone may another instance take the job over (finish a background job, cancel a
synchronous one). A process id alone is not enough, as ids are reused: the owner also records
when its process started (Linux's /proc; elsewhere only whether the id is alive is known). Several
emulators can run in one process (tests, one `--emulator` command after another), so each
instance has its own token, and a token of this process is alive only while its emulator runs.
"""

from __future__ import annotations

import os
import secrets
import threading
from pathlib import Path

_live: set[str] = set()  # the owners of this process whose emulator is running
_lock = threading.Lock()


def start_time(pid: int) -> str:
    """When process `pid` started (clock ticks since boot), "" where that cannot be read."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return ""
    fields = stat.rsplit(")", 1)[-1].split()
    if len(fields) < 20 or fields[0] in ("Z", "X"):  # a zombie has ended: nobody runs its jobs
        return "ended"
    return fields[19]


_PID = os.getpid()
_START = start_time(_PID)


def claim() -> str:
    """A new owner for an emulator starting in this process."""
    global _PID, _START
    if os.getpid() != _PID:  # a forked child is another process
        _PID, _START = os.getpid(), start_time(os.getpid())
    owner = f"{_PID}:{_START}:{secrets.token_hex(6)}"
    with _lock:
        _live.add(owner)
    return owner


def release(owner: str) -> None:
    """The emulator of `owner` has stopped: what it left running is for others to take."""
    with _lock:
        _live.discard(owner)


def is_alive(owner: str | None) -> bool:
    """Whether the emulator named by `owner` may still be running its jobs."""
    if not owner:
        return False
    try:
        pid_text, started, _token = owner.split(":", 2)
        pid = int(pid_text)
    except ValueError:
        return False
    if pid == os.getpid() and started == _START:
        with _lock:
            return owner in _live
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process has that id: the start time tells
    now = start_time(pid)
    if now == "ended":
        return False
    return not started or not now or now == started
