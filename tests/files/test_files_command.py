"""`azresp files`: upload, list, download, delete against the emulator's Files API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cli_support import TEST_KEY
from tool_support import Azresp

from azresp_cli.render import files as files_render


def upload(azresp: Azresp, path: Path, *extra: str) -> str:
    result = azresp("files", "upload", str(path), *extra)
    assert result.exit_code == 0, result.stderr
    file_id = result.stdout.strip()
    assert result.stdout == file_id + "\n"  # stdout is the id alone
    return file_id


def test_upload_list_download_delete(azresp: Azresp, emulator: Any, tmp_path: Path) -> None:
    report = tmp_path / "report.csv"
    report.write_text("a,b\n1,2\n")
    file_id = upload(azresp, report)
    [sent] = [r for r in emulator.requests if r.path.endswith("/files") and r.method == "POST"]
    assert "multipart/form-data" in sent.headers["content-type"]

    listed = azresp("files", "list")
    assert listed.exit_code == 0, listed.stderr
    assert f"{file_id}\t8\tassistants\treport.csv\n" in listed.stdout
    as_json = json.loads(azresp("files", "list", "--json").stdout)
    assert [f["id"] for f in as_json["data"]] == [file_id]

    target = tmp_path / "copy.csv"
    downloaded = azresp("files", "download", file_id, "-o", str(target))
    assert downloaded.exit_code == 0, downloaded.stderr
    assert target.read_text() == "a,b\n1,2\n"
    assert f"saved {target}" in downloaded.stderr
    again = azresp("files", "download", file_id, "-o", str(target))
    assert again.exit_code == 2 and "never overwrites" in again.stderr

    deleted = azresp("files", "delete", file_id)
    assert deleted.exit_code == 0, deleted.stderr
    assert deleted.stderr == f"deleted {file_id}\n"
    assert azresp("files", "list").stdout == ""
    gone = azresp("files", "delete", file_id)
    assert gone.exit_code == 4


def test_upload_with_a_purpose(azresp: Azresp, tmp_path: Path) -> None:
    data = tmp_path / "batch.jsonl"
    data.write_text('{"a": 1}\n')
    file_id = upload(azresp, data, "--purpose", "batch")
    assert f"{file_id}\t" in azresp("files", "list", "--purpose", "batch").stdout
    bad = azresp("files", "upload", str(data), "--purpose", "nonsense")
    assert bad.exit_code == 2 and "unknown purpose 'nonsense'" in bad.stderr


def test_a_missing_file_fails_before_any_request(
    azresp: Azresp, emulator: Any, tmp_path: Path
) -> None:
    result = azresp("files", "upload", str(tmp_path / "nope.pdf"))
    assert result.exit_code == 2 and "no such file" in result.stderr
    assert emulator.requests == []


def test_a_large_upload_on_a_terminal_shows_progress(
    azresp: Azresp, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setattr(files_render, "PROGRESS_MIN_BYTES", 1000)
    big = tmp_path / "big.bin"
    big.write_bytes(b"z" * 300_000)
    result = azresp("files", "upload", str(big), tty=True)
    assert result.exit_code == 0, result.stderr
    assert "uploading big.bin" in result.stderr
    assert "300.0 kB" in result.stderr or "300.0/300.0 kB" in result.stderr
    assert result.stdout.strip().startswith(("assistant-", "file-"))
    assert TEST_KEY not in result.output


def test_list_on_a_terminal_is_a_table(azresp: Azresp, tmp_path: Path) -> None:
    data = tmp_path / "t.txt"
    data.write_text("x")
    file_id = upload(azresp, data)
    result = azresp("files", "list", tty=True)
    assert result.exit_code == 0, result.stderr
    assert "filename" in result.stdout and file_id in result.stdout
