"""Templates and fragments on the command line: -t, --param, --save, -f, --sf.

``with_prompt_options`` adds the flags to ``chat`` and hands it one ``PromptOptions``;
``apply_template`` layers a template under the flags (flag > template > profile > default)
and ``save_from_flags`` writes what the command line gave as a template.

``--param KEY VALUE`` is spelled long only: ``-p`` is already ``--previous`` on ``chat``.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

if TYPE_CHECKING:
    from azresp_cli.cli.connection import ConnectionOptions
    from azresp_cli.cli.state import AppState
    from azresp_cli.cli.tool_options import ToolOptions
    from azresp_cli.core.session_start import SessionStart
    from azresp_cli.core.templates import Template
    from azresp_cli.core.turn_extras import FragmentUse

PROMPT_PANEL = "Templates and fragments"
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class PromptOptions:
    template: str | None = None
    params: tuple[tuple[str, str], ...] = ()
    save: str | None = None
    fragments: tuple[str, ...] = ()
    system_fragments: tuple[str, ...] = ()


def _option(name: str, annotation: Any, *decls: str, help: str, **extra: Any) -> Any:
    return inspect.Parameter(
        name,
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[
            annotation,
            typer.Option(
                *decls, help=help, rich_help_panel=PROMPT_PANEL, show_default=False, **extra
            ),
        ],
    )


_PARAMETERS = [
    _option(
        "template",
        str | None,
        "--template",
        "-t",
        metavar="NAME",
        help="Use a saved template (azresp templates list); flags override its values.",
    ),
    _option(
        "param",
        # Typer has no list of pairs: AzrespCommand makes each --param take two values.
        list[str] | None,
        "--param",
        metavar="KEY VALUE",
        help="A template parameter: $KEY in its prompt or system prompt (repeatable).",
    ),
    _option(
        "save",
        str | None,
        "--save",
        metavar="NAME",
        help="Save the prompt, system prompt, model, options, tools, schema and attachments "
        "as template NAME instead of asking.",
    ),
    _option(
        "fragment",
        list[str] | None,
        "--fragment",
        "-f",
        metavar="PATH|URL|ALIAS|-",
        help="Add a piece of context before the prompt (repeatable; azresp fragments).",
    ),
    _option(
        "system_fragment",
        list[str] | None,
        "--sf",
        "--system-fragment",
        metavar="PATH|URL|ALIAS|-",
        help="Add a fragment to the system prompt (repeatable).",
    ),
]


def with_prompt_options(command: F) -> F:
    """Give ``command`` -t/--param/--save/-f/--sf; it receives them as ``prompt_options=``."""
    return prompt_options_except()(command)


def prompt_options_except(*excluded: str) -> Callable[[F], F]:
    """``with_prompt_options`` without the options named (``bg start`` has no ``--save``)."""
    parameters = [p for p in _PARAMETERS if p.name not in excluded]
    names = [p.name for p in parameters]

    def decorate(command: F) -> F:
        signature = inspect.signature(command, eval_str=True, locals={"SessionStart": Any})
        own = [p for name, p in signature.parameters.items() if name != "prompt_options"]

        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            values = {name: kwargs.pop(name) for name in names}
            options = PromptOptions(
                template=values.get("template"),
                params=tuple(_pair(item) for item in values.get("param") or ()),
                save=values.get("save"),
                fragments=tuple(values.get("fragment") or ()),
                system_fragments=tuple(values.get("system_fragment") or ()),
            )
            return command(*args, prompt_options=options, **kwargs)

        keyword = [p for p in own if p.kind is inspect.Parameter.KEYWORD_ONLY]
        positional = [p for p in own if p.kind is not inspect.Parameter.KEYWORD_ONLY]
        combined = signature.replace(parameters=[*positional, *parameters, *keyword])
        wrapper.__signature__ = combined  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in combined.parameters.values()}
        return wrapper  # type: ignore[return-value]

    return decorate


def _pair(item: str) -> tuple[str, str]:
    key, _, value = item.partition("=")  # cli/typer_base.py's PairType: "KEY=VALUE"
    return key, value


@dataclass(frozen=True)
class Prepared:
    start: SessionStart
    tools: ToolOptions
    connection: ConnectionOptions
    template: Template | None


def apply_template(
    state: AppState,
    options: PromptOptions,
    start: SessionStart,
    tools: ToolOptions,
    connection: ConnectionOptions,
) -> Prepared:
    """The command's settings with template ``-t`` under its flags, and its fragments read."""
    template, start, connection = _layered(state, options, start, connection)
    if template is not None:
        tools = _template_tools(tools, template)
    return Prepared(start, tools, connection, template)


def apply_job_template(
    state: AppState,
    options: PromptOptions,
    start: SessionStart,
    connection: ConnectionOptions,
) -> tuple[SessionStart, ConnectionOptions, Template | None]:
    """``apply_template`` for ``bg start``, which sends no tools or attachments: a template
    that has some is a usage error rather than a job that silently goes without them."""
    from azresp_cli.core.errors import UsageError

    template, start, connection = _layered(state, options, start, connection)
    if template is not None and (template.attachments or any(template.tools.values())):
        raise UsageError(
            f"template '{template.name}' uses tools or attachments, which bg start does not send",
            hint=f"run it as a background turn of chat: azresp chat -t {template.name} "
            "--background ...",
        )
    return start, connection, template


