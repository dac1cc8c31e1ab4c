"""`azresp doctor` against the emulator, a refused port, broken config and credentials.

Only loopback is contacted: endpoints are http://127.0.0.1, the DNS failure comes from an
injected resolver, and Entra ID comes from a fake `az` on PATH (never a metadata endpoint).
"""

from __future__ import annotations

import io
import json
import os
import socket
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cli_support import TEST_KEY, RunCli

from azresp_cli.core.config import ConnectionFlags
from azresp_cli.core.doctor import run_checks
from azresp_cli.core.environment import Environment
from azresp_cli.emulator.runner import EmulatorConfig, RunningEmulator

EmulatorFactory = Callable[..., RunningEmulator]
ALL_CHECKS = [
    "config",
    "endpoint",
    "dns",
    "connect",
    "tls",
    "auth",
    "deployment",
    "code interpreter",
    "image generation",
]


def checks_of(stdout: str) -> dict[str, dict[str, Any]]:
    document = json.loads(stdout)
    return {check["name"]: check for check in document["checks"]}


def refused_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_all_checks_pass_against_the_emulator(
    azresp: RunCli, emulator: RunningEmulator, emulator_env: dict[str, str]
) -> None:
    result = azresp("doctor", env=emulator_env)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines[:9]] == ["✓", "✓", "✓", "✓", "–", "✓", "✓", "✓", "–"]
    assert "tls" in lines[4] and "skipped (http on loopback)" in lines[4]
    assert "api key from AZURE_OPENAI_API_KEY" in result.stdout
    assert "gpt-test answered in" in result.stdout
    assert "request id" in result.stdout
    assert lines[-1] == "all checks passed"
    assert TEST_KEY not in result.output
    posts = [r for r in emulator.requests if r.method == "POST"]
    assert [r.json["model"] for r in posts] == ["gpt-test", "gpt-test"]
    assert posts[0].json["store"] is False
    assert posts[1].json["tools"] == [{"type": "code_interpreter", "container": {"type": "auto"}}]
    assert posts[1].json["tool_choice"] == "none"


def test_json_output_shape(azresp: RunCli, emulator_env: dict[str, str]) -> None:
    result = azresp("doctor", "--json", env=emulator_env)
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert (document["ok"], document["exit_code"]) == (True, 0)
    assert [c["name"] for c in document["checks"]] == ALL_CHECKS
    for check in document["checks"]:
        assert set(check) == {"name", "status", "summary", "hint", "detail", "duration_ms", "facts"}
        assert check["status"] in {"ok", "fail", "warn", "skip"}
    checks = checks_of(result.stdout)
    assert checks["deployment"]["facts"]["deployment"] == "gpt-test"
    assert checks["deployment"]["facts"]["request_id"]
    assert checks["auth"]["facts"] == {"kind": "api_key", "source": "AZURE_OPENAI_API_KEY"}
    assert checks["image generation"]["status"] == "skip"


def test_a_refused_port_stops_at_connect_with_exit_7(azresp: RunCli) -> None:
    port = refused_port()
    env = {
        "AZURE_OPENAI_ENDPOINT": f"http://127.0.0.1:{port}",
        "AZURE_OPENAI_API_KEY": TEST_KEY,
        "AZURE_OPENAI_DEPLOYMENT": "gpt-test",
    }
    result = azresp("doctor", env=env)
    assert result.exit_code == 7, result.output
    assert "✗ connect" in result.stdout
    assert f"127.0.0.1:{port} refused the connection" in result.stdout
    assert "hint: nothing listens there" in result.stdout
    assert "1 check failed" in result.stdout
    checks = checks_of(azresp("doctor", "--json", env=env).stdout)
    assert [checks[name]["status"] for name in ALL_CHECKS] == [
        "ok",
        "ok",
        "ok",
        "fail",
        "skip",
        "skip",
        "skip",
        "skip",
        "skip",
    ]
    assert checks["tls"]["summary"] == "not run (connect failed)"


