"""Messages a person can act on (issue 12, 7): each provoked over the wire or in a process."""

from __future__ import annotations

import json
import re
import stat
import subprocess
import threading
from pathlib import Path

import pexpect
import pytest
from cli_support import RunCli, azresp_executable
from hostile.server import HostileServer, Reply, error_body, message, response, stream_of

AZRESP = azresp_executable()  # a real process, through the fork server


def run(args: list[str], env: dict[str, str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [AZRESP, *args], env=env, capture_output=True, text=True, timeout=120, **kwargs
    )  # type: ignore[call-overload]


def answer(hostile: HostileServer, text: str = "ok", gate: threading.Event | None = None) -> None:
    final = response(output=[message(text)])
    hostile.route("POST", "/responses", Reply(events=stream_of(final), gate=gate))


def test_failed_entra_sign_in_is_one_line_and_a_hint(
    process_env: dict[str, str], tmp_path: Path
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    az = bin_dir / "az"  # signed out: what `az account get-access-token` says then
    az.write_text(
        "#!/bin/sh\necho \"ERROR: Please run 'az login' to setup account.\" >&2\nexit 1\n"
    )
    az.chmod(az.stat().st_mode | stat.S_IEXEC)
    env = {k: v for k, v in process_env.items() if k != "AZURE_OPENAI_API_KEY"}
    env["PATH"] = f"{bin_dir}:/usr/bin:/bin"
    done = run(["chat", "--auth", "cli", "hi"], env)
    assert done.returncode == 3
    lines = done.stderr.splitlines()
    assert len(lines) == 2, done.stderr  # no credential-chain dump before the error
    assert lines[0].startswith("error: no Microsoft Entra ID token (cli): ")
    assert lines[1].startswith("hint: run `az login`")
    debug = run(["chat", "--auth", "cli", "--debug", "hi"], env)
    assert "azure.identity" in debug.stderr  # the details stay one flag away


def test_refused_key_says_the_key_was_refused(
    hostile: HostileServer, hostile_env: dict[str, str], azresp: RunCli
) -> None:
    body = error_body("Access denied due to invalid subscription key or wrong API endpoint.")
    hostile.route("POST", "/responses", Reply(401, body))
    result = azresp("chat", "hi", env=hostile_env)
    assert result.exit_code == 3
    assert "hint: the api key from AZURE_OPENAI_API_KEY was refused" in result.stderr
    assert "set AZURE_OPENAI_API_KEY" not in result.stderr


def test_closed_pipe_ends_quietly(process_env: dict[str, str]) -> None:
    # The in-process emulator streams a long answer; the reader takes a few bytes and leaves.
    child = subprocess.Popen(
        [AZRESP, "chat", "--emulator", "[[long:50000]] hi"],
        env=process_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.read(200)
    child.stdout.close()
    stderr = child.stderr.read()
    assert child.wait(timeout=120) == 0
    assert stderr == b""  # no "[stream broken …]", no "socket.send() raised exception."


@pytest.mark.pty
def test_a_spinner_shows_while_waiting_on_a_terminal(
    hostile: HostileServer, process_env: dict[str, str]
) -> None:
    gate = threading.Event()
    answer(hostile, "the answer", gate)
    child = pexpect.spawn(AZRESP, ["chat", "hi"], env=process_env, timeout=30)
    child.expect("waiting for the answer")
    gate.set()
    child.expect("the answer")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


@pytest.mark.pty
def test_a_spinner_shows_while_waiting_in_the_chat_session(
    hostile: HostileServer, process_env: dict[str, str]
) -> None:
    gate = threading.Event()
    answer(hostile, "the answer", gate)
    child = pexpect.spawn(AZRESP, ["chat"], env=process_env, timeout=30)
    child.expect(re.escape("\x1b[?2004h"))
    child.send("hi\r")
    child.expect("waiting for the answer")
    gate.set()
    child.expect("the answer")
    child.expect(re.escape("\x1b[?2004h"))
    child.sendcontrol("d")
    child.expect(pexpect.EOF)


def test_no_spinner_when_piped(hostile: HostileServer, process_env: dict[str, str]) -> None:
    gate = threading.Event()
    answer(hostile, "the answer", gate)
    threading.Timer(1.0, gate.set).start()  # long past the spinner's delay
    done = run(["chat", "hi"], process_env)
    assert done.returncode == 0
    assert done.stdout == "the answer\n"
    assert "waiting" not in done.stderr


def test_quiet_drops_the_code_dump(process_env: dict[str, str], tmp_path: Path) -> None:
    prompt = "[[code]] run"
    out = ["--output-dir", str(tmp_path)]  # the files it writes stay in the test's dir
    loud = run(["chat", "--emulator", "--code", *out, prompt], process_env, cwd=tmp_path)
    quiet = run(["chat", "--emulator", "--code", "-q", *out, prompt], process_env, cwd=tmp_path)
    assert loud.returncode == quiet.returncode == 0
    assert "code interpreter runs" in loud.stderr
    assert "code interpreter runs" not in quiet.stderr
    assert "import csv" not in quiet.stderr


def test_sizes_as_the_readme_states_them(azresp: RunCli, tmp_path: Path) -> None:
    big = tmp_path / "notes.txt"
    big.write_text("x" * 1_200_000)
    result = azresp("chat", "--emulator", "-a", str(big), "hi")
    assert result.exit_code == 2
    assert "at most 1 MB" in result.stderr
    assert "KiB" not in result.stderr and "MiB" not in result.stderr


def test_usage_errors_in_the_error_hint_style(azresp: RunCli) -> None:
    result = azresp("chat", "--emulator", "--effort", "bogus", "hi")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: invalid value for '--effort': 'bogus' is not one of")
    assert "Value error" not in result.stderr and "Usage:" not in result.stderr
    assert result.stderr.splitlines()[-1] == "hint: see `azresp chat --help`"


def test_a_missing_file_names_files_list(
    hostile: HostileServer, hostile_env: dict[str, str], azresp: RunCli
) -> None:
    hostile.route("DELETE", "/files/file-nope", Reply(404, error_body("No such File object")))
    result = azresp("files", "delete", "file-nope", env=hostile_env)
    assert result.exit_code == 4
    assert "`azresp files list`" in result.stderr


def test_model_not_found_exits_4_naming_the_deployment(
    hostile: HostileServer, hostile_env: dict[str, str], azresp: RunCli
) -> None:
    body = error_body("The model `gpt-test` does not exist.", code="model_not_found", param="model")
    hostile.route("POST", "/responses", Reply(400, body))
    result = azresp("chat", "hi", env=hostile_env)
    assert result.exit_code == 4
    assert "no deployment named 'gpt-test'" in result.stderr
    assert "AZURE_OPENAI_DEPLOYMENT" in result.stderr


def test_a_400_names_its_parameter(
    hostile: HostileServer, hostile_env: dict[str, str], azresp: RunCli
) -> None:
    body = error_body("Unsupported value.", code="unsupported_value", param="reasoning.effort")
    hostile.route("POST", "/responses", Reply(400, body))
    result = azresp("chat", "hi", env=hostile_env)
    assert result.exit_code == 1
    assert "error: Unsupported value. (parameter: reasoning.effort) (HTTP 400" in result.stderr


def test_a_tool_file_that_exits_at_import(azresp: RunCli, tmp_path: Path) -> None:
    tool = tmp_path / "exits.py"
    tool.write_text("import sys\nsys.exit(3)\n")
    result = azresp("chat", "--emulator", "--tool", str(tool), "hi")
    assert result.exit_code == 2
    assert f"error: {tool}: loading it failed: it called exit(3)" in result.stderr


def test_no_pydantic_warning_dump(hostile: HostileServer, process_env: dict[str, str]) -> None:
    odd = {"type": "some_new_item", "id": "x_1", "status": "completed"}
    final = response(output=[message("ok"), odd])
    hostile.route("POST", "/responses", Reply(events=stream_of(final)))
    for args in (["chat", "hi"], ["chat", "--json", "hi"]):
        done = run(args, process_env)
        assert done.returncode == 0, done.stderr
        assert "Warning" not in done.stderr and "Pydantic" not in done.stderr
    assert json.loads(run(["chat", "--json", "hi"], process_env).stdout)["output"][1] == odd


def test_hints_keep_emulator(azresp: RunCli, hostile_env: dict[str, str]) -> None:
    assert azresp("chat", "--emulator", "hi").exit_code == 0
    elsewhere = azresp("chat", "-c", "go on", env=hostile_env)
    assert elsewhere.exit_code == 2
    assert "hint: it was made with --emulator: add --emulator to continue it" in elsewhere.stderr
    listed = json.loads(azresp("history", "list", "--json").stdout)
    compacted = azresp("compact", "--emulator", listed[0]["last_response_id"])
    assert compacted.exit_code == 0, compacted.stderr
    assert "`azresp chat --emulator -c` goes on from here" in compacted.stderr


def test_a_credential_chain_failure_names_what_was_tried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # DefaultAzureCredential must never run here (it would probe for a managed identity); a
    # chain of two credentials that fail locally fails the way it does, report and all.
    from azure.identity import AzureCliCredential, ChainedTokenCredential, EnvironmentCredential

    from azresp_cli.core.auth import COGNITIVE_SERVICES_SCOPE, _auth_error
    from azresp_cli.core.config import AuthMethod

    for name in ("AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_USERNAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no `az`
    chain = ChainedTokenCredential(EnvironmentCredential(), AzureCliCredential())
    with pytest.raises(Exception) as raised:  # ClientAuthenticationError
        chain.get_token(COGNITIVE_SERVICES_SCOPE)
    assert len(str(raised.value).splitlines()) > 3  # the report azure-identity builds
    error = _auth_error(AuthMethod.AUTO, raised.value)
    assert error.headline() == (
        "no Microsoft Entra ID token (auto): tried EnvironmentCredential, AzureCliCredential; "
        "none gave a token"
    )
    assert error.detail and "AzureCliCredential" in error.detail  # shown with --debug