def _layered(
    state: AppState,
    options: PromptOptions,
    start: SessionStart,
    connection: ConnectionOptions,
) -> tuple[Template | None, SessionStart, ConnectionOptions]:
    from azresp_cli.core.templates import load_template

    template = load_template(state.env.config_dir, options.template) if options.template else None
    params = dict(options.params)
    fragments = list(options.fragments)
    system_fragments = list(options.system_fragments)
    if template is not None:
        start = replace(start, template=template.option_layer(params))
        connection = replace(connection, model=connection.model or template.model)
        fragments = fragments or list(template.fragments)
        system_fragments = system_fragments or list(template.system_fragments)
    loaded = _load_fragments(state, fragments, system_fragments)
    return template, replace(start, fragments=loaded), connection


def template_prompt(
    template: Template | None, options: PromptOptions, prompt: str | None
) -> str | None:
    """The prompt to send: the template's, filled with ``prompt`` as $input."""
    if template is None:
        return prompt
    return template.prompt_for(prompt, dict(options.params))


def save_from_flags(
    state: AppState,
    options: PromptOptions,
    prepared: Prepared,
    prompt: str | None,
) -> Path:
    """Write template ``--save NAME`` from the command line (over ``-t``'s values)."""
    from azresp_cli.core.fragments import is_url
    from azresp_cli.core.templates import Template, check_name, save_template
    from azresp_cli.core.turn_options import spec_of

    name = options.save or ""
    check_name(name)
    base = prepared.template or Template(name)
    values = dict(base.options)
    schema_text, multi = base.schema, base.schema_multi
    for option, value in prepared.start.flags.items():
        if option == "schema":
            schema_text, multi = value.source, value.multi
        elif key := spec_of(option).profile:
            values[key] = getattr(value, "value", value)
    cwd = Path.cwd()
    flags = prepared.tools.flags

    def absolute(items: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        return tuple(i if is_url(i) or "=" in i else str((cwd / i).resolve()) for i in items)

    def fragment_paths(items: tuple[str, ...]) -> tuple[str, ...]:
        # A file, wherever the template is used from; a URL, an alias or "-" as given.
        return tuple(
            str((cwd / Path(i).expanduser()).resolve())
            if not is_url(i) and i != "-" and (cwd / Path(i).expanduser()).is_file()
            else i
            for i in items
        )

    tool_values = {
        "functions": absolute(flags.tool_files),
        "modules": tuple(flags.tool_modules),
        "mcp": tuple(flags.mcp),
        "mcp_local": tuple(flags.mcp_local),  # NAME=COMMAND, or a configured NAME
        "web_search": flags.web_search,
        "allow_domains": tuple(flags.allow_domains),
        "code": flags.code_interpreter,
        "image": flags.image_generation,
    }
    template = Template(
        name=name,
        prompt=prompt if prompt is not None else base.prompt,
        model=prepared.connection.model,
        options=values,
        schema=schema_text,
        schema_multi=multi,
        attachments=absolute(prepared.tools.attach),
        fragments=fragment_paths(options.fragments) or base.fragments,
        system_fragments=fragment_paths(options.system_fragments) or base.system_fragments,
        tools=tool_values,
        defaults={**base.defaults, **dict(options.params)},
    )
    return save_template(state.env.config_dir, template)


def _template_tools(tools: ToolOptions, template: Template) -> ToolOptions:
    flags = tools.flags
    given = template.tools
    flags = replace(
        flags,
        tool_files=flags.tool_files or tuple(given.get("functions", ())),
        tool_modules=flags.tool_modules or tuple(given.get("modules", ())),
        mcp=flags.mcp or tuple(given.get("mcp", ())),
        mcp_local=flags.mcp_local or tuple(given.get("mcp_local", ())),
        web_search=flags.web_search or bool(given.get("web_search")),
        allow_domains=flags.allow_domains or tuple(given.get("allow_domains", ())),
        code_interpreter=flags.code_interpreter or bool(given.get("code")),
        image_generation=flags.image_generation or bool(given.get("image")),
    )
    return replace(tools, attach=tools.attach or template.attachments, flags=flags)


def _load_fragments(
    state: AppState, fragments: list[str], system_fragments: list[str]
) -> tuple[FragmentUse, ...]:
    from azresp_cli.core.errors import UsageError
    from azresp_cli.core.fragments import load_fragment

    env = state.env
    if (fragments + system_fragments).count("-") > 1:
        raise UsageError("stdin can be only one fragment ('-' given twice)")
    if "-" in fragments + system_fragments and env.stdin_isatty:
        raise UsageError("fragment '-' reads stdin, but nothing is piped", hint="pipe the text")

    def load(spec: str, system: bool) -> FragmentUse:
        return load_fragment(
            spec, config_dir=env.config_dir, read_stdin=env.stdin.read, system=system
        )

    return tuple(
        [load(spec, False) for spec in fragments] + [load(spec, True) for spec in system_fragments]
    )