def test_a_malformed_config_fails_first_with_its_line(
    azresp: RunCli, config_dir: Path, emulator_env: dict[str, str]
) -> None:
    config_dir.mkdir()
    (config_dir / "config.toml").write_text('[profiles.default]\nendpoint = "x\n')
    result = azresp("doctor", "--json", env=emulator_env)
    assert result.exit_code == 2
    checks = checks_of(result.stdout)
    assert checks["config"]["status"] == "fail"
    assert "line 2" in checks["config"]["summary"]
    assert checks["endpoint"]["status"] == "skip"


def test_a_bad_chat_default_fails_but_the_connection_is_still_checked(
    azresp: RunCli, config_dir: Path, emulator_env: dict[str, str]
) -> None:
    config_dir.mkdir()
    (config_dir / "config.toml").write_text('[profiles.default]\neffort = "max"\n')
    result = azresp("doctor", env=emulator_env)
    assert result.exit_code == 2
    assert "✗ config" in result.stdout and "line 2: effort must be one of" in result.stdout
    assert "✓ deployment" in result.stdout


def test_missing_endpoint_fails_at_endpoint(azresp: RunCli) -> None:
    result = azresp("doctor")
    assert result.exit_code == 2
    assert "✗ endpoint" in result.stdout and "no endpoint configured" in result.stdout


def test_a_refused_key_fails_at_the_deployment_with_exit_3(
    azresp: RunCli, emulator_factory: EmulatorFactory
) -> None:
    strict = emulator_factory(EmulatorConfig(api_keys=frozenset({"another-key"})))
    env = {
        "AZURE_OPENAI_ENDPOINT": strict.base_url,
        "AZURE_OPENAI_API_KEY": TEST_KEY,
        "AZURE_OPENAI_DEPLOYMENT": "gpt-test",
    }
    result = azresp("doctor", env=env)
    assert result.exit_code == 3, result.output
    assert "✗ deployment" in result.stdout and "HTTP 401" in result.stdout
    assert TEST_KEY not in result.output


def test_an_unknown_deployment_fails_with_exit_4(
    azresp: RunCli, emulator_factory: EmulatorFactory
) -> None:
    only_one = emulator_factory(EmulatorConfig(deployments=frozenset({"gpt-4.1"})))
    env = {
        "AZURE_OPENAI_ENDPOINT": only_one.base_url,
        "AZURE_OPENAI_API_KEY": TEST_KEY,
        "AZURE_OPENAI_DEPLOYMENT": "gpt-nope",
    }
    result = azresp("doctor", env=env)
    assert result.exit_code == 4, result.output
    assert "✗ deployment" in result.stdout and "HTTP 404" in result.stdout
    assert "code interpreter" in result.stdout and "not run (deployment failed)" in result.stdout


def test_an_image_deployment_is_asked_with_azures_header(
    azresp: RunCli, config_dir: Path, emulator: RunningEmulator, emulator_env: dict[str, str]
) -> None:
    assert azresp("config", "set", "image_deployment", "gpt-image-1").exit_code == 0
    result = azresp("doctor", "--json", env=emulator_env)
    assert result.exit_code == 0
    assert checks_of(result.stdout)["image generation"]["status"] == "ok"
    last = emulator.requests[-1]
    assert last.headers["x-ms-oai-image-generation-deployment"] == "gpt-image-1"
    assert last.json["tools"] == [{"type": "image_generation"}]


def test_quiet_prints_only_problems(azresp: RunCli, emulator_env: dict[str, str]) -> None:
    ok = azresp("doctor", "--quiet", env=emulator_env)
    assert (ok.exit_code, ok.stdout) == (0, "")
    port = refused_port()
    failed = azresp(
        "doctor", "-q", env={**emulator_env, "AZURE_OPENAI_ENDPOINT": f"http://127.0.0.1:{port}"}
    )
    assert failed.exit_code == 7
    assert failed.stdout.startswith("✗ connect")


def test_doctor_with_the_built_in_emulator(azresp: RunCli) -> None:
    result = azresp("doctor", "--emulator", "--json")
    assert result.exit_code == 0, result.stdout
    assert checks_of(result.stdout)["auth"]["facts"]["source"] == "emulator"


