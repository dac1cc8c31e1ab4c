"""Bytes that are not UTF-8, and config files that are hostile by shape (issue 12, 3), plus
the config-dir messages of item 7: a clean message and exit status, never "a bug"."""

from __future__ import annotations

import io
import json
import os
import subprocess
from pathlib import Path

import pytest
from cli_support import RunCli, azresp_executable
from hostile.server import HostileServer, Reply, message, response, stream_of

from azresp_cli.cli.main import run
from azresp_cli.core.environment import Environment

AZRESP = azresp_executable()  # a real process, through the fork server


def answer(hostile: HostileServer) -> None:
    hostile.route("POST", "/responses", Reply(events=stream_of(response(output=[message("ok")]))))


def run_bytes(
    args: list[bytes], env: dict[str, str], stdin: bytes = b""
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [AZRESP.encode(), *args], input=stdin, env=env, capture_output=True, timeout=60
    )


def sent_text(hostile: HostileServer) -> str:
    body = json.loads(hostile.seen[-1].body)
    text = body["input"]
    return text if isinstance(text, str) else json.dumps(text, ensure_ascii=False)


def test_stdin_that_is_not_utf8(hostile: HostileServer, process_env: dict[str, str]) -> None:
    answer(hostile)
    done = run_bytes([b"chat"], process_env, stdin=b"caf\xe9 and caf\xe9")
    assert done.returncode == 0, done.stderr
    assert done.stdout == b"ok\n"
    assert done.stderr.count(b"not valid UTF-8") == 1  # said once
    assert b"a bug" not in done.stderr
    assert "caf\ufffd and caf\ufffd" in sent_text(hostile)


def test_argument_that_is_not_utf8(hostile: HostileServer, process_env: dict[str, str]) -> None:
    answer(hostile)
    done = run_bytes([b"chat", b"caf\xe9"], process_env)
    assert done.returncode == 0, done.stderr
    assert b"command line is not valid UTF-8" in done.stderr
    assert "caf\ufffd" in sent_text(hostile)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'[profiles.default]\nendpoint = "caf\xe9"\n', "line 2: not UTF-8 text (byte 0xe9)"),
        (b"x = " + b"[" * 100_000 + b"]" * 100_000 + b"\n", "nested too deeply"),
    ],
    ids=["latin-1", "nested 100k deep"],
)
def test_hostile_config_file(
    azresp: RunCli, dirs: tuple[Path, Path], content: bytes, expected: str
) -> None:
    config_dir, _ = dirs
    config_dir.mkdir(parents=True)
    (config_dir / "config.toml").write_bytes(content)
    for args in (
        ["chat", "--emulator", "hi"],
        ["config", "list"],
        ["config", "set", "effort", "low"],
    ):
        result = azresp(*args)
        assert result.exit_code == 2, (args, result)
        assert expected in result.stderr
        assert "a bug" not in result.stderr


def test_config_file_that_is_a_fifo(process_env: dict[str, str], tmp_path: Path) -> None:
    config_dir = Path(process_env["AZRESP_CONFIG_DIR"])
    config_dir.mkdir(parents=True)
    os.mkfifo(config_dir / "config.toml")
    done = subprocess.run(
        [AZRESP, "config", "list"], env=process_env, capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 2
    assert "is not a regular file" in done.stderr


def test_config_dir_that_cannot_exist_is_no_config(
    hostile: HostileServer, hostile_env: dict[str, str], tmp_path: Path
) -> None:
    answer(hostile)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory\n")
    stdout, stderr = io.StringIO(), io.StringIO()
    env = Environment(
        stdin=io.StringIO(""), stdout=stdout, stderr=stderr,
        stdin_isatty=False, stdout_isatty=False, stderr_isatty=False,
        variables=hostile_env,
        # e.g. XDG_CONFIG_HOME under a regular file: a directory that cannot exist
        config_dir=blocker / "azresp", data_dir=tmp_path / "data",
    )  # fmt: skip
    assert run(["chat", "hi"], env) == 0, stderr.getvalue()
    assert stdout.getvalue() == "ok\n"


def test_default_profile_must_exist(azresp: RunCli) -> None:
    refused = azresp("config", "set", "default_profile", "nosuch")
    assert refused.exit_code == 2
    assert "there is no profile 'nosuch'" in refused.stderr
    assert azresp("config", "set", "endpoint", "https://x.openai.azure.com", "--profile",
                  "lab").exit_code == 0  # fmt: skip
    assert azresp("config", "set", "default_profile", "lab").exit_code == 0
