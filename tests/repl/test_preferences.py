"""vi_mode and history from the config file: top level, then the profile in use."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from azresp_cli.core.config import AuthMethod, Settings
from azresp_cli.core.environment import Environment
from azresp_cli.core.errors import ConfigError
from azresp_cli.core.preferences import Preferences, load_preferences


def preferences(tmp_path: Path, text: str, profile: str | None = None) -> Preferences:
    (tmp_path / "config.toml").write_text(text)
    env = Environment(
        io.StringIO(), io.StringIO(), io.StringIO(), True, True, True, config_dir=tmp_path
    )
    settings = Settings("http://127.0.0.1:1/openai/v1/", "d", AuthMethod.KEY, profile=profile)
    return load_preferences(env, settings)


def test_defaults(tmp_path: Path) -> None:
    assert preferences(tmp_path, "") == Preferences(vi_mode=False, history=True)


def test_profile_overrides_the_top_level(tmp_path: Path) -> None:
    text = "vi_mode = true\n[profiles.work]\nhistory = false\n[profiles.home]\nvi_mode = false\n"
    assert preferences(tmp_path, text, "work") == Preferences(vi_mode=True, history=False)
    assert preferences(tmp_path, text, "home") == Preferences(vi_mode=False, history=True)


def test_not_a_boolean_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="vi_mode must be true or false"):
        preferences(tmp_path, 'vi_mode = "yes"\n')
