"""The config file as a document: the keys it may hold, their checks, and safe edits.

Reading goes through ``config.load_config_file`` (a syntax error names its line). Edits keep the
user's comments and layout (tomlkit), refuse a file that does not parse, and are verified before
the file is replaced atomically: the edited text must parse to exactly the old data with the one
change, and the file must not have changed on disk since it was read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from azresp_cli.core.approval import ApprovalPolicy
from azresp_cli.core.atomic_write import write_atomic
from azresp_cli.core.config import (
    AuthMethod,
    config_path,
    load_config_file,
    parse_config_text,
    read_config_text,
    select_profile,
)
from azresp_cli.core.endpoint import normalize_endpoint
from azresp_cli.core.environment import Environment
from azresp_cli.core.errors import AzrespError, ConfigError, UsageError
from azresp_cli.core.turn_options import choices, profile_keys, spec_of, value_type

Value = str | bool | int | float
Kind = Literal["text", "bool", "int", "float", "choice", "endpoint"]

DEFAULT_PROFILE_NAME = "default"
_PROFILE_NAME = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass(frozen=True)
class KeySpec:
    """One key a profile may set: what it means and which values it takes."""

    name: str
    help: str
    kind: Kind = "text"
    choices: tuple[str, ...] = ()
    minimum: float | None = None


def _turn_option_keys() -> list[KeySpec]:
    """The chat defaults a profile may set, as core/turn_options.py declares them."""
    specs = []
    for key, name in profile_keys().items():
        spec, kind = spec_of(name), value_type(name)
        if choices(name):
            specs.append(KeySpec(key, spec.profile_help, "choice", choices(name)))
        elif kind is int:
            specs.append(KeySpec(key, spec.profile_help, "int", minimum=spec.minimum))
        elif kind is float:
            specs.append(KeySpec(key, spec.profile_help, "float", minimum=spec.minimum))
        elif kind is bool:
            specs.append(KeySpec(key, spec.profile_help, "bool"))
        else:
            specs.append(KeySpec(key, spec.profile_help))
    return specs


PROFILE_KEYS: dict[str, KeySpec] = {
    spec.name: spec
    for spec in (
        KeySpec("endpoint", "Azure OpenAI resource URL", "endpoint"),
        KeySpec("deployment", "deployment name (the model)"),
        KeySpec("auth", "how to authenticate", "choice", tuple(m.value for m in AuthMethod)),
        KeySpec("image_deployment", "image model deployment for image generation"),
        *_turn_option_keys(),
        KeySpec("output_dir", "where generated images and files are saved"),
        KeySpec(
            "approve", "tool-call approval policy", "choice", tuple(p.value for p in ApprovalPolicy)
        ),
        KeySpec(
            "approved_tools",
            "tools run without asking, comma-separated (function:FILE:NAME, mcp:LABEL:TOOL)",
        ),
        KeySpec("mcp_local", "local MCP servers of every chat, comma-separated [mcp_local.NAME]s"),
        KeySpec("web_search", "let the model search the web in every chat (--web-search)", "bool"),
        KeySpec("allow_domains", "web search only these domains, comma-separated"),
        KeySpec("location", "approximate location for web search: CITY,COUNTRY"),
        KeySpec("history", "record conversations in the local history", "bool"),
        KeySpec("vi_mode", "vi key bindings at the chat prompt", "bool"),
        KeySpec("timeout", "seconds to wait for the service", "float", minimum=0.001),
        KeySpec("max_retries", "retries of the SDK on 429 and 5xx", "int", minimum=0),
        KeySpec(
            "key_store", "where `auth login` stored the api key", "choice", ("keyring", "file")
        ),
    )
}
# Keys outside any profile: which profile is the default, and preferences every profile shares.
TOP_LEVEL_KEYS: dict[str, KeySpec] = {
    "default_profile": KeySpec("default_profile", "the profile used without --profile"),
    "history": PROFILE_KEYS["history"],
    "vi_mode": PROFILE_KEYS["vi_mode"],
}
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


@dataclass(frozen=True)
class Problem:
    """Something wrong in the file: ``severity`` error stops azresp, warning does not."""

    message: str
    line: int | None
    severity: Literal["error", "warning"]

    def text(self, path: Path) -> str:
        where = f"{path}, line {self.line}" if self.line else str(path)
        return f"{where}: {self.message}"


def active_profile_name(env: Environment, requested: str | None) -> str:
    """The profile a command without --profile works on: AZRESP_PROFILE, the default, 'default'."""
    name = requested or env.variables.get("AZRESP_PROFILE")
    if not name:
        config = load_config_file(config_path(env))
        default = config.get("default_profile")
        name = str(default) if isinstance(default, str) and default else DEFAULT_PROFILE_NAME
    check_profile_name(name)
    return name


def check_profile_name(name: str) -> None:
    if not _PROFILE_NAME.match(name):
        raise UsageError(
            f"'{name}' is not a profile name",
            hint="use letters, digits, '-' and '_' (it becomes a [profiles.NAME] table)",
        )


def profile_names(config: Mapping[str, Any]) -> list[str]:
    profiles = config.get("profiles")
    return sorted(profiles) if isinstance(profiles, dict) else []


def profile_values(env: Environment, profile: str) -> dict[str, Any]:
    """The keys ``profile`` sets in the file ({} when it has none, or no such profile)."""
    config = load_config_file(config_path(env))
    if profile not in profile_names(config):
        return {}
    _, values = select_profile(config, profile, config_path(env))
    return dict(values)


def parse_value(key: str, raw: str) -> Value:
    """Turn the text of `azresp config set KEY VALUE` into the value the file will hold."""
    spec = _spec(key)
    text = raw.strip()
    if spec.kind == "bool":
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise UsageError(f"{key} must be true or false, not '{raw}'")
    if spec.kind in ("int", "float"):
        try:
            number: int | float = int(text) if spec.kind == "int" else float(text)
        except ValueError:
            whole = "a whole number" if spec.kind == "int" else "a number"
            raise UsageError(f"{key} must be {whole}, not '{raw}'") from None
        return number
    if spec.kind == "choice":
        text = text.lower()
    problem = _check(spec, text)
    if problem:
        raise UsageError(problem, hint=_choices_hint(spec))
    return text


def check_file(env: Environment) -> list[Problem]:
    """Every problem in the config file: syntax (raised), unknown keys, values out of range."""
    path = config_path(env)
    config = load_config_file(path)
    text = read_config_text(path) or ""
    problems: list[Problem] = []
    for key, value in config.items():
        if key == "profiles":
            continue
        if key == "prices":
            problems += _check_prices(config)
            continue
        if key == "mcp_local":  # [mcp_local.NAME] tables (core/mcp_local_config.py)
            from azresp_cli.core.mcp_local_config import check_tables

            problems += [Problem(text_, None, "error") for text_ in check_tables(value)]
            continue
        problems += _check_entry(TOP_LEVEL_KEYS, key, value, _line_of(text, None, key))
    profiles = config.get("profiles", {})
    if not isinstance(profiles, dict):
        return [Problem("'profiles' must be a table of [profiles.NAME] sections", None, "error")]
    for name, values in profiles.items():
        if not isinstance(values, dict):
            problems.append(Problem(f"[profiles.{name}] must be a table", None, "error"))
            continue
        for key, value in values.items():
            problems += _check_entry(PROFILE_KEYS, key, value, _line_of(text, name, key))
    default = config.get("default_profile")
    if isinstance(default, str) and default not in profiles:
        line = _line_of(text, None, "default_profile")
        problems.append(
            Problem(f"default_profile '{default}' has no [profiles.{default}]", line, "error")
        )
    return problems


@dataclass(frozen=True)
class Change:
    """Set ``key`` to ``value`` (None: remove it) in ``profile``'s table, or at the top level."""

    profile: str | None
    key: str
    value: Value | None


