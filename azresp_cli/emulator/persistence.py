"""An emulator's responses kept on disk, so that separate processes share one service.

`azresp chat --emulator` starts the emulator for one command; without this, `azresp get
--emulator ID` in the next command would find nothing, and a background job would die with
the process that started it. With a directory (the CLI uses `DATA_DIR/emulator`), each stored
response is one JSON file, written atomically and user-only, and the signing secret is kept so
that encrypted reasoning and compaction items verify in the next process too.

A background job still running when its process exits is saved with its script's plan (the
model is deterministic, so its remaining events can be produced later). The next process to
load the directory fast-forwards it by the time that has passed: the events it would have sent
meanwhile are produced at once, the rest play out live. A synchronous response that was still
streaming is cancelled, as its connection died with its process.

Only the newest `MAX_RESPONSES` responses are kept. Stream events are kept only for responses
whose stream can be replayed (background and streamed).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import re
import secrets
import tempfile
import time
import types
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from azresp_cli.emulator import events
from azresp_cli.emulator.eventlog import EventLog
from azresp_cli.emulator.events import Pause, Plan, Step
from azresp_cli.emulator.objects import ResponseShell
from azresp_cli.emulator.store import RUNNING, ResponseRecord

FORMAT = 1
MAX_RESPONSES = 500
SECRET_FILE = "secret"  # noqa: S105 - a file name, not a secret
RESPONSES_DIR = "responses"
_FILE_NAME = re.compile(r"resp_[0-9A-Za-z]+\.json")

Clock = Callable[[], float]
_log = logging.getLogger("azresp.emulator")  # shown with --debug; the client warns the user


@dataclasses.dataclass(frozen=True)
class Continuation:
    """A job loaded half-way: the steps it has still to play, live."""

    record: ResponseRecord
    steps: list[Step]


class Persistence:
    """One directory of saved responses; also the store's `Keeper`."""

    def __init__(
        self, directory: Path, *, max_responses: int = MAX_RESPONSES, clock: Clock = time.time
    ) -> None:
        self.directory = directory
        self.max_responses = max_responses
        self._clock = clock
        self._saved: dict[str, tuple[str, int]] = {}  # id -> (status, events) as last written
        self._failed = False  # a write failed: the disk is full or read-only

    @property
    def responses_dir(self) -> Path:
        return self.directory / RESPONSES_DIR

    def secret(self) -> bytes:
        """The signing secret shared by every process using this directory (made once)."""
        path = self.directory / SECRET_FILE
        with contextlib.suppress(FileNotFoundError):
            return bytes.fromhex(path.read_text(encoding="ascii").strip())
        _make_dir(self.directory)
        fresh = secrets.token_bytes(32)
        try:
            # O_EXCL: when two processes start at once, one secret wins and both use it.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return bytes.fromhex(path.read_text(encoding="ascii").strip())
        with os.fdopen(fd, "w", encoding="ascii") as stream:
            stream.write(fresh.hex())
        return fresh

    def load(self) -> tuple[list[ResponseRecord], list[Continuation]]:
        """The saved responses, oldest first, and the jobs to go on running live."""
        records: list[ResponseRecord] = []
        continuations: list[Continuation] = []
        for path, data in self._read_all():
            try:
                record, saved_at = _decode_record(data)
            except (KeyError, TypeError, ValueError):
                _remove(path)  # written by an incompatible version: it cannot be served
                continue
            self._saved[record.response_id] = (record.status, len(record.log.events))
            if record.status in RUNNING:
                rest = self._catch_up(record, saved_at)
                if rest:
                    continuations.append(Continuation(record, rest))
            records.append(record)
        return records, continuations

    def save(self, record: ResponseRecord) -> None:
        """Write `record` unless it is unchanged since it was last written."""
        version = (record.status, len(record.log.events))
        if self._saved.get(record.response_id) == version:
            return
        path = self._path(record.response_id)
        if record.status not in RUNNING and self._is_final_on_disk(path, record.status):
            return  # another process finished it first (a cancel, say): that outcome stands
        try:
            _make_dir(self.responses_dir)
            _write_atomic(path, json.dumps(_encode_record(record, self._clock())))
        except OSError as exc:  # a full or read-only disk: serve on from memory, say it once
            if not self._failed:
                self._failed = True
                _log.info("the emulator cannot save responses in %s: %s", self.directory, exc)
            return
        self._saved[record.response_id] = version
        self._prune()

    def save_all(self, records: list[ResponseRecord]) -> None:
        for record in records:
            self.save(record)

    def remove(self, response_id: str) -> None:
        self._saved.pop(response_id, None)
        _remove(self._path(response_id))

    def _path(self, response_id: str) -> Path:
        return self.responses_dir / f"{response_id}.json"

    def _read_all(self) -> Iterator[tuple[Path, dict[str, Any]]]:
        paths = self._newest_files()
        for path in paths[self.max_responses :]:
            _remove(path)
        for path in reversed(paths[: self.max_responses]):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                _remove(path)  # a file cut short by a crash is worth less than a clean start
                continue
            if isinstance(data, dict) and data.get("format") == FORMAT:
                yield path, data

    def _newest_files(self) -> list[Path]:
        try:
            entries = [e for e in os.scandir(self.responses_dir) if _FILE_NAME.fullmatch(e.name)]
        except FileNotFoundError:
            return []
        entries.sort(key=lambda entry: entry.stat().st_mtime, reverse=True)
        return [Path(entry.path) for entry in entries]

    def _prune(self) -> None:
        paths = self._newest_files()
        for path in paths[self.max_responses :]:
            _remove(path)

    def _is_final_on_disk(self, path: Path, status: str) -> bool:
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        saved_status = saved.get("snapshot", {}).get("status") if isinstance(saved, dict) else None
        return saved_status not in (None, *RUNNING) and saved_status != status

    def _catch_up(self, record: ResponseRecord, saved_at: float) -> list[Step]:
        """Play the part of a job that would have happened since it was saved; return the rest."""
        if not record.is_background or record.plan is None:
            record.cancel()  # a synchronous response died with its connection
            return []
        steps = _remaining_steps(record)
        budget = max(self._clock() - saved_at, 0.0)
        while steps:
            step = steps[0]
            if isinstance(step, Pause):
                if step.seconds > budget:
                    steps[0] = Pause(step.seconds - budget)
                    return steps
                budget -= step.seconds
            else:
                record.apply(record.log.append(step))
            steps.pop(0)
        record.log.close()
        return []


