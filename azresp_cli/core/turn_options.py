"""What every turn sends, declared once: the options, their flags, profile keys and wire names.

``TurnOptions`` is the one carrier of a turn's options, from the command line (and the profile's
chat defaults, and the REPL's commands) to the create body. Each field that is a plain
pass-through carries an ``OptionSpec`` in its metadata, and everything else is derived from it:

- the Typer option group of ``chat`` and ``bg start`` (cli/turn_flags.py),
- the profile keys ``azresp config set`` accepts and the chat defaults a profile may set,
- the field of the create body (``wire``: a dotted path such as ``reasoning.effort``).

Adding a pass-through option is one field here, its test, and its profile key in the ``config``
commands' ConfigKey; see docs/options.md. Choices are parsed once, at the edge, into the enums
below: nothing downstream handles a bare string.
"""

# No `from __future__ import annotations`: the field types are read at run time (OptionSpec).

import enum
import types
from collections.abc import Callable, Iterable, Mapping
from dataclasses import Field, dataclass, field, fields, replace
from typing import Any, Union, get_args, get_origin

from azresp_cli.core.errors import ConfigError, UsageError
from azresp_cli.core.schema import OutputSchema, parse_schema

CHAT_PANEL = "Chat"
OUTPUT_PANEL = "Output"


class Effort(enum.StrEnum):
    """Reasoning effort (``--effort``, ``/effort``, the profile's ``effort``)."""

    NONE = "none"
    MINIMAL = "minimal"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    XHIGH = "xhigh"


class Summary(enum.StrEnum):
    AUTO = "auto"
    CONCISE = "concise"
    DETAILED = "detailed"


