"""``[mcp_local.NAME]`` tables of the config file: a local MCP server's command and the tools
the user approved or refused for good.

    [mcp_local.fs]
    command = "npx -y @modelcontextprotocol/server-filesystem ~/notes"
    allow = ["read_file", "list_directory"]   # run without asking
    deny = ["write_file"]                     # always refused
    max_output_chars = 20000                  # longer results are cut, with a note
    auto = false                              # true: offered in every chat without --mcp-local

``--mcp-local NAME`` (no command) uses a configured server; answering "save always" or "deny
this tool always" at an approval prompt adds the tool to ``allow`` or ``deny`` (tomlkit keeps
the file's comments; the write is atomic).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from azresp_cli.core.atomic_write import write_atomic
from azresp_cli.core.config import config_path, load_config_file, parse_config_text
from azresp_cli.core.environment import Environment
from azresp_cli.core.errors import ConfigError, UsageError
from azresp_cli.core.mcp_local import (
    SEPARATOR,
    LocalServerSpec,
    local_specs,
    spec_from_config,
)

TABLE = "mcp_local"
_KEYS = {"command", "allow", "deny", "max_output_chars", "auto"}


def configured_servers(env: Environment) -> dict[str, LocalServerSpec]:
    tables = load_config_file(config_path(env)).get(TABLE, {})
    if not isinstance(tables, dict):
        raise ConfigError(f"'{TABLE}' in the config file must be [{TABLE}.NAME] tables")
    return {
        name: spec_from_config(name, table)
        for name, table in tables.items()
        if isinstance(table, dict)
    }


def session_servers(env: Environment, flags: Sequence[str]) -> tuple[LocalServerSpec, ...]:
    """The servers of a session: the flags' (``NAME=COMMAND`` or a configured ``NAME``), and
    configured servers marked ``auto = true``."""
    configured = configured_servers(env)
    tables = load_config_file(config_path(env)).get(TABLE, {})
    with_command: list[str] = []
    by_name: list[LocalServerSpec] = []
    for raw in flags:
        if "=" in raw:
            with_command.append(raw)
        elif raw.strip() in configured and configured[raw.strip()].command:
            by_name.append(configured[raw.strip()])
        else:
            raise UsageError(
                f"--mcp-local {raw}: no [{TABLE}.{raw}] with a command in the config file",
                hint="pass NAME='COMMAND ARGS...', or configure the server first",
            )
    specs = {spec.name: spec for spec in local_specs(with_command, configured)}
    for spec in by_name:
        specs.setdefault(spec.name, spec)
    for name, table in tables.items():
        if isinstance(table, dict) and table.get("auto") is True and configured[name].command:
            specs.setdefault(name, configured[name])
    return tuple(specs.values())


def check_tables(value: Any) -> list[str]:
    """Problems of the ``[mcp_local]`` tables, for ``config check`` and ``doctor``."""
    if not isinstance(value, dict):
        return [f"'{TABLE}' must be [{TABLE}.NAME] tables"]
    problems: list[str] = []
    for name, table in value.items():
        if not isinstance(table, dict):
            problems.append(f"[{TABLE}.{name}] must be a table")
            continue
        unknown = sorted(set(table) - _KEYS)
        if unknown:
            problems.append(f"[{TABLE}.{name}]: unknown key {', '.join(unknown)}")
        try:
            spec_from_config(name, table)
        except UsageError as exc:
            problems.append(exc.message)
    return problems


def remember(env: Environment, approval_key: str, *, allow: bool) -> bool:
    """Add a local MCP tool's approval key (``function:SERVER__tool``) to its server's ``allow``
    (or ``deny``) list; False when the key is not a local MCP tool's."""
    import tomlkit

    name = approval_key.removeprefix("function:")
    server, sep, tool = name.partition(SEPARATOR)
    if not sep or not tool:
        return False
    path = config_path(env)
    try:
        before = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        before = ""
    parse_config_text(before, path)  # never rewrite a file that does not parse
    document = tomlkit.parse(before) if before.strip() else tomlkit.document()
    if TABLE not in document:
        document[TABLE] = tomlkit.table(is_super_table=True)
    tables: Any = document[TABLE]
    if server not in tables:
        tables[server] = tomlkit.table()
    table = tables[server]
    key, other = ("allow", "deny") if allow else ("deny", "allow")
    names = [str(item) for item in table.get(key, [])]
    if tool not in names:
        table[key] = [*names, tool]
    if other in table:
        table[other] = [str(item) for item in table[other] if str(item) != tool]
    write_atomic(path, tomlkit.dumps(document))
    return True


def is_local_key(approval_key: str, servers: Mapping[str, object] | Sequence[str]) -> bool:
    name = approval_key.removeprefix("function:")
    return approval_key.startswith("function:") and name.partition(SEPARATOR)[0] in servers
