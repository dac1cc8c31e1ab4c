"""`azresp auth login|status|logout`: where the key goes, which credential wins, what is shown."""

from __future__ import annotations

import io
import json
import stat
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pexpect
import pytest
from cli_support import TEST_KEY, Result, RunCli

from azresp_cli.emulator.runner import EmulatorConfig, RunningEmulator

STORED_KEY = "sk-stored-SECRET-987654"
FAKE_KEYRING = "setup.fake_keyring.FileKeyring"

EmulatorFactory = Callable[..., RunningEmulator]


def login_with_key(azresp: RunCli, endpoint: str, *extra: str, **env: str) -> Result:
    return azresp(
        "auth",
        "login",
        "--with-key",
        "--endpoint",
        endpoint,
        "-m",
        "gpt-test",
        *extra,
        stdin=STORED_KEY + "\n",
        env=env,
    )


def profile(config_dir: Path, name: str = "default") -> dict[str, object]:
    data = tomllib.loads((config_dir / "config.toml").read_text())
    return dict(data["profiles"][name])


def test_without_a_keyring_the_key_goes_to_a_file_only_the_user_can_read(
    azresp: RunCli, config_dir: Path
) -> None:
    result = login_with_key(azresp, "https://contoso.openai.azure.com")
    assert result.exit_code == 0, result.stderr
    credentials = config_dir / "credentials.json"
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    assert json.loads(credentials.read_text())["profiles"]["default"]["api_key"] == STORED_KEY
    assert f"api key stored in {credentials}, readable only by you" in result.stderr
    assert "no system keyring backend is available" in result.stderr
    assert STORED_KEY not in result.stdout + result.stderr
    assert profile(config_dir) == {
        "endpoint": "https://contoso.openai.azure.com",
        "deployment": "gpt-test",
        "auth": "key",
        "key_store": "file",
    }
    assert STORED_KEY not in (config_dir / "config.toml").read_text()


