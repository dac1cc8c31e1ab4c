"""No cyclic garbage collection during start-up.

Importing typer, openai and its pydantic models allocates hundreds of thousands of objects
that live as long as the process; CPython's collector scans them again and again while they
are made (~200 young collections before the first token). `main()` pauses the collector; it
resumes, with everything made so far frozen out of future collections (`gc.freeze`), once
the openai client is built, or as a command that builds none starts. A process ending before
either never collects (it exits instead).
"""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()
_paused = False


def pause() -> None:
    global _paused
    with _lock:
        if gc.isenabled():
            gc.disable()
            _paused = True


def resume() -> None:
    """Freeze what start-up made and collect again; once, and only after `pause()`."""
    global _paused
    with _lock:
        if _paused:
            _paused = False
            gc.freeze()
            gc.enable()
