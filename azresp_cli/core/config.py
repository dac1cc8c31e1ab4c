"""Settings: flag > environment > profile in the TOML config file > defaults.

The config file is ``config.toml`` in the platformdirs user config dir (``AZRESP_CONFIG_DIR``
overrides it). Profiles are tables under ``[profiles.NAME]``; ``default_profile`` picks one when
no ``--profile`` or ``AZRESP_PROFILE`` is given.
"""

from __future__ import annotations

import enum
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from azresp_cli.core.endpoint import normalize_endpoint
from azresp_cli.core.environment import Environment
from azresp_cli.core.errors import ConfigError

CONFIG_FILE_NAME = "config.toml"
DEFAULT_TIMEOUT = 600.0  # reasoning answers can take minutes; the SDK's own default
DEFAULT_MAX_RETRIES = 2
EMULATOR_API_KEY = "emulator-local-key"  # the emulator accepts any key; this one is not a secret
EMULATOR_DEPLOYMENT = "emulator"


class AuthMethod(enum.StrEnum):
    AUTO = "auto"  # the api key when one is set, else DefaultAzureCredential
    KEY = "key"
    CLI = "cli"  # AzureCliCredential (az login)
    ENV = "env"  # EnvironmentCredential (AZURE_CLIENT_ID/SECRET/TENANT_ID ...)
    MI = "mi"  # ManagedIdentityCredential
    DAC = "dac"  # DefaultAzureCredential, even when a key is set


@dataclass(frozen=True)
class ConnectionFlags:
    """The connection options as given on the command line (None: not given)."""

    endpoint: str | None = None
    model: str | None = None
    auth: AuthMethod | None = None
    profile: str | None = None
    timeout: float | None = None
    debug: bool = False
    # Set by the CLI after it started the in-process emulator for --emulator.
    emulator_url: str | None = None


@dataclass(frozen=True)
class Settings:
    endpoint: str  # normalized: https://R.openai.azure.com/openai/v1/
    deployment: str
    auth: AuthMethod
    api_key: str | None = field(default=None, repr=False)
    timeout: float = DEFAULT_TIMEOUT
    max_retries: int = DEFAULT_MAX_RETRIES
    profile: str | None = None
    debug: bool = False
    is_emulator: bool = False
    # Chat defaults a profile may set; the flags of `azresp chat` override them.
    defaults: Mapping[str, Any] = field(default_factory=dict)


def config_path(env: Environment) -> Path:
    return env.config_dir / CONFIG_FILE_NAME


def load_config_file(path: Path) -> dict[str, Any]:
    """Parse the config file; a missing file is an empty config, a broken one a ConfigError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{path} is not valid TOML: {exc}",
            hint="fix the line named above; azresp never rewrites a file it cannot parse",
        ) from None


def select_profile(
    config: Mapping[str, Any], name: str | None, path: Path
) -> tuple[str | None, Mapping[str, Any]]:
    profiles = config.get("profiles", {})
    if not isinstance(profiles, dict):
        raise ConfigError(f"{path}: 'profiles' must be a table of [profiles.NAME] sections")
    chosen = name or config.get("default_profile") or ("default" if "default" in profiles else None)
    if chosen is None:
        return None, {}
    if chosen not in profiles:
        known = ", ".join(sorted(profiles)) or "none"
        raise ConfigError(
            f"profile '{chosen}' is not in {path}",
            hint=f"known profiles: {known}",
        )
    profile = profiles[chosen]
    if not isinstance(profile, dict):
        raise ConfigError(f"{path}: [profiles.{chosen}] must be a table")
    return str(chosen), profile


def resolve_settings(flags: ConnectionFlags, env: Environment) -> Settings:
    """Merge flags, environment and profile into Settings, or say what is missing."""
    variables = env.variables
    path = config_path(env)
    profile_name, profile = select_profile(
        load_config_file(path), flags.profile or variables.get("AZRESP_PROFILE"), path
    )

    def pick(flag: Any, variable: str | None, key: str) -> Any:
        if flag is not None:
            return flag
        if variable and variables.get(variable):
            return variables[variable]
        return profile.get(key)

    if flags.emulator_url is not None:
        endpoint = flags.emulator_url
        deployment = pick(flags.model, None, "deployment") or EMULATOR_DEPLOYMENT
        api_key: str | None = EMULATOR_API_KEY
        auth = AuthMethod.KEY
    else:
        raw_endpoint = pick(flags.endpoint, "AZURE_OPENAI_ENDPOINT", "endpoint")
        if not raw_endpoint:
            raise ConfigError(
                "no endpoint configured",
                hint="set AZURE_OPENAI_ENDPOINT (https://RESOURCE.openai.azure.com), pass "
                "--endpoint, or try the built-in emulator with --emulator",
            )
        endpoint = normalize_endpoint(str(raw_endpoint))
        deployment = pick(flags.model, "AZURE_OPENAI_DEPLOYMENT", "deployment")
        if not deployment:
            raise ConfigError(
                "no deployment configured",
                hint="pass -m/--model DEPLOYMENT or set AZURE_OPENAI_DEPLOYMENT "
                "(the deployment name from the Azure portal)",
            )
        api_key = variables.get("AZURE_OPENAI_API_KEY") or None
        auth = _auth_method(pick(flags.auth, "AZRESP_AUTH", "auth"))
        if auth is AuthMethod.KEY and not api_key:
            raise ConfigError(
                "--auth key needs an api key",
                hint="set AZURE_OPENAI_API_KEY, or use --auth auto for Microsoft Entra ID",
            )
    return Settings(
        endpoint=endpoint,
        deployment=str(deployment),
        auth=auth,
        api_key=api_key,
        timeout=_positive_float(pick(flags.timeout, "AZRESP_TIMEOUT", "timeout"), DEFAULT_TIMEOUT),
        max_retries=_max_retries(pick(None, "AZRESP_MAX_RETRIES", "max_retries")),
        profile=profile_name,
        debug=flags.debug,
        is_emulator=flags.emulator_url is not None,
        defaults={k: v for k, v in profile.items() if k in _CHAT_DEFAULT_KEYS},
    )


_CHAT_DEFAULT_KEYS = frozenset({"effort", "summary", "verbosity", "system", "max_output_tokens"})


def _auth_method(value: Any) -> AuthMethod:
    if value is None:
        return AuthMethod.AUTO
    try:
        return AuthMethod(str(value).lower())
    except ValueError:
        choices = ", ".join(m.value for m in AuthMethod)
        raise ConfigError(f"unknown auth method '{value}'", hint=f"use one of {choices}") from None


def _positive_float(value: Any, default: float) -> float:
    if value is None:
        return default
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"'{value}' is not a number of seconds") from None
    if number <= 0:
        raise ConfigError(f"the timeout must be positive, not {value}")
    return number


def _max_retries(value: Any) -> int:
    if value is None:
        return DEFAULT_MAX_RETRIES
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"max_retries must be a whole number, not '{value}'") from None
    if number < 0:
        raise ConfigError("max_retries cannot be negative")
    return number
