"""The chat session's /schema, /template and /fragment (the structured-output and template
commands; registered in ``slash.COMMANDS`` like the others)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from azresp_cli.core.errors import UsageError
from azresp_cli.core.session import ChatSession
from azresp_cli.repl.commands import Next, Outcome, Screen

if TYPE_CHECKING:
    from azresp_cli.core.templates import Template


def _schema(argument: str, session: ChatSession, screen: Screen) -> Outcome | None:
    if argument:
        session.set_option("schema", None if argument.lower() == "off" else argument)
    schema = session.options.schema
    if schema is None:
        screen.info("no schema: answers are text")
    else:
        fields = ", ".join(_fields(schema.schema))
        screen.info(f"schema '{schema.name}': answers are JSON with {fields}")
    return None


def _template(argument: str, session: ChatSession, screen: Screen) -> Outcome | None:
    """``/template NAME [KEY=VALUE ...]``: the template's system prompt, options, schema and
    fragments from now on (its attachments go with the next prompt; tools need ``chat -t``).
    Its prompt, if it has one, takes the next message as ``$input``, or is sent at once when
    it needs no input (as ``azresp chat -t NAME`` does). ``/template off`` drops a prompt
    still waiting for its input."""
    from azresp_cli.core.attachments import check_total, load_attachment
    from azresp_cli.core.fragments import load_fragment
    from azresp_cli.core.templates import load_template

    if argument.lower() == "off":
        return Outcome(drop_fill=True)  # the settings stay; a waiting prompt is dropped
    name, params = _template_call(argument)
    config_dir = _config_dir(session)
    template = load_template(config_dir, name)
    # Everything is checked before anything changes: a missing parameter leaves all as it was.
    options = session.options.changed(**template.option_layer(params))
    template.check_params(params)  # names a missing parameter
    fragments = [
        load_fragment(spec, config_dir=config_dir, read_stdin=_no_stdin, system=system)
        for spec, system in [(f, False) for f in template.fragments]
        + [(f, True) for f in template.system_fragments]
    ]
    attachments = [
        load_attachment(path, code_interpreter=session.tools.config.code_interpreter)
        for path in template.attachments
    ]
    check_total([*session.pending, *attachments])
    session.options = options
    if template.model:
        session.set_model(template.model)
    session.fragments.extend(fragments)
    session.pending.extend(attachments)  # with the next prompt, as /attach does
    if any(template.tools.values()):
        screen.info(
            f"template '{name}' has tools, which /template does not turn on: "
            f"start the session with azresp chat -t {name} for them"
        )
    if template.prompt is None:
        screen.info(f"template '{name}' applied")
        return None
    if not template.needs_input:
        screen.info(f"template '{name}' applied; its prompt needs no input, so it is sent now")
        return Outcome(Next.ASK, template.prompt_for(None, params) or "")
    screen.info(f"template '{name}' applied; your next message is its $input")
    return Outcome(fill_next=input_filler(template, params))


def input_filler(template: Template, params: Mapping[str, str]) -> Callable[[str], str]:
    """What makes a typed message into ``template``'s prompt, as its ``$input``."""
    import functools

    return functools.partial(_fill_input, template, dict(params))


def _fill_input(template: Template, params: Mapping[str, str], text: str) -> str:
    return template.prompt_for(text, params) or text


def _template_call(argument: str) -> tuple[str, dict[str, str]]:
    """``NAME KEY=VALUE ...`` (shell quoting: ``lang='Old Norse'``) as the name and params."""
    import shlex

    try:
        words = shlex.split(argument)
    except ValueError as error:
        raise UsageError(f"/template: {error}", hint="/template NAME [KEY=VALUE ...]") from None
    params: dict[str, str] = {}
    for word in words[1:]:
        key, equals, value = word.partition("=")
        if not equals or not key.isidentifier():
            raise UsageError(
                f"/template: '{word}' is not KEY=VALUE", hint="/template NAME [KEY=VALUE ...]"
            )
        params[key] = value
    return words[0], params


def _fragment(argument: str, session: ChatSession, screen: Screen) -> Outcome | None:
    from azresp_cli.core.fragments import load_fragment

    if argument:
        fragment = load_fragment(
            argument, config_dir=_config_dir(session), read_stdin=_no_stdin, cwd=Path.cwd()
        )
        session.fragments.append(fragment)
        size = len(fragment.content)
        screen.info(f"fragment {argument} ({size} characters) goes with the next prompt")
    elif session.fragments:
        screen.info("next prompt's fragments: " + ", ".join(f.source for f in session.fragments))
    else:
        screen.info("no fragments for the next prompt; /fragment PATH|URL|NAME adds one")
    return None


def _fields(schema: object) -> list[str]:
    properties = schema.get("properties", {}) if isinstance(schema, dict) else {}
    return list(properties) or ["no fields"]


def _config_dir(session: ChatSession) -> Path:
    if session.config_dir is None:
        raise UsageError("templates and fragments need the config directory")
    return session.config_dir


def _no_stdin() -> str:
    raise UsageError("'-' (stdin) is not a fragment in the chat session", hint="give a file")
