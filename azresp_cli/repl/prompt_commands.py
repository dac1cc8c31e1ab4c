"""The chat session's /schema, /template and /fragment (the structured-output and template
commands; registered in ``slash.COMMANDS`` like the others)."""

from __future__ import annotations

from pathlib import Path

from azresp_cli.core.errors import UsageError
from azresp_cli.core.session import ChatSession
from azresp_cli.repl.commands import Outcome, Screen


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
    from azresp_cli.core.fragments import load_fragment
    from azresp_cli.core.templates import load_template

    config_dir = _config_dir(session)
    template = load_template(config_dir, argument)
    session.options = session.options.changed(**template.option_layer(template.defaults))
    if template.model:
        session.set_model(template.model)
    for spec, system in [(f, False) for f in template.fragments] + [
        (f, True) for f in template.system_fragments
    ]:
        session.fragments.append(
            load_fragment(spec, config_dir=config_dir, read_stdin=_no_stdin, system=system)
        )
    note = " (its prompt is for `azresp chat -t`; here you type the prompts)"
    screen.info(f"template '{argument}' applied" + (note if template.prompt else ""))
    return None


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
