"""Fragments: -f and --sf over the wire, named ones, URLs from a loopback server with a size
limit, and one copy of each content in the history however often it is used."""

from __future__ import annotations

import hashlib
import http.server
import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from cli_support import RunCli
from template_support import creates, user_texts

from azresp_cli.core.fragments import MAX_FRAGMENT_BYTES


class _Pages(http.server.BaseHTTPRequestHandler):
    pages: ClassVar[dict[str, bytes]] = {}

    def do_GET(self) -> None:
        body = self.pages.get(self.path)
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        if not self.path.startswith("/chunked"):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def pages() -> Iterator[str]:
    _Pages.pages = {
        "/style.md": b"Write in British English.",
        "/big.txt": b"x" * (MAX_FRAGMENT_BYTES + 1),
        "/chunked-big.txt": b"y" * (MAX_FRAGMENT_BYTES + 10),
    }
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    # a short poll: shutdown() waits out one (0.5 s by default) in every teardown
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_fragments_go_before_the_prompt_and_into_the_instructions(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any, tmp_path: Path
) -> None:
    code = tmp_path / "main.py"
    code.write_text("print('hi')\n")
    rules = tmp_path / "rules.md"
    rules.write_text("Be terse.\n")
    result = azresp(
        "chat", "-s", "You review code.", "-f", str(code), "--sf", str(rules), "review it",
        env=emulator_env,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    body = creates(emulator)[-1]
    assert user_texts(body) == ["print('hi')\n", "review it"]
    assert body["instructions"] == "You review code.\n\nBe terse."


def test_stdin_as_a_fragment(azresp: RunCli, emulator_env: dict[str, str], emulator: Any) -> None:
    result = azresp("chat", "-f", "-", "what is this?", stdin="a log line", env=emulator_env)
    assert result.exit_code == 0, result.stderr
    assert user_texts(creates(emulator)[-1]) == ["a log line", "what is this?"]


def test_named_fragments(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any, tmp_path: Path, pages: str
) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("The build runs on Fridays.")
    assert azresp("fragments", "set", "notes", str(notes)).exit_code == 0
    assert azresp("fragments", "set", "style", f"{pages}/style.md").exit_code == 0
    listed = azresp("fragments", "list")
    assert listed.stdout == f"notes\t{notes.resolve()}\nstyle\t{pages}/style.md\n"
    result = azresp("chat", "-f", "notes", "--sf", "style", "when?", env=emulator_env)
    assert result.exit_code == 0, result.stderr
    body = creates(emulator)[-1]
    assert user_texts(body) == ["The build runs on Fridays.", "when?"]
    assert body["instructions"] == "Write in British English."
    unknown = azresp("chat", "-f", "nothing-by-that-name", "x", env=emulator_env)
    assert unknown.exit_code == 2
    assert "fragment 'nothing-by-that-name' is neither a file, a URL nor an alias" in (
        unknown.stderr
    )
    assert azresp("fragments", "remove", "notes").exit_code == 0
    assert azresp("fragments", "remove", "notes").exit_code == 4


def test_a_url_fragment_has_a_size_limit_and_clear_errors(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any, pages: str
) -> None:
    ok = azresp("chat", "-f", f"{pages}/style.md", "hi", env=emulator_env)
    assert ok.exit_code == 0, ok.stderr
    assert user_texts(creates(emulator)[-1])[0] == "Write in British English."
    sent = len(emulator.requests)
    for page in ("big.txt", "chunked-big.txt"):  # declared length, and a body that runs over
        result = azresp("chat", "-f", f"{pages}/{page}", "hi", env=emulator_env)
        assert result.exit_code == 2
        assert f"error: fragment {pages}/{page} is larger than 1000 KB" in result.stderr
    missing = azresp("chat", "-f", f"{pages}/gone.txt", "hi", env=emulator_env)
    assert missing.exit_code == 2
    assert f"error: fragment {pages}/gone.txt: the server answered HTTP 404" in missing.stderr
    assert len(emulator.requests) == sent  # nothing sent after a bad fragment


def test_a_fragment_used_in_many_prompts_is_stored_once(
    azresp: RunCli, emulator_env: dict[str, str], dirs: tuple[Path, Path], tmp_path: Path
) -> None:
    _, data_dir = dirs
    big = tmp_path / "spec.txt"
    big.write_text(("The quick brown fox jumps over the lazy dog. " * 4600)[:200_000])
    for number in range(6):
        flags = ("-c",) if number else ()
        result = azresp("chat", *flags, "-f", str(big), f"question {number}", env=emulator_env)
        assert result.exit_code == 0, result.stderr
    db = sqlite3.connect(data_dir / "history.db")
    try:
        assert db.execute("SELECT count(*) FROM fragments").fetchone() == (1,)
        assert db.execute("SELECT count(*) FROM turn_fragments").fetchone() == (6,)
        prompts = [row[0] for row in db.execute("SELECT prompt FROM turns ORDER BY id")]
    finally:
        db.close()
    assert prompts == [f"question {n}" for n in range(6)]
    # one copy of 200 KB, not six
    assert (data_dir / "history.db").stat().st_size < 2 * 200_000
    shown = azresp("history", "show", "--last", "--json", env=emulator_env)
    digest = hashlib.sha256(big.read_text().encode()).hexdigest()
    used = [turn["fragments"] for turn in json.loads(shown.stdout)["turns"]]
    assert used == [[{"source": str(big), "system": False, "sha256": digest}]] * 6
