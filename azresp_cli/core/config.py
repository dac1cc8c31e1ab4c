"""Settings: flag > environment > profile in the TOML config file > defaults.

The config file is ``config.toml`` in the platformdirs user config dir (``AZRESP_CONFIG_DIR``
overrides it). Profiles are tables under ``[profiles.NAME]``; ``default_profile`` picks one when
no ``--profile`` or ``AZRESP_PROFILE`` is given.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from azresp_cli.core.auth_method import AuthMethod as AuthMethod  # re-exported
from azresp_cli.core.endpoint import normalize_endpoint
from azresp_cli.core.environment import Environment
from azresp_cli.core.errors import ConfigError
from azresp_cli.core.pricing import PriceTable, price_table
from azresp_cli.core.turn_options import profile_keys

CONFIG_FILE_NAME = "config.toml"
DEFAULT_TIMEOUT = 600.0  # reasoning answers can take minutes; the SDK's own default
DEFAULT_MAX_RETRIES = 2
EMULATOR_API_KEY = "emulator-local-key"  # the emulator accepts any key; this one is not a secret
EMULATOR_DEPLOYMENT = "emulator"


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
    # Where the key came from: "AZURE_OPENAI_API_KEY", "keyring", "file" or "emulator".
    api_key_source: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    max_retries: int = DEFAULT_MAX_RETRIES
    profile: str | None = None
    debug: bool = False
    is_emulator: bool = False
    # Chat defaults a profile may set; the flags of `azresp chat` override them.
    defaults: Mapping[str, Any] = field(default_factory=dict)
    # The built-in prices with the config file's [prices] overrides (core/pricing.py).
    prices: PriceTable = field(default_factory=PriceTable, compare=False)


def config_path(env: Environment) -> Path:
    return env.config_dir / CONFIG_FILE_NAME


MAX_CONFIG_BYTES = 1_000_000  # 1 MB: a config file is a few hundred bytes


def read_config_text(path: Path) -> str | None:
    """The text of the config file; None when there is none (the file, or the directory that
    would hold it, does not exist: an XDG path under a regular file is "no config" too).

    Never blocks (a FIFO is refused, not read) and never reads more than 1 MB; a file that is
    not UTF-8 is a ConfigError naming the line, not a crash."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise ConfigError(
            f"cannot read {path}: {exc.strerror}", hint="check the file's permissions"
        ) from None
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ConfigError(
                f"{path} is not a regular file",
                hint="the config file must be a TOML text file (`azresp config path` shows it)",
            )
        data = file.read(MAX_CONFIG_BYTES + 1)
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path} is larger than 1 MB", hint="is it really the config file?")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(
            f"{path}, line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x})",
            hint="save the file as UTF-8; azresp never rewrites a file it cannot parse",
        ) from None


def load_config_file(path: Path) -> dict[str, Any]:
    """Parse the config file; a missing file is an empty config, a broken one a ConfigError."""
    text = read_config_text(path)
    return {} if text is None else parse_config_text(text, path)


_TOML_POSITION = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)$")
_BARE_WORD_VALUE = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=\s*([A-Za-z_][A-Za-z0-9_./:-]*)\s*$")


def parse_config_text(text: str, path: Path) -> dict[str, Any]:
    """Parse config TOML; a syntax error names the line (and quotes it) in the ConfigError."""
    import tomllib  # only when there is a file to read: `azresp --help` needs none

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _syntax_error(str(exc), text, path) from None
    except RecursionError:
        raise ConfigError(
            f"{path}: arrays or tables nested too deeply to read",
            hint="a config file needs no nesting beyond [profiles.NAME]",
        ) from None


def _syntax_error(reason: str, text: str, path: Path) -> ConfigError:
    # tomllib (3.11) keeps the position only in its message: "... (at line 3, column 9)".
    found = _TOML_POSITION.search(reason)
    if found:
        reason = reason[: found.start()]
    reason = reason[:1].lower() + reason[1:]
    keep = "azresp never rewrites a file it cannot parse"
    if not (found and found.group(1)):
        return ConfigError(f"{path}: {reason} (at the end of the file)", hint=f"fix it; {keep}")
    line = int(found.group(1))
    lines = text.splitlines()
    source = lines[line - 1].strip() if line <= len(lines) else ""
    hint = f"fix line {line}; {keep}"
    bare = _BARE_WORD_VALUE.match(source)
    if bare and bare.group(2) not in {"true", "false"}:
        hint = f'strings need quotes: {bare.group(1)} = "{bare.group(2)}"; {keep}'
    quoted = f": {source}" if source else ""
    return ConfigError(f"{path}, line {line}: {reason}{quoted}", hint=hint)


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
    config = load_config_file(path)
    profile_name, profile = select_profile(
        config, flags.profile or variables.get("AZRESP_PROFILE"), path
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
        key_source: str | None = "emulator"
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
        auth = _auth_method(pick(flags.auth, "AZRESP_AUTH", "auth"))
        api_key, key_source = _api_key(env, auth, profile_name, profile)
        if auth is AuthMethod.KEY and not api_key:
            raise ConfigError(
                "--auth key needs an api key",
                hint="set AZURE_OPENAI_API_KEY or run `azresp auth login`, or use --auth auto "
                "for Microsoft Entra ID",
            )
    return Settings(
        endpoint=endpoint,
        deployment=str(deployment),
        auth=auth,
        api_key=api_key,
        api_key_source=key_source,
        timeout=_positive_float(pick(flags.timeout, "AZRESP_TIMEOUT", "timeout"), DEFAULT_TIMEOUT),
        max_retries=_max_retries(pick(None, "AZRESP_MAX_RETRIES", "max_retries")),
        profile=profile_name,
        debug=flags.debug,
        is_emulator=flags.emulator_url is not None,
        defaults={k: v for k, v in profile.items() if k in _CHAT_DEFAULT_KEYS},
        prices=price_table(config),
    )


# The turn options a profile may give a default for (effort, verbosity, system ...).
_CHAT_DEFAULT_KEYS = frozenset(profile_keys())


def _api_key(
    env: Environment, auth: AuthMethod, profile_name: str | None, profile: Mapping[str, Any]
) -> tuple[str | None, str | None]:
    """The api key and where it came from: the environment first, then the profile's store.

    The store (the system keyring or the credentials file) is asked only when the profile says
    `azresp auth login` put a key there, so Entra ID users never pay for a keyring lookup.
    """
    from_env = env.variables.get("AZURE_OPENAI_API_KEY") or None
    if from_env:
        return from_env, "AZURE_OPENAI_API_KEY"
    store = profile.get("key_store")
    if auth not in (AuthMethod.AUTO, AuthMethod.KEY) or not store or profile_name is None:
        return None, None
    from azresp_cli.core.secrets_store import load_api_key

    return load_api_key(env, profile_name, str(store)), str(store)


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