def set_value(env: Environment, profile: str | None, key: str, value: Value) -> Path:
    """Set ``key`` in ``profile``'s table (``profile`` None: at the top level); return the path."""
    return apply_changes(env, [Change(profile, key, value)])


def unset_value(env: Environment, profile: str | None, key: str) -> bool:
    """Remove ``key`` from ``profile``'s table; False when it was not set."""
    data = load_config_file(config_path(env))
    table = _table(data, profile)
    if key not in table:
        return False
    apply_changes(env, [Change(profile, key, None)])
    return True


def apply_changes(env: Environment, changes: list[Change]) -> Path:
    """Make ``changes`` in one atomic write, keeping the file's comments and layout.

    A file that does not parse is never rewritten; neither is one that changed on disk since it
    was read, nor one whose edited text would not parse back to exactly the intended data.
    """
    import tomlkit

    for change in changes:
        if change.value is not None:
            spec = (
                _top_level_spec(change.key) if change.profile is None else _profile_spec(change.key)
            )
            problem = _check(spec, change.value)
            if problem:
                raise UsageError(problem, hint=_choices_hint(spec))
    path = config_path(env)
    before = read_config_text(path) or ""
    expected = parse_config_text(before, path)
    document = tomlkit.parse(before) if before.strip() else tomlkit.document()
    for change in changes:
        _apply(expected, change)
        _apply_to_document(document, change)
    after = tomlkit.dumps(document)
    if parse_config_text(after, path) != expected:
        raise ConfigError(
            f"cannot edit {path} safely: its layout is one azresp does not rewrite",
            hint="make the change by hand (`azresp config path` shows the file)",
        )
    current = read_config_text(path) or ""
    if current != before:
        raise ConfigError(f"{path} changed while azresp was editing it", hint="run it again")
    if after != before:
        write_atomic(path, after)
    return path


