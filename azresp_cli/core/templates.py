"""Templates: a saved prompt with its options, one human-editable TOML file each.

``azresp chat --save NAME`` writes ``templates/NAME.toml`` in the config dir; ``-t NAME``
reads it back. Its values are a layer between the profile's chat defaults and the flags
(flag > template > profile > default, core/turn_options.resolve). ``$input`` in the prompt (or
the system prompt) is the prompt or piped stdin; ``$NAME`` is a ``--param NAME VALUE`` (or the
template's ``[defaults]``); a parameter that has no value is a usage error naming it.

A template file (every key optional)::

    prompt = "Summarize in $lang: $input"
    system = "You are terse."
    model = "gpt-4o"
    effort = "low"                # also summary, verbosity, max_output_tokens, tier
    schema = "title, points list[str]"
    schema_multi = false
    attachments = ["/home/me/style.md"]
    fragments = ["house-style"]   # -f; system_fragments for --sf
    [tools]
    functions = ["/home/me/weather.py"]
    modules = []
    mcp = ["docs=https://example.com/mcp"]
    mcp_local = ["fs=npx -y @modelcontextprotocol/server-filesystem /home/me/notes"]
    web_search = false
    allow_domains = []
    code = false
    image = false
    [defaults]
    lang = "English"
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from azresp_cli.core.atomic_write import write_atomic
from azresp_cli.core.errors import ConfigError, NotFoundError, UsageError
from azresp_cli.core.schema import parse_schema
from azresp_cli.core.text_files import read_text_limited
from azresp_cli.core.turn_options import profile_keys, profile_layer

TEMPLATES_DIR = "templates"
TEMPLATE_LIMIT = 1_000_000  # bytes
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
OPTION_KEYS = tuple(profile_keys())  # system, effort, summary, verbosity, max_output_tokens, tier
_LIST_KEYS = ("attachments", "fragments", "system_fragments")
_TOOL_LISTS = ("functions", "modules", "mcp", "mcp_local", "allow_domains")
_TOOL_SWITCHES = ("code", "image", "web_search")


@dataclass(frozen=True)
class Template:
    name: str
    prompt: str | None = None
    model: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)  # profile keys: system, effort ...
    schema: str | None = None
    schema_multi: bool = False
    attachments: tuple[str, ...] = ()
    fragments: tuple[str, ...] = ()
    system_fragments: tuple[str, ...] = ()
    tools: Mapping[str, Any] = field(default_factory=dict)  # _TOOL_LISTS, _TOOL_SWITCHES
    defaults: Mapping[str, str] = field(default_factory=dict)

    def option_layer(self, params: Mapping[str, str]) -> dict[str, Any]:
        """The template's turn options (placeholders in ``system`` filled from ``params``)."""
        values = dict(self.options)
        if isinstance(values.get("system"), str):
            values["system"] = self.fill(values["system"], params)
        layer = profile_layer(values, source=f"template '{self.name}'")
        if self.schema:
            layer["schema"] = parse_schema(self.schema, multi=self.schema_multi)
        return layer

    def fill(self, text: str, params: Mapping[str, str]) -> str:
        """``text`` with ``$input`` and ``$NAME`` filled; a missing one is a UsageError."""
        values = {**self.defaults, **params}
        template = string.Template(text)
        missing = [n for n in template.get_identifiers() if n not in values and n != "input"]
        if missing:
            raise UsageError(
                f"template '{self.name}' needs parameter '{missing[0]}'",
                hint=f"pass --param {missing[0]} VALUE",
            )
        return template.safe_substitute(values)

    @property
    def needs_input(self) -> bool:
        """Whether the template's prompt has an ``$input`` to fill."""
        return self.prompt is not None and "input" in string.Template(self.prompt).get_identifiers()

    def check_params(self, params: Mapping[str, str]) -> None:
        """Raise the UsageError ``prompt_for`` would for a missing parameter, before any input."""
        if self.prompt is not None:
            self.fill(self.prompt, {**params, "input": ""})

    def prompt_for(self, given: str | None, params: Mapping[str, str]) -> str | None:
        """The prompt to send: the template's with ``$input`` = ``given`` (appended when the
        template has no ``$input``); without a template prompt, ``given`` itself."""
        if self.prompt is None:
            return given
        uses_input = self.needs_input
        if uses_input and given is None:
            raise UsageError(
                f"template '{self.name}' needs input ($input)",
                hint="pass a prompt, or pipe text in",
            )
        text = self.fill(self.prompt, {**params, "input": given or ""})
        if given and not uses_input:
            text = f"{text}\n\n{given}"
        return text


