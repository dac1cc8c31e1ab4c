"""A service that quotes the key or a token back cannot make azresp print it (issue 12, 4);
secrets for --mcp-header and `emulator --api-key` can stay out of `ps`."""

from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from cli_support import TEST_KEY, RunCli, azresp_executable
from hostile.server import HostileServer, Reply, error_body, message, response, stream_of

AZRESP = azresp_executable()  # a real process, through the fork server
JWT = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJjb2duaXRpdmUifQ.c2lnbmF0dXJlLXBhcnQ"


@pytest.mark.parametrize("debug", [False, True], ids=["plain", "--debug"])
@pytest.mark.parametrize(
    ("status", "quoted"),
    [(401, TEST_KEY), (500, f"Bearer {JWT}"), (403, JWT)],
    ids=["401 key", "500 bearer", "403 token"],
)
def test_error_headline_never_shows_the_secret(
    hostile: HostileServer,
    hostile_env: dict[str, str],
    azresp: RunCli,
    status: int,
    quoted: str,
    debug: bool,
) -> None:
    body = error_body(f"The key {quoted} is not valid")
    hostile.route("POST", "/responses", Reply(status, body))
    args = ["chat", *(["--debug"] if debug else []), "hi"]
    result = azresp(*args, env=hostile_env)
    assert result.exit_code in (1, 3)
    assert "error: The key " in result.stderr
    assert "*** is not valid" in result.stderr
    assert TEST_KEY not in result.output
    assert JWT not in result.output
    assert "signature-part" not in result.output


def test_doctor_summary_is_redacted(
    hostile: HostileServer, hostile_env: dict[str, str], azresp: RunCli
) -> None:
    hostile.route("POST", "/responses", Reply(401, error_body(f"The key {TEST_KEY} is wrong")))
    hostile.route("GET", "", Reply(401, error_body(f"The key {TEST_KEY} is wrong")))
    text = azresp("doctor", env=hostile_env)
    as_json = azresp("doctor", "--json", env=hostile_env)
    assert text.exit_code == as_json.exit_code == 3
    assert "The key *** is wrong" in text.stdout
    summaries = [check["summary"] for check in json.loads(as_json.stdout)["checks"]]
    assert any("The key *** is wrong" in summary for summary in summaries)
    assert TEST_KEY not in text.output + as_json.output


def test_mcp_header_from_file_and_variable(
    hostile: HostileServer, hostile_env: dict[str, str], azresp: RunCli, tmp_path: Path
) -> None:
    hostile.route("POST", "/responses", Reply(events=stream_of(response(output=[message("ok")]))))
    secret_file = tmp_path / "token"
    secret_file.write_text("Bearer from-a-file\n", encoding="utf-8")
    env = {**hostile_env, "DOCS_KEY": "from-a-variable"}
    result = azresp(
        "chat",
        "--mcp", "docs=https://mcp.example.test/mcp",
        "--mcp-header", f"docs:Authorization=@{secret_file}",
        "--mcp-header", "docs:X-Key=env:DOCS_KEY",
        "hi",
        env=env,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    sent = json.loads(hostile.seen[-1].body)
    headers = sent["tools"][0]["headers"]
    assert headers == {"Authorization": "Bearer from-a-file", "X-Key": "from-a-variable"}
    missing = azresp(
        "chat", "--mcp", "docs=https://mcp.example.test/mcp",
        "--mcp-header", "docs:X-Key=env:NOT_SET_ANYWHERE", "hi", env=hostile_env,
    )  # fmt: skip
    assert missing.exit_code == 2
    assert "NOT_SET_ANYWHERE is not set" in missing.stderr


@pytest.mark.slow
def test_emulator_api_key_from_file(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text("emulator-file-key\n", encoding="utf-8")
    child = subprocess.Popen(
        [AZRESP, "emulator", "--port", "0", "--api-key", f"@{key_file}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        base_url = child.stdout.readline().strip()
        assert "emulator-file-key" not in " ".join(child.args)

        def status(key: str) -> int:
            request = urllib.request.Request(  # noqa: S310 - loopback http
                f"{base_url}/openai/v1/responses/resp_missing", headers={"api-key": key}
            )
            try:
                with urllib.request.urlopen(request, timeout=10):  # noqa: S310 - loopback
                    return 200
            except urllib.error.HTTPError as exc:
                return exc.code

        assert status("emulator-file-key") == 404  # accepted, then not found
        assert status("@" + str(key_file)) == 401
    finally:
        child.terminate()
        child.wait(timeout=10)


@pytest.mark.slow
def test_help_says_how_to_keep_secrets_out_of_ps() -> None:
    def help_of(command: str) -> str:
        done = subprocess.run([AZRESP, command, "--help"], capture_output=True, text=True)
        return " ".join(done.stdout.split())

    chat_help, emulator_help = help_of("chat"), help_of("emulator")
    assert "@FILE" in chat_help and "env:NAME" in chat_help
    assert "@FILE" in emulator_help and "AZRESP_EMULATOR_API_KEY" in emulator_help