def _apply(data: dict[str, Any], change: Change) -> None:
    if change.profile is None:
        table = data
    else:
        profiles = data.setdefault("profiles", {})
        if not isinstance(profiles, dict):
            raise ConfigError("'profiles' in the config file must be a table of [profiles.NAME]")
        table = profiles.setdefault(change.profile, {})
        if not isinstance(table, dict):
            raise ConfigError(f"[profiles.{change.profile}] in the config file must be a table")
    if change.value is None:
        table.pop(change.key, None)
    else:
        table[change.key] = change.value


def _apply_to_document(document: Any, change: Change) -> None:
    import tomlkit

    table = document
    if change.profile is not None:
        if "profiles" not in document:
            document["profiles"] = tomlkit.table(is_super_table=True)
        if change.profile not in document["profiles"]:
            document["profiles"][change.profile] = tomlkit.table()
        table = document["profiles"][change.profile]
    if change.value is None:
        if change.key in table:
            del table[change.key]
    else:
        table[change.key] = change.value


def _table(data: Mapping[str, Any], profile: str | None) -> Mapping[str, Any]:
    if profile is None:
        return data
    profiles = data.get("profiles")
    table = profiles.get(profile) if isinstance(profiles, dict) else None
    return table if isinstance(table, dict) else {}


def _spec(key: str) -> KeySpec:
    if key in PROFILE_KEYS:
        return PROFILE_KEYS[key]
    if key in TOP_LEVEL_KEYS:
        return TOP_LEVEL_KEYS[key]
    raise UsageError(f"unknown config key '{key}'", hint=f"known keys: {', '.join(all_keys())}")


def _top_level_spec(key: str) -> KeySpec:
    if key not in TOP_LEVEL_KEYS:
        _spec(key)  # unknown keys get the list of known ones
        raise UsageError(f"'{key}' belongs in a profile, not at the top level of the file")
    return TOP_LEVEL_KEYS[key]


def _profile_spec(key: str) -> KeySpec:
    if key not in PROFILE_KEYS:
        _spec(key)
        raise UsageError(f"'{key}' is a top-level key, not a profile key")
    return PROFILE_KEYS[key]


def all_keys() -> list[str]:
    return [*PROFILE_KEYS, "default_profile"]


def _check_prices(config: Mapping[str, Any]) -> list[Problem]:
    """The [prices] tables (core/pricing.py reads them; a wrong one is an error)."""
    from azresp_cli.core.pricing import price_table

    try:
        price_table(config)
    except AzrespError as error:
        return [Problem(error.message.removeprefix("config: "), None, "error")]
    return []


def _check_entry(
    table: Mapping[str, KeySpec], key: str, value: Any, line: int | None
) -> list[Problem]:
    if key not in table:
        return [Problem(f"unknown key '{key}' (azresp ignores it)", line, "warning")]
    problem = _check(table[key], value)
    return [Problem(problem, line, "error")] if problem else []


def _check(spec: KeySpec, value: Any) -> str | None:
    """Why ``value`` is wrong for ``spec``, or None when it is right."""
    expected: dict[Kind, tuple[type, ...]] = {
        "bool": (bool,),
        "int": (int,),
        "float": (int, float),
        "text": (str,),
        "choice": (str,),
        "endpoint": (str,),
    }
    if isinstance(value, bool) and spec.kind != "bool":
        return f"{spec.name} must be {_describe_kind(spec)}, not {_toml(value)}"
    if not isinstance(value, expected[spec.kind]):
        return f"{spec.name} must be {_describe_kind(spec)}, not {_toml(value)}"
    if spec.kind == "choice" and str(value).lower() not in spec.choices:
        return f"{spec.name} must be one of {', '.join(spec.choices)}, not {_toml(value)}"
    if spec.minimum is not None and isinstance(value, int | float) and value < spec.minimum:
        return f"{spec.name} must be at least {spec.minimum:g}, not {value}"
    if spec.kind == "endpoint":
        try:
            normalize_endpoint(str(value))
        except AzrespError as exc:
            return f"endpoint: {exc.message}"
    if spec.name == "default_profile":
        try:
            check_profile_name(str(value))
        except UsageError as exc:
            return exc.message
    return None


def _describe_kind(spec: KeySpec) -> str:
    return {
        "bool": "true or false",
        "int": "a whole number",
        "float": "a number",
        "text": "a string",
        "choice": f"one of {', '.join(spec.choices)}",
        "endpoint": "a URL string",
    }[spec.kind]


def _choices_hint(spec: KeySpec) -> str | None:
    return f"choose one of: {', '.join(spec.choices)}" if spec.choices else None


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return f"'{value}'" if isinstance(value, str) else str(value)


def _line_of(text: str, profile: str | None, key: str) -> int | None:
    """The line that sets ``key`` in ``profile``'s table (or at the top), best effort."""
    header = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]")
    assignment = re.compile(rf"^\s*(?:\"{re.escape(key)}\"|{re.escape(key)})\s*=")
    current: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        found = header.match(line)
        if found:
            current = found.group(1).replace('"', "")
            continue
        wanted = None if profile is None else f"profiles.{profile}"
        if current == wanted and assignment.match(line):
            return number
    return None
