"""Issue 12 item 6: the history under contention, and a data dir that cannot be written.

Sixty processes write through the real HistoryStore at the same moment: none may lose its
turn. A data dir that cannot be created, or a disk that fills up, costs one warning and the
answer still comes.
"""

from __future__ import annotations

import os
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from azresp_cli.core.history import HistoryStore, history_path

pytestmark = pytest.mark.slow  # every test here runs Python or azresp as processes

WRITERS = 60

_WRITER = """
import os, sys, time
from pathlib import Path
from azresp_cli.core.history import HistoryStore, NewTurn
path, number, go = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
while not go.exists():  # all start together
    time.sleep(0.005)
store = HistoryStore.open(path)
try:
    store.last_conversation()  # a one-shot reads (for -c) before it records
    store.record(NewTurn(
        conversation_id=f"conv_{number:04d}", response_id=f"resp_{number:04d}", parent_id=None,
        previous_response_id=None, prompt=f"question {number}", answer="answer",
        instructions=None, deployment="gpt-test", endpoint="http://127.0.0.1:1/openai/v1/",
        status="completed", stored=True, usage=None, started_at=time.time(),
        finished_at=time.time(),
    ))
finally:
    store.close()
print("recorded")
"""


def test_sixty_parallel_writers_lose_nothing(tmp_path: Path) -> None:
    path = history_path(tmp_path / "data")
    HistoryStore.open(path).close()  # an existing database, as after the first azresp run
    go = tmp_path / "go"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path), str(number), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for number in range(WRITERS)
    ]
    go.touch()
    results = [(*writer.communicate(timeout=240), writer.returncode) for writer in writers]
    failures = [
        (code, out[-200:], err[-400:]) for out, err, code in results if code or out != "recorded\n"
    ]
    assert failures == []
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM turns").fetchone()[0] == WRITERS
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_opening_an_up_to_date_history_takes_no_write_lock(tmp_path: Path) -> None:
    path = history_path(tmp_path / "data")
    HistoryStore.open(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another azresp in the middle of a write
    try:
        store = HistoryStore.open(path, timeout=0)  # would fail at once if it needed the lock
        assert store.conversations() == []
        store.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def _azresp(
    tmp_path: Path, data_dir: Path, *argv: str, fsize: int | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AZURE_OPENAI")},
        "AZRESP_CONFIG_DIR": str(tmp_path / "config"),
        "AZRESP_DATA_DIR": str(data_dir),
    }

    def limit() -> None:
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.run(
        [sys.executable, "-m", "azresp_cli", *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit,
        check=False,
    )


def test_an_unwritable_data_dir_costs_one_warning(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a regular file where the data dir's parent should be")
    result = _azresp(tmp_path, blocker / "data", "chat", "--emulator", "[[reply:still here]]")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "still here\n"
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, result.stderr
    assert "Traceback" not in result.stderr and "error:" not in result.stderr
    assert len(result.stderr.splitlines()) <= 3, result.stderr


def test_a_full_disk_costs_one_warning(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = _azresp(tmp_path, data, "chat", "--emulator", "[[reply:first]]")
    assert first.returncode == 0, first.stderr
    # RLIMIT_FSIZE of one byte: every write to a file fails (EFBIG), as on a full disk.
    result = _azresp(tmp_path, data, "chat", "--emulator", "[[long:3000]]", fsize=1)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout) > 1000
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, result.stderr
    assert "Traceback" not in result.stderr and "cannot rollback" not in result.stderr
