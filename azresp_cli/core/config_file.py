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

from azresp_cli.core.atomic_write import write_atomic
from azresp_cli.core.config import (
    config_path,
    load_config_file,
    parse_config_text,
    read_config_text,
    select_profile,
)
from azresp_cli.core.config_keys import (
    PROFILE_KEYS,
    TOP_LEVEL_KEYS,
    KeySpec,
    Value,
    check_profile_name,
    check_value,
    choices_hint,
    profile_spec,
    top_level_spec,
)
from azresp_cli.core.environment import Environment
from azresp_cli.core.errors import AzrespError, ConfigError, UsageError

DEFAULT_PROFILE_NAME = "default"


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
                top_level_spec(change.key) if change.profile is None else profile_spec(change.key)
            )
            problem = check_value(spec, change.value)
            if problem:
                raise UsageError(problem, hint=choices_hint(spec))
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
    problem = check_value(table[key], value)
    return [Problem(problem, line, "error")] if problem else []


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