class Verbosity(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class ServiceTier(enum.StrEnum):
    """Processing tier: flex is cheaper and slower, priority faster and dearer."""

    AUTO = "auto"
    DEFAULT = "default"
    FLEX = "flex"
    PRIORITY = "priority"


@dataclass(frozen=True)
class OptionSpec:
    """How one turn option is given and sent.

    ``flags``: the command-line spellings (a bool option's flag sets ``flag_value``);
    ``profile``/``profile_help``: the profile key for its default (None: flags only);
    ``wire``: where the create body carries it, a dotted path (None: the engine handles it).
    """

    flags: tuple[str, ...]
    help: str
    panel: str = CHAT_PANEL
    wire: str | None = None
    profile: str | None = None
    profile_help: str = ""
    minimum: int | None = None
    metavar: str | None = None
    flag_value: Any = None  # bool options: what giving the flag sets
    # Options whose flag takes text that is read into a value (``--schema``): the parser, run
    # where the flag (or a template, or a REPL command) is read; it raises UsageError.
    parser: Callable[[str], Any] | None = None


def spec(*flags: str, help: str, **details: Any) -> dict[str, OptionSpec]:
    """The metadata of a ``TurnOptions`` field that is an option."""
    return {"spec": OptionSpec(flags, help, **details)}


@dataclass(frozen=True)
class TurnOptions:
    """What every turn of a session sends, until a command changes it."""

    instructions: str | None = field(
        default=None,
        metadata=spec(
            "--system",
            "-s",
            help="Instructions for the model.",
            wire="instructions",
            profile="system",
            profile_help="default instructions",
        ),
    )
    store: bool = field(
        default=True,
        metadata=spec(
            "--no-store",
            help="Stateless: the service keeps nothing; azresp keeps the items and replays them.",
            flag_value=False,
        ),
    )
    effort: Effort | None = field(
        default=None,
        metadata=spec(
            "--effort",
            help="Reasoning effort.",
            wire="reasoning.effort",
            profile="effort",
            profile_help="default reasoning effort",
        ),
    )
    summary: Summary | None = field(
        default=None,
        metadata=spec(
            "--summary",
            help="Show the model's reasoning summary.",
            wire="reasoning.summary",
            profile="summary",
            profile_help="default reasoning summary",
        ),
    )
    verbosity: Verbosity | None = field(
        default=None,
        metadata=spec(
            "--verbosity",
            help="Answer length.",
            wire="text.verbosity",
            profile="verbosity",
            profile_help="default answer length",
        ),
    )
    max_output_tokens: int | None = field(
        default=None,
        metadata=spec(
            "--max-output-tokens",
            help="Cap on output tokens (reasoning included).",
            wire="max_output_tokens",
            profile="max_output_tokens",
            profile_help="default cap on output tokens",
            minimum=1,
        ),
    )
    service_tier: ServiceTier | None = field(
        default=None,
        metadata=spec(
            "--tier",
            help="Processing tier: flex (cheaper, slower), priority (faster), default, auto.",
            wire="service_tier",
            profile="tier",
            profile_help="default processing tier (service_tier)",
        ),
    )
    schema: OutputSchema | None = field(
        default=None,
        metadata=spec(
            "--schema",
            help="Answer with JSON that fits SCHEMA: a JSON Schema file, inline JSON, or "
            "'name, age int, tags list[str], bio: one sentence'.",
            wire="text.format",
            metavar="SCHEMA",
            parser=parse_schema,
        ),
    )
    flex_fallback: bool = field(
        default=False,
        metadata=spec(
            "--flex-fallback",
            help="With the flex tier, send a turn refused for lack of capacity (429) once more "
            "with the default tier.",
            profile="flex_fallback",
            profile_help="retry a flex 429 for capacity once with the default tier",
            flag_value=True,
        ),
    )
    max_cost: float | None = field(
        default=None,
        metadata=spec(
            "--max-cost",
            help="Budget for this answer or chat session: a turn that could cost more than "
            "what is left is refused (exit 10).",
            profile="max_cost",
            profile_help="chat budget in the price table's currency (--max-cost)",
            minimum=0,
            metavar="USD",
        ),
    )
    prompt_cache_key: bool = field(
        default=True,
        metadata=spec(
            "--no-cache-key",
            help="Send no prompt_cache_key (by default each conversation sends its own, so its "
            "turns find their context in the prompt cache).",
            profile="prompt_cache_key",
            profile_help="send a per-conversation prompt_cache_key",
            flag_value=False,
        ),
    )
    background: bool = field(
        default=False,
        metadata=spec(
            "--background",
            help="Run it as a background job (see azresp bg) and stream it, resuming after "
            "drops; Ctrl-C leaves the job running.",
            flag_value=True,
        ),
    )
    stream: bool = field(
        default=True,
        metadata=spec(
            "--no-stream",
            help="Wait for the whole answer instead of streaming.",
            panel=OUTPUT_PANEL,
            flag_value=False,
        ),
    )

    def changed(self, **values: Any) -> "TurnOptions":
        """A copy with ``values`` parsed as the command line or a profile would give them."""
        return replace(self, **{name: parse_option(name, value) for name, value in values.items()})

    def wire_fields(self) -> dict[str, Any]:
        """The create body's fields for the pass-through options that are set."""
        body: dict[str, Any] = {}
        for item in option_fields():
            spec = item.metadata["spec"]
            value = getattr(self, item.name)
            if spec.wire is None or value is None or value == "":
                continue
            *parents, leaf = spec.wire.split(".")
            target = body
            for parent in parents:
                target = target.setdefault(parent, {})
            if isinstance(value, OutputSchema):
                target[leaf] = value.wire_value()
            else:
                target[leaf] = value.value if isinstance(value, enum.Enum) else value
        return body


def option_fields() -> tuple[Field[Any], ...]:
    """The fields of ``TurnOptions`` that are options, in declaration order."""
    return tuple(item for item in fields(TurnOptions) if "spec" in item.metadata)


def spec_of(name: str) -> OptionSpec:
    spec: OptionSpec = _FIELDS[name].metadata["spec"]
    return spec


def value_type(name: str) -> type:
    """The type a value of option ``name`` has once parsed (``Effort | None`` gives Effort)."""
    kind = _FIELDS[name].type
    if get_origin(kind) in (Union, types.UnionType):
        kind = next(arg for arg in get_args(kind) if arg is not type(None))
    if not isinstance(kind, type):  # pragma: no cover - every field is a plain type
        raise TypeError(f"{name}: unsupported option type {kind!r}")
    return kind


def choices(name: str) -> tuple[str, ...]:
    """The values option ``name`` takes, for a closed set (() when any value goes)."""
    kind = value_type(name)
    return tuple(member.value for member in kind) if issubclass(kind, enum.Enum) else ()


def parse_option(name: str, raw: Any) -> Any:
    """``raw`` (a flag's, a profile's or a REPL command's value) as option ``name`` holds it;
    raises UsageError naming the values it takes. None stays None (not set)."""
    if raw is None:
        return None
    kind = value_type(name)
    label = (spec_of(name).profile or name).replace("_", "-")
    if isinstance(raw, kind) and not isinstance(raw, bool | int | str):
        return raw  # already parsed (an OutputSchema)
    parser = spec_of(name).parser
    if parser is not None:
        return parser(str(raw))
    if issubclass(kind, enum.Enum):
        try:
            return kind(str(raw).strip().lower())
        except ValueError:
            raise UsageError(
                f"unknown {label} '{raw}'", hint=f"use one of {', '.join(choices(name))}"
            ) from None
    if kind is bool:
        if not isinstance(raw, bool):
            raise UsageError(f"{label} must be true or false, not {raw!r}")
        return raw
    if kind is float:
        try:
            if isinstance(raw, bool) or not isinstance(raw, int | float | str):
                raise TypeError(raw)
            amount = float(raw)
        except (TypeError, ValueError):
            raise UsageError(f"{label} must be a number, not '{raw}'") from None
        least = spec_of(name).minimum
        if least is not None and amount < least:
            raise UsageError(f"{label} must be at least {least}, not {amount:g}")
        return amount
    if kind is int:
        try:
            if isinstance(raw, bool) or not isinstance(raw, int | str):
                raise TypeError(raw)
            number = int(raw)
        except (TypeError, ValueError):
            raise UsageError(f"{label} must be a whole number, not '{raw}'") from None
        minimum = spec_of(name).minimum
        if minimum is not None and number < minimum:
            raise UsageError(f"{label} must be at least {minimum}, not {number}")
        return number
    return str(raw)


def profile_keys() -> dict[str, str]:
    """Profile key -> option name, for the options a profile may give a default for."""
    return {
        item.metadata["spec"].profile: item.name
        for item in option_fields()
        if item.metadata["spec"].profile
    }


def profile_layer(defaults: Mapping[str, Any], *, source: str = "the profile") -> dict[str, Any]:
    """The profile's chat defaults as option values; a bad value is a ConfigError."""
    layer: dict[str, Any] = {}
    for key, name in profile_keys().items():
        if defaults.get(key) is None:
            continue
        try:
            layer[name] = parse_option(name, defaults[key])
        except UsageError as error:
            raise ConfigError(f"{source}: {key}: {error.message}", hint=error.hint) from None
    return layer


def resolve(*layers: Mapping[str, Any]) -> TurnOptions:
    """The options from ``layers``, lowest first (defaults < profile < template < flags).

    A layer holds the values it sets; None and missing names leave the lower layer's value."""
    values: dict[str, Any] = {}
    for layer in layers:
        values.update({name: value for name, value in layer.items() if value is not None})
    return TurnOptions().changed(**values)


def flag_layer(values: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """What the command line set: a bool flag given sets its ``flag_value``, others their value."""
    layer: dict[str, Any] = {}
    for name, value in values:
        spec = spec_of(name)
        if spec.flag_value is not None:
            if value:
                layer[name] = spec.flag_value
        elif value is not None:
            layer[name] = value
    return layer


_FIELDS = {item.name: item for item in fields(TurnOptions)}
