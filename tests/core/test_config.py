import io
from pathlib import Path

import pytest

from azresp_cli.core.config import (
    EMULATOR_DEPLOYMENT,
    AuthMethod,
    ConnectionFlags,
    resolve_settings,
)
from azresp_cli.core.environment import Environment
from azresp_cli.core.errors import ConfigError


def make_env(tmp_path: Path, **variables: str) -> Environment:
    return Environment(
        stdin=io.StringIO(),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
        stdin_isatty=False,
        stdout_isatty=False,
        stderr_isatty=False,
        variables=variables,
        config_dir=tmp_path / "config",
        data_dir=tmp_path / "data",
    )


def write_config(tmp_path: Path, text: str) -> None:
    (tmp_path / "config").mkdir(exist_ok=True)
    (tmp_path / "config" / "config.toml").write_text(text)


PROFILES = """
default_profile = "work"

[profiles.work]
endpoint = "https://work.openai.azure.com"
deployment = "gpt-4.1"
auth = "cli"
timeout = 30
effort = "low"

[profiles.home]
endpoint = "https://home.cognitiveservices.azure.com/openai/v1/"
deployment = "o4-mini"
"""


def test_flag_beats_environment_beats_profile(tmp_path: Path) -> None:
    write_config(tmp_path, PROFILES)
    env = make_env(
        tmp_path,
        AZURE_OPENAI_ENDPOINT="https://env.openai.azure.com",
        AZURE_OPENAI_DEPLOYMENT="env-deployment",
    )
    from_env = resolve_settings(ConnectionFlags(), env)
    assert from_env.endpoint == "https://env.openai.azure.com/openai/v1/"
    assert from_env.deployment == "env-deployment"
    assert from_env.auth is AuthMethod.CLI  # only the profile says it
    assert from_env.timeout == 30

    from_flags = resolve_settings(
        ConnectionFlags(endpoint="https://flag.openai.azure.com", model="flag-dep", timeout=5), env
    )
    assert from_flags.endpoint == "https://flag.openai.azure.com/openai/v1/"
    assert (from_flags.deployment, from_flags.timeout) == ("flag-dep", 5)


def test_default_profile_and_named_profile(tmp_path: Path) -> None:
    write_config(tmp_path, PROFILES)
    env = make_env(tmp_path)
    work = resolve_settings(ConnectionFlags(), env)
    assert (work.profile, work.deployment) == ("work", "gpt-4.1")
    assert work.defaults == {"effort": "low"}
    home = resolve_settings(ConnectionFlags(profile="home"), env)
    assert home.endpoint == "https://home.cognitiveservices.azure.com/openai/v1/"
    assert home.auth is AuthMethod.AUTO
    via_env = resolve_settings(ConnectionFlags(), make_env(tmp_path, AZRESP_PROFILE="home"))
    assert via_env.profile == "home"


def test_unknown_profile_lists_the_known_ones(tmp_path: Path) -> None:
    write_config(tmp_path, PROFILES)
    with pytest.raises(ConfigError) as caught:
        resolve_settings(ConnectionFlags(profile="nope"), make_env(tmp_path))
    assert "home, work" in caught.value.hint


def test_malformed_config_names_the_line_and_is_left_alone(tmp_path: Path) -> None:
    broken = 'default_profile = "work"\n[profiles.work\nendpoint = 1\n'
    write_config(tmp_path, broken)
    with pytest.raises(ConfigError) as caught:
        resolve_settings(ConnectionFlags(), make_env(tmp_path))
    assert "line 2" in caught.value.message
    assert (tmp_path / "config" / "config.toml").read_text() == broken


def test_missing_endpoint_and_deployment_are_usage_errors_with_hints(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as no_endpoint:
        resolve_settings(ConnectionFlags(), make_env(tmp_path))
    assert "--emulator" in no_endpoint.value.hint
    env = make_env(tmp_path, AZURE_OPENAI_ENDPOINT="https://r.openai.azure.com")
    with pytest.raises(ConfigError) as no_deployment:
        resolve_settings(ConnectionFlags(), env)
    assert "AZURE_OPENAI_DEPLOYMENT" in no_deployment.value.hint


def test_api_key_is_used_in_auto_mode_and_required_in_key_mode(tmp_path: Path) -> None:
    base = {"AZURE_OPENAI_ENDPOINT": "https://r.openai.azure.com", "AZURE_OPENAI_DEPLOYMENT": "d"}
    with_key = resolve_settings(
        ConnectionFlags(), make_env(tmp_path, **base, AZURE_OPENAI_API_KEY="sk-x")
    )
    assert (with_key.auth, with_key.api_key) == (AuthMethod.AUTO, "sk-x")
    assert "sk-x" not in repr(with_key)
    with pytest.raises(ConfigError):
        resolve_settings(ConnectionFlags(auth=AuthMethod.KEY), make_env(tmp_path, **base))


def test_emulator_needs_no_configuration(tmp_path: Path) -> None:
    settings = resolve_settings(
        ConnectionFlags(emulator_url="http://127.0.0.1:9/openai/v1/"), make_env(tmp_path)
    )
    assert settings.is_emulator
    assert settings.deployment == EMULATOR_DEPLOYMENT
    assert settings.endpoint == "http://127.0.0.1:9/openai/v1/"
