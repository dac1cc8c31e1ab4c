"""``azresp config list|get|set|unset|path|profiles``: the TOML config file and its profiles.

These read and write the file only; flags and environment variables, which win over it when a
command runs, are not shown here (`azresp auth status` shows what a command would use).
"""

from __future__ import annotations

import enum
import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from azresp_cli.cli.state import app_state
from azresp_cli.cli.typer_base import AzrespTyper
from azresp_cli.core.errors import NotFoundError, UsageError

if TYPE_CHECKING:
    from azresp_cli.core.environment import Environment

config_app = AzrespTyper(
    name="config",
    help="""Read and change settings in the config file, per profile.

    Examples:

    \b
      azresp config set effort low
      azresp config list --profile lab
    """,
    no_args_is_help=True,
)


class ConfigKey(enum.StrEnum):
    """The keys `config get/set/unset` take (core/config_keys.py says what each accepts)."""

    ENDPOINT = "endpoint"
    DEPLOYMENT = "deployment"
    AUTH = "auth"
    IMAGE_DEPLOYMENT = "image_deployment"
    EFFORT = "effort"
    SUMMARY = "summary"
    VERBOSITY = "verbosity"
    SYSTEM = "system"
    MAX_OUTPUT_TOKENS = "max_output_tokens"
    TIER = "tier"
    OUTPUT_DIR = "output_dir"
    APPROVE = "approve"
    APPROVED_TOOLS = "approved_tools"
    MCP_LOCAL = "mcp_local"
    WEB_SEARCH = "web_search"
    ALLOW_DOMAINS = "allow_domains"
    LOCATION = "location"
    HISTORY = "history"
    VI_MODE = "vi_mode"
    TIMEOUT = "timeout"
    MAX_RETRIES = "max_retries"
    MAX_COST = "max_cost"
    FLEX_FALLBACK = "flex_fallback"
    PROMPT_CACHE_KEY = "prompt_cache_key"
    KEY_STORE = "key_store"
    DEFAULT_PROFILE = "default_profile"