@pytest.fixture
def fake_az(tmp_path: Path) -> Path:
    """An `az` on PATH that hands out a fixed token, as `az account get-access-token` would."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "az"
    token = {"accessToken": "eyFAKE.DOCTOR.TOKEN-24680", "expires_on": 4102444800}
    script.write_text(f"#!/bin/sh\necho '{json.dumps(token)}'\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return bin_dir


@pytest.mark.slow
def test_entra_id_names_the_credential_and_its_time(
    azresp: RunCli,
    emulator: RunningEmulator,
    emulator_env: dict[str, str],
    fake_az: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    env = {k: v for k, v in emulator_env.items() if k != "AZURE_OPENAI_API_KEY"}
    # AzureCliCredential runs `az` from the process's PATH, not the injected Environment.
    monkeypatch.setenv("PATH", f"{fake_az}{os.pathsep}{os.environ['PATH']}")
    result = azresp("doctor", "--auth", "cli", env=env)
    assert result.exit_code == 0, result.output
    assert "Microsoft Entra ID token from AzureCliCredential in" in result.stdout
    assert " ms, valid for " in result.stdout
    assert "eyFAKE.DOCTOR.TOKEN-24680" not in result.output
    assert emulator.requests[-1].headers["authorization"] == "***"  # a bearer token was sent


def test_no_entra_credential_fails_at_auth_with_exit_3(
    azresp: RunCli, emulator_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {k: v for k, v in emulator_env.items() if k != "AZURE_OPENAI_API_KEY"}
    monkeypatch.setenv("PATH", str(tmp_path))  # no `az` anywhere
    result = azresp("doctor", "--auth", "cli", env=env)
    assert result.exit_code == 3
    assert "✗ auth" in result.stdout and "az login" in result.stdout
    assert "– deployment" in result.stdout


def make_env(config_dir: Path, **variables: str) -> Environment:
    return Environment(
        io.StringIO(),
        io.StringIO(),
        io.StringIO(),
        False,
        False,
        False,
        variables,
        config_dir,
        config_dir,
    )


def test_a_failed_lookup_names_the_host(tmp_path: Path) -> None:
    import socket as sockets

    def no_such_host(host: str, port: int) -> list[str]:
        raise sockets.gaierror(sockets.EAI_NONAME, "Name or service not known")

    env = make_env(tmp_path, AZURE_OPENAI_API_KEY=TEST_KEY, AZURE_OPENAI_DEPLOYMENT="d")
    flags = ConnectionFlags(endpoint="https://nosuchresource.openai.azure.com")
    checks = list(run_checks(flags, env, resolve=no_such_host))
    dns = checks[2]
    assert (dns.name, dns.status, dns.exit_code) == ("dns", "fail", 7)
    assert (
        dns.summary == "cannot resolve nosuchresource.openai.azure.com: Name or service not known"
    )
    assert "resource name" in (dns.hint or "")
    assert [c.status for c in checks[3:7]] == ["skip"] * 4


def test_a_proxy_skips_the_direct_connection_checks(tmp_path: Path) -> None:
    def resolver(host: str, port: int) -> list[str]:
        return ["192.0.2.1"]  # TEST-NET-1: never contacted, the proxy check comes first

    env = make_env(
        tmp_path,
        AZURE_OPENAI_API_KEY=TEST_KEY,
        AZURE_OPENAI_DEPLOYMENT="d",
        HTTPS_PROXY="http://127.0.0.1:9",
    )
    flags = ConnectionFlags(endpoint="https://r.openai.azure.com")
    checks = {}
    for check in run_checks(flags, env, resolve=resolver):
        checks[check.name] = check
        if check.name == "tls":
            break  # the request itself would go out through the process's own proxy settings
    assert checks["connect"].status == "skip"
    assert "proxy http://127.0.0.1:9" in checks["connect"].summary
    assert checks["tls"].status == "skip"


def test_proxy_choice_follows_no_proxy() -> None:
    from azresp_cli.core.probes import proxy_for

    variables = {"https_proxy": "http://proxy:3128", "NO_PROXY": ".internal,*.openai.azure.com"}
    assert proxy_for(variables, "https", "r.cognitiveservices.azure.com") == "http://proxy:3128"
    assert proxy_for(variables, "https", "r.openai.azure.com") is None
    assert proxy_for(variables, "https", "localhost") is None
    assert proxy_for({}, "https", "r.openai.azure.com") is None