def test_with_a_keyring_the_key_goes_there_and_not_to_a_file(
    azresp: RunCli, config_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyring_file = tmp_path / "keyring.json"
    monkeypatch.setenv("AZRESP_TEST_KEYRING", str(keyring_file))
    result = login_with_key(
        azresp, "https://contoso.openai.azure.com", PYTHON_KEYRING_BACKEND=FAKE_KEYRING
    )
    assert result.exit_code == 0, result.stderr
    assert "api key stored in the system keyring" in result.stderr
    assert json.loads(keyring_file.read_text()) == {"azresp/default": STORED_KEY}
    assert not (config_dir / "credentials.json").exists()
    assert profile(config_dir)["key_store"] == "keyring"

    status = azresp("auth", "status", "--json", env={"PYTHON_KEYRING_BACKEND": FAKE_KEYRING})
    assert status.exit_code == 0, status.stderr
    assert json.loads(status.stdout)["credential"]["source"] == "keyring"

    logout = azresp("auth", "logout", env={"PYTHON_KEYRING_BACKEND": FAKE_KEYRING})
    assert logout.exit_code == 0
    assert "removed the api key of profile 'default' from the system keyring" in logout.stderr
    assert json.loads(keyring_file.read_text()) == {}


def test_the_stored_key_authenticates_requests(
    azresp: RunCli, emulator_factory: EmulatorFactory
) -> None:
    only_stored = emulator_factory(EmulatorConfig(api_keys=frozenset({STORED_KEY})))
    assert login_with_key(azresp, only_stored.base_url).exit_code == 0
    result = azresp("chat", "[[reply:ok]]")
    assert (result.exit_code, result.stdout) == (0, "ok\n"), result.stderr
    assert STORED_KEY not in result.stdout + result.stderr


def test_the_environment_key_wins_over_the_stored_key(
    azresp: RunCli, emulator_factory: EmulatorFactory
) -> None:
    only_env = emulator_factory(EmulatorConfig(api_keys=frozenset({TEST_KEY})))
    assert login_with_key(azresp, only_env.base_url).exit_code == 0
    refused = azresp("chat", "[[reply:ok]]")
    assert refused.exit_code == 3  # the stored key is not one this emulator accepts
    accepted = azresp("chat", "[[reply:ok]]", env={"AZURE_OPENAI_API_KEY": TEST_KEY})
    assert (accepted.exit_code, accepted.stdout) == (0, "ok\n"), accepted.stderr
    status = azresp("auth", "status", env={"AZURE_OPENAI_API_KEY": TEST_KEY})
    assert "api key from AZURE_OPENAI_API_KEY" in status.stdout
    assert "wins over the key stored for profile 'default'" in status.stderr
    for text in (refused.output, accepted.output, status.output):
        assert STORED_KEY not in text and TEST_KEY not in text


def test_status_json_shape(azresp: RunCli, config_dir: Path) -> None:
    login_with_key(azresp, "https://contoso.openai.azure.com")
    result = azresp("auth", "status", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {
        "profile": "default",
        "config_path": str(config_dir / "config.toml"),
        "endpoint": "https://contoso.openai.azure.com/openai/v1/",
        "deployment": "gpt-test",
        "auth": "key",
        "credential": {
            "kind": "api_key",
            "source": "file",
            "description": "api key from the credentials file (readable only by you)",
        },
        "stored_key": "file",
        "env_key_overrides_stored_key": False,
    }
    assert STORED_KEY not in result.stdout


def test_status_without_an_endpoint_points_to_login(azresp: RunCli) -> None:
    result = azresp("auth", "status")
    assert result.exit_code == 2
    assert "no endpoint configured" in result.stderr
    assert "azresp auth login" in result.stderr


def test_a_credentials_file_others_can_read_is_refused(
    azresp: RunCli, config_dir: Path, emulator: RunningEmulator
) -> None:
    assert login_with_key(azresp, emulator.base_url).exit_code == 0
    (config_dir / "credentials.json").chmod(0o644)
    result = azresp("chat", "hi")
    assert result.exit_code == 3
    assert "can be read by other users (mode 644)" in result.stderr
    assert f"chmod 600 {config_dir / 'credentials.json'}" in result.stderr
    assert not emulator.requests


def test_a_key_missing_from_its_store_is_an_auth_error(azresp: RunCli, config_dir: Path) -> None:
    login_with_key(azresp, "https://contoso.openai.azure.com")
    (config_dir / "credentials.json").unlink()
    result = azresp("auth", "status")
    assert result.exit_code == 3
    assert "missing from" in result.stderr and "azresp auth login" in result.stderr


def test_logout_removes_the_key_and_falls_back_to_entra_id(
    azresp: RunCli, config_dir: Path
) -> None:
    login_with_key(azresp, "https://contoso.openai.azure.com")
    result = azresp("auth", "logout")
    assert result.exit_code == 0
    assert "removed the api key of profile 'default'" in result.stderr
    assert not (config_dir / "credentials.json").exists()
    assert profile(config_dir) == {
        "endpoint": "https://contoso.openai.azure.com",
        "deployment": "gpt-test",
    }
    status = azresp("auth", "status")
    assert "Microsoft Entra ID token via DefaultAzureCredential" in status.stdout
    again = azresp("auth", "logout")
    assert (again.exit_code, again.stderr) == (0, "no api key was stored for profile 'default'\n")


def test_login_with_entra_id_removes_a_stored_key(azresp: RunCli, config_dir: Path) -> None:
    login_with_key(azresp, "https://contoso.openai.azure.com")
    result = azresp(
        "auth",
        "login",
        "--entra",
        "--auth",
        "cli",
        "--profile",
        "default",
        "--endpoint",
        "https://lab.openai.azure.com",
        "-m",
        "o4-mini",
    )
    assert result.exit_code == 0, result.stderr
    assert profile(config_dir) == {
        "endpoint": "https://lab.openai.azure.com",
        "deployment": "o4-mini",
        "auth": "cli",
    }
    assert not (config_dir / "credentials.json").exists()
    assert "removed the old api key" in result.stderr


def test_first_login_into_a_named_profile_makes_it_the_default(
    azresp: RunCli, config_dir: Path
) -> None:
    result = login_with_key(azresp, "https://contoso.openai.azure.com", "--profile", "work")
    assert result.exit_code == 0, result.stderr
    data = tomllib.loads((config_dir / "config.toml").read_text())
    assert data["default_profile"] == "work"
    assert json.loads(azresp("auth", "status", "--json").stdout)["profile"] == "work"


def test_login_needs_a_terminal_or_with_key(azresp: RunCli) -> None:
    result = azresp("auth", "login", "--endpoint", "https://r.openai.azure.com", "-m", "d")
    assert result.exit_code == 2
    assert "--with-key" in result.stderr
    empty = azresp(
        "auth",
        "login",
        "--with-key",
        "--endpoint",
        "https://r.openai.azure.com",
        "-m",
        "d",
        stdin="",
    )
    assert empty.exit_code == 2 and "empty key" in empty.stderr


def test_login_checks_the_endpoint_before_storing_anything(
    azresp: RunCli, config_dir: Path
) -> None:
    result = login_with_key(azresp, "http://contoso.openai.azure.com")
    assert result.exit_code == 2
    assert "refusing plain http://" in result.stderr
    assert not config_dir.exists() or not any(config_dir.iterdir())


@pytest.mark.pty
def test_interactive_login_hides_the_key(process_env: dict[str, str], config_dir: Path) -> None:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "azresp_cli", "auth", "login"],
        env=process_env,
        dimensions=(30, 100),
        timeout=30,
        encoding="utf-8",
    )
    child.logfile_read = transcript = io.StringIO()  # everything the terminal showed
    child.expect("Endpoint")
    child.sendline("not a url")
    child.expect("is not an endpoint URL")
    child.expect("Endpoint")
    child.sendline("https://contoso.openai.azure.com")
    child.expect("Deployment name")
    child.sendline("gpt-4.1")
    child.expect("Choose 1 or 2")
    child.sendline("")  # the default: an api key
    child.expect(r"API key \(input hidden\)")
    child.sendline(STORED_KEY)
    child.expect(pexpect.EOF)
    child.close()
    shown = transcript.getvalue()
    assert child.exitstatus == 0, shown
    assert "https://contoso.openai.azure.com" in shown  # typed answers echo as usual
    assert "api key stored in" in shown
    assert STORED_KEY not in shown  # the key did not echo, and was never printed
    assert profile(config_dir)["deployment"] == "gpt-4.1"
    stored = json.loads((config_dir / "credentials.json").read_text())
    assert stored["profiles"]["default"]["api_key"] == STORED_KEY
