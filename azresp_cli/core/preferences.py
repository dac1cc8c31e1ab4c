"""Chat preferences from the config file that are not connection settings.

``vi_mode = true`` (the prompt's key bindings) and ``history = false`` (no local record), read
from the top level of ``config.toml`` and overridden by the profile in use. Flags win over both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from azresp_cli.core.config import Settings, config_path, load_config_file, select_profile
from azresp_cli.core.environment import Environment
from azresp_cli.core.errors import ConfigError


@dataclass(frozen=True)
class Preferences:
    vi_mode: bool = False
    history: bool = True


def load_preferences(env: Environment, settings: Settings) -> Preferences:
    """The preferences for the profile ``settings`` were resolved with."""
    path = config_path(env)
    config = load_config_file(path)
    _, profile = select_profile(config, settings.profile, path) if settings.profile else (None, {})
    merged: Mapping[str, Any] = {**config, **profile}
    return Preferences(
        vi_mode=_flag(merged, "vi_mode", default=False, path=str(path)),
        history=_flag(merged, "history", default=True, path=str(path)),
    )


def _flag(values: Mapping[str, Any], key: str, *, default: bool, path: str) -> bool:
    value = values.get(key, default)
    if not isinstance(value, bool):
        raise ConfigError(f"{path}: {key} must be true or false, not {value!r}")
    return value