def _remaining_steps(record: ResponseRecord) -> list[Step]:
    """The job's script after the events already logged (the plan makes it the same script)."""
    assert record.plan is not None
    done = len(record.log.events)
    steps: list[Step] = []
    seen = 0
    for step in events.script(record.shell, record.plan):
        if seen >= done:
            steps.append(step)
        elif not isinstance(step, Pause):
            seen += 1
    return steps


def _encode_record(record: ResponseRecord, saved_at: float) -> dict[str, Any]:
    shell = record.shell
    return {
        "format": FORMAT,
        "saved_at": saved_at,
        "shell": {"id": shell.response_id, "created_at": shell.created_at, "echo": shell.echo},
        "previous_response_id": record.previous_response_id,
        "input_items": record.input_items,
        "snapshot": record.snapshot,
        "is_background": record.is_background,
        "is_streamed": record.is_streamed,
        "is_resumable": record.is_resumable,
        "input_tokens": record.input_tokens,
        "cut_every": record.cut_every,
        "plan": dataclasses.asdict(record.plan) if record.plan is not None else None,
        # Only a replayable stream needs its events once it has ended (they are most of a
        # response's size); a running job needs them to go on from where it is.
        "events": [event.data for event in record.log.events]
        if record.is_resumable or record.status in RUNNING
        else [],
        "log_closed": record.log.is_closed,
    }


def _decode_record(data: dict[str, Any]) -> tuple[ResponseRecord, float]:
    shell_data = data["shell"]
    shell = ResponseShell(str(shell_data["id"]), int(shell_data["created_at"]), shell_data["echo"])
    record = ResponseRecord(
        shell=shell,
        previous_response_id=data["previous_response_id"],
        input_items=list(data["input_items"]),
        snapshot=dict(data["snapshot"]),
        is_background=bool(data["is_background"]),
        is_streamed=bool(data["is_streamed"]),
        is_resumable=bool(data["is_resumable"]),
        input_tokens=int(data["input_tokens"]),
        cut_every=data.get("cut_every"),
        plan=_decode(Plan, data["plan"]) if data.get("plan") is not None else None,
    )
    record.log = EventLog()
    for text in data["events"]:
        payload = json.loads(text)
        logged = record.log.append({k: v for k, v in payload.items() if k != "sequence_number"})
        if logged.data != text:
            raise ValueError("event log out of order")
    if data["log_closed"] or record.status not in RUNNING:
        record.log.close()
    return record, float(data["saved_at"])


def _decode(hint: Any, value: Any) -> Any:
    """Rebuild a value of type `hint` from its `dataclasses.asdict` form."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return None if value is None else _decode(options[0], value)
    if origin is tuple:
        item_hint = typing.get_args(hint)[0]
        return tuple(_decode(item_hint, item) for item in value)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        hints = typing.get_type_hints(hint)
        fields = {f.name for f in dataclasses.fields(hint)}
        return hint(**{k: _decode(hints[k], v) for k, v in value.items() if k in fields})
    return value


def _make_dir(directory: Path) -> None:
    """Create `directory` and any missing parent user-only (prompts and answers live here)."""
    missing = [d for d in (directory, *directory.parents) if not d.exists()]
    for path in reversed(missing):
        path.mkdir(mode=0o700, exist_ok=True)
        path.chmod(0o700)  # mkdir's mode is filtered by the umask


def _write_atomic(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:  # mkstemp makes it 0600
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        _remove(Path(temporary))
        raise


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