def templates_dir(config_dir: Path) -> Path:
    return config_dir / TEMPLATES_DIR


def template_path(config_dir: Path, name: str) -> Path:
    check_name(name)
    return templates_dir(config_dir) / f"{name}.toml"


def check_name(name: str) -> None:
    if not _NAME.match(name):
        raise UsageError(
            f"'{name}' cannot be a template name", hint="use letters, digits, _ - . (up to 64)"
        )


def template_names(config_dir: Path) -> list[str]:
    folder = templates_dir(config_dir)
    return sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []


def load_template(config_dir: Path, name: str) -> Template:
    """Template ``name``; NotFoundError when there is none, ConfigError when it is damaged."""
    path = template_path(config_dir, name)
    if not path.is_file():
        raise NotFoundError(
            f"no template '{name}'", hint="`azresp templates list` shows the saved ones"
        )
    return parse_template(name, read_text_limited(path, TEMPLATE_LIMIT, what="template"), path)


def parse_template(name: str, text: str, path: Path | None = None) -> Template:
    where = str(path) if path else f"template '{name}'"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{where}: {error}", hint=f"azresp templates edit {name}") from None
    known = {"prompt", "model", "schema", "schema_multi", "tools", "defaults", *_LIST_KEYS}
    unknown = sorted(set(data) - known - set(OPTION_KEYS))
    if unknown:
        raise ConfigError(
            f"{where}: unknown key '{unknown[0]}'",
            hint=f"keys: {', '.join(sorted(known | set(OPTION_KEYS)))}",
        )

    def text_of(key: str) -> str | None:
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"{where}: {key} must be a string")
        return value

    def list_of(table: Mapping[str, Any], key: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: {key} must be a list of strings")
        return tuple(value)

    tools = data.get("tools", {})
    defaults = data.get("defaults", {})
    if not isinstance(tools, dict) or not isinstance(defaults, dict):
        raise ConfigError(f"{where}: [tools] and [defaults] must be tables")
    tool_values: dict[str, Any] = {key: list_of(tools, key) for key in _TOOL_LISTS}
    tool_values.update({key: bool(tools.get(key, False)) for key in _TOOL_SWITCHES})
    return Template(
        name=name,
        prompt=text_of("prompt"),
        model=text_of("model"),
        options={key: data[key] for key in OPTION_KEYS if key in data},
        schema=text_of("schema"),
        schema_multi=bool(data.get("schema_multi", False)),
        attachments=list_of(data, "attachments"),
        fragments=list_of(data, "fragments"),
        system_fragments=list_of(data, "system_fragments"),
        tools=tool_values,
        defaults={str(k): str(v) for k, v in defaults.items()},
    )


def save_template(config_dir: Path, template: Template) -> Path:
    """Write ``template`` as TOML a person can edit; returns its path."""
    import tomlkit

    path = template_path(config_dir, template.name)
    document = tomlkit.document()
    document.add(tomlkit.comment(f"azresp template '{template.name}': azresp chat -t"))
    document.add(tomlkit.comment("$input is the prompt or stdin; $NAME is --param NAME VALUE"))
    if template.prompt is not None:
        document.add("prompt", _string(template.prompt))
    if template.model:
        document.add("model", template.model)
    for key in OPTION_KEYS:
        if template.options.get(key) is not None:
            value = template.options[key]
            document.add(key, _string(value) if isinstance(value, str) else value)
    if template.schema:
        document.add("schema", _string(template.schema))
        if template.schema_multi:
            document.add("schema_multi", True)
    for key in _LIST_KEYS:
        if getattr(template, key):
            document.add(key, list(getattr(template, key)))
    tools = {k: v for k, v in template.tools.items() if v}
    if tools:
        table = tomlkit.table()
        for key, value in tools.items():
            table.add(key, list(value) if isinstance(value, tuple | list) else value)
        document.add("tools", table)
    if template.defaults:
        table = tomlkit.table()
        for key, value in template.defaults.items():
            table.add(key, value)
        document.add("defaults", table)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, tomlkit.dumps(document))
    return path


def delete_template(config_dir: Path, name: str) -> Path:
    path = template_path(config_dir, name)
    if not path.is_file():
        raise NotFoundError(f"no template '{name}'", hint="`azresp templates list`")
    path.unlink()
    return path


def _string(text: str) -> Any:
    import tomlkit

    if "\n" in text:
        return tomlkit.string(text, multiline=True, literal="'''" not in text)
    return text
