"""The keys a config file may hold: what each means, which values it takes, and their checks.

core/config_file.py reads and edits the file with them; `azresp config` lists them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from azresp_cli.core.approval import ApprovalPolicy
from azresp_cli.core.config import AuthMethod
from azresp_cli.core.endpoint import normalize_endpoint
from azresp_cli.core.errors import AzrespError, UsageError
from azresp_cli.core.turn_options import choices, profile_keys, spec_of, value_type

Value = str | bool | int | float
Kind = Literal["text", "bool", "int", "float", "choice", "endpoint"]


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


def check_profile_name(name: str) -> None:
    if not _PROFILE_NAME.match(name):
        raise UsageError(
            f"'{name}' is not a profile name",
            hint="use letters, digits, '-' and '_' (it becomes a [profiles.NAME] table)",
        )


def parse_value(key: str, raw: str) -> Value:
    """Turn the text of `azresp config set KEY VALUE` into the value the file will hold."""
    spec = spec_for(key)
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
    problem = check_value(spec, text)
    if problem:
        raise UsageError(problem, hint=choices_hint(spec))
    return text


def spec_for(key: str) -> KeySpec:
    if key in PROFILE_KEYS:
        return PROFILE_KEYS[key]
    if key in TOP_LEVEL_KEYS:
        return TOP_LEVEL_KEYS[key]
    raise UsageError(f"unknown config key '{key}'", hint=f"known keys: {', '.join(all_keys())}")


def top_level_spec(key: str) -> KeySpec:
    if key not in TOP_LEVEL_KEYS:
        spec_for(key)  # unknown keys get the list of known ones
        raise UsageError(f"'{key}' belongs in a profile, not at the top level of the file")
    return TOP_LEVEL_KEYS[key]


def profile_spec(key: str) -> KeySpec:
    if key not in PROFILE_KEYS:
        spec_for(key)
        raise UsageError(f"'{key}' is a top-level key, not a profile key")
    return PROFILE_KEYS[key]


def all_keys() -> list[str]:
    return [*PROFILE_KEYS, "default_profile"]


def check_value(spec: KeySpec, value: Any) -> str | None:
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
        return f"{spec.name} must be {_describe_kind(spec)}, not {toml_text(value)}"
    if not isinstance(value, expected[spec.kind]):
        return f"{spec.name} must be {_describe_kind(spec)}, not {toml_text(value)}"
    if spec.kind == "choice" and str(value).lower() not in spec.choices:
        return f"{spec.name} must be one of {', '.join(spec.choices)}, not {toml_text(value)}"
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


def choices_hint(spec: KeySpec) -> str | None:
    return f"choose one of: {', '.join(spec.choices)}" if spec.choices else None


def toml_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return f"'{value}'" if isinstance(value, str) else str(value)