KeyArgument = Annotated[
    ConfigKey,
    typer.Argument(metavar="KEY", help="A setting; `azresp config list --keys` shows all."),
]
ProfileOption = Annotated[
    str | None,
    typer.Option(
        "--profile",
        metavar="NAME",
        help="Profile to work on [default: AZRESP_PROFILE, else default_profile, else 'default']",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@config_app.command("list")
def list_settings(
    ctx: typer.Context,
    profile: ProfileOption = None,
    json_output: JsonOption = False,
    keys: Annotated[bool, typer.Option("--keys", help="List the keys a profile can set.")] = False,
) -> None:
    """Print a profile's settings as key=value lines.

    Examples:

    \b
      azresp config list
      azresp config list --json | jq .profiles
      azresp config list --keys
    """
    from azresp_cli.core import config_file, config_keys
    from azresp_cli.core.config import config_path, load_config_file

    env = app_state(ctx).env
    if keys:
        specs = [*config_keys.PROFILE_KEYS.values(), config_keys.TOP_LEVEL_KEYS["default_profile"]]
        width = max(len(spec.name) for spec in specs)
        lines = [f"{spec.name:<{width}}  {spec.help}{_choices(spec.choices)}" for spec in specs]
        _write(env, "\n".join(lines))
        return
    path = config_path(env)
    config = load_config_file(path)
    name = config_file.active_profile_name(env, profile)
    values = config_file.profile_values(env, name)
    if json_output:
        profiles = config.get("profiles") if isinstance(config.get("profiles"), dict) else {}
        payload = {
            "path": str(path),
            "profile": name,
            "default_profile": config.get("default_profile"),
            "settings": values,
            "profiles": profiles,
        }
        _write(env, json.dumps(payload, indent=2, default=str))
        return
    if values:
        _write(env, "\n".join(f"{key}={_text(value)}" for key, value in values.items()))
    elif name in config_file.profile_names(config):
        _note(env, f"profile '{name}' sets nothing yet")
    else:
        option = "" if profile is None else f" --profile {name}"
        _note(
            env, f"no profile '{name}' in {path}; start it: azresp config set endpoint URL{option}"
        )


@config_app.command("get")
def get(ctx: typer.Context, key: KeyArgument, profile: ProfileOption = None) -> None:
    """Print one setting of a profile; exit status 4 when it is unset.

    Example:

    \b
      azresp config get endpoint
    """
    from azresp_cli.core import config_file
    from azresp_cli.core.config import config_path, load_config_file

    env = app_state(ctx).env
    if key is ConfigKey.DEFAULT_PROFILE:
        value = load_config_file(config_path(env)).get("default_profile")
        where = "the config file"
    else:
        name = config_file.active_profile_name(env, profile)
        value = config_file.profile_values(env, name).get(key.value)
        where = f"profile '{name}'"
    if value is None:
        raise NotFoundError(
            f"{key.value} is not set in {where}",
            hint=f"set it with: azresp config set {key.value} VALUE",
        )
    _write(env, _text(value))


@config_app.command("set")
def set_(
    ctx: typer.Context,
    key: KeyArgument,
    value: Annotated[str, typer.Argument(help="The value (true/false for switches).")],
    profile: ProfileOption = None,
) -> None:
    """Set a setting in a profile (default_profile: at the top level).

    The file keeps its comments; an unparsable file is never rewritten.

    Examples:

    \b
      azresp config set endpoint https://contoso.openai.azure.com
      azresp config set effort low --profile lab
      azresp config set history false
    """
    from azresp_cli.core import config_file, config_keys

    env = app_state(ctx).env
    parsed = config_keys.parse_value(key.value, value)
    if key is ConfigKey.DEFAULT_PROFILE:
        from azresp_cli.core.config import config_path, load_config_file

        known = config_file.profile_names(load_config_file(config_path(env)))
        if parsed not in known:
            # A default that names no profile would break every later command.
            raise UsageError(
                f"there is no profile '{parsed}' to make the default",
                hint=f"known profiles: {', '.join(known) or 'none'}; create it first: "
                f"azresp config set endpoint URL --profile {parsed}",
            )
        path = config_file.set_value(env, None, key.value, parsed)
        where = "the top level"
    else:
        name = config_file.active_profile_name(env, profile)
        path = config_file.set_value(env, name, key.value, parsed)
        where = f"profile '{name}'"
    _note(env, f"✓ {key.value}={_text(parsed)} in {where} of {path}")


@config_app.command("unset")
def unset(ctx: typer.Context, key: KeyArgument, profile: ProfileOption = None) -> None:
    """Remove a setting from a profile.

    Example:

    \b
      azresp config unset effort
    """
    from azresp_cli.core import config_file

    env = app_state(ctx).env
    if key is ConfigKey.DEFAULT_PROFILE:
        name, removed = None, config_file.unset_value(env, None, key.value)
    else:
        name = config_file.active_profile_name(env, profile)
        removed = config_file.unset_value(env, name, key.value)
    where = f"profile '{name}'" if name else "the config file"
    _note(env, f"✓ {key.value} removed from {where}" if removed else f"{key.value} was not set")


@config_app.command("path")
def path(ctx: typer.Context) -> None:
    """Print the config file's path (it may not exist yet).

    Example:

    \b
      ${EDITOR:-vi} "$(azresp config path)"
    """
    from azresp_cli.core.config import config_path

    _write(app_state(ctx).env, str(config_path(app_state(ctx).env)))


@config_app.command("profiles")
def profiles(ctx: typer.Context, json_output: JsonOption = False) -> None:
    """List the profiles in the config file, one name per line.

    Example:

    \b
      azresp config profiles --json | jq -r '.[] | select(.default) | .name'
    """
    from azresp_cli.core.config import config_path, load_config_file
    from azresp_cli.core.config_file import profile_names

    env = app_state(ctx).env
    config = load_config_file(config_path(env))
    names = profile_names(config)
    default = config.get("default_profile")
    if json_output:
        _write(env, json.dumps([{"name": n, "default": n == default} for n in names], indent=2))
    elif names:
        _write(env, "\n".join(names))


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _choices(choices: tuple[str, ...]) -> str:
    return f" ({', '.join(choices)})" if choices else ""


def _write(env: Environment, text: str) -> None:
    env.stdout.write(text + "\n")


def _note(env: Environment, text: str) -> None:
    env.stderr.write(text + "\n")
