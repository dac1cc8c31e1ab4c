"""The command tree: the root group, and a static table of the commands under it.

Importing this must stay cheap: no openai, azure.identity, prompt_toolkit or rich.markdown,
and no command module. `COMMANDS` names each command, the module that defines it and the
summary the root help lists; `LazyGroup` imports and converts a command's module only when
that command runs (or its help is asked for), so `azresp --help` and `azresp chat ...` pay for
one command, not for all of them. Adding a command is one `COMMANDS` entry;
tests/setup/test_command_table.py fails if a command module is not in the table or a summary
differs from the command's own.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Annotated, Any

import typer

from azresp_cli.cli.connection import with_root_connection
from azresp_cli.cli.state import app_state
from azresp_cli.cli.typer_base import AzrespGroup, AzrespTyper

ROOT_HELP = """A terminal client for the Azure OpenAI Responses API.

Examples:

\b
  azresp chat --emulator "hello"
  azresp auth login
  azresp doctor
"""

GETTING_STARTED = """\
azresp {version}: a terminal client for the Azure OpenAI Responses API

Try it without Azure (the built-in emulator answers):
  azresp chat --emulator "hello"

Connect to your Azure OpenAI resource:
  azresp auth login           save the endpoint, deployment and api key (or Entra ID)
  azresp doctor               check the connection, step by step
  azresp chat "question"      ask once; `azresp chat` alone starts a chat session

More: azresp --help · azresp COMMAND --help · azresp --install-completion
"""

HISTORY_EXAMPLES = """Examples:

\b
  azresp history list
  azresp history search "postgres vacuum"
"""

TEMPLATES_EXAMPLES = """Examples:

\b
  azresp chat --save brief -s "Answer in one sentence." 'Explain: $input'
  azresp chat -t brief "server-sent events"
"""

FRAGMENTS_EXAMPLES = """Examples:

\b
  azresp fragments set log build.log
  azresp chat -f log "what failed?"
"""


@dataclass(frozen=True)
class Entry:
    """One command under the root: ``module.attribute`` is its function, or its AzrespTyper
    for a group of subcommands."""

    module: str  # under azresp_cli.cli
    attribute: str
    summary: str  # its line in `azresp --help`, and its short help
    epilog: str | None = None  # a group's examples, below its own help ...
    epilog_attribute: str | None = None  # ... or the name of the module's string that has them

    @property
    def is_group(self) -> bool:
        return self.attribute.endswith("_app")


# In the order `azresp --help` lists them.
COMMANDS: dict[str, Entry] = {
    "chat": Entry("chat", "chat", "Ask once, or chat in a session (no PROMPT on a terminal)."),
    "get": Entry("responses", "get", "Print a stored response's answer text."),
    "items": Entry("responses", "items", "List the input items of a stored response."),
    "delete": Entry(
        "responses", "delete", "Delete stored responses; each deletion is reported on stderr."
    ),
    "doctor": Entry("doctor", "doctor", "Check the connection step by step; say what to fix."),
    "emulator": Entry("emulator", "emulator", "Run the local emulator of the Responses API."),
    "completion": Entry(
        "completion", "completion", "Print or install the Tab-completion script for a shell."
    ),
    "compact": Entry("compact", "compact", "Compact a conversation's context on the service."),
    "auth": Entry(
        "auth_cmd", "auth_app", "Save, show or forget the endpoint, deployment and api key."
    ),
    "config": Entry(
        "config_cmd", "config_app", "Read and change settings in the config file, per profile."
    ),
    "files": Entry("files", "files_app", "Upload, list, download and delete files."),
    "mcp": Entry("mcp_cmd", "mcp_app", "Local MCP servers: list their tools."),
    "history": Entry(
        "history",
        "history_app",
        "The local record of conversations and response ids.",
        epilog=HISTORY_EXAMPLES,
    ),
    "templates": Entry(
        "templates_cmd",
        "templates_app",
        "Saved prompts and their options (chat --save, chat -t).",
        epilog=TEMPLATES_EXAMPLES,
    ),
    "fragments": Entry(
        "fragments_cmd",
        "fragments_app",
        "Named pieces of context for chat -f and --sf.",
        epilog=FRAGMENTS_EXAMPLES,
    ),
    "usage": Entry("usage", "usage", "Tokens and cost over time, from the local history."),
    "batch": Entry(
        "batch",
        "batch_app",
        "Many prompts at once: submit, status, fetch, run --live.",
    ),
    "bg": Entry(
        "bg",
        "bg_app",
        "Background jobs: start, poll, stream, cancel, list.",
        epilog_attribute="BG_EXAMPLES",
    ),
}


@functools.cache
def load_command(name: str) -> Any:
    """The click command (or group) ``name`` of `COMMANDS`: its module imported, then
    converted by Typer alone, once per process (a click command keeps no state between
    invocations; in-process callers such as the tests run many)."""
    import importlib

    from typer.main import get_command

    entry = COMMANDS[name]
    module = importlib.import_module(f"azresp_cli.cli.{entry.module}")
    target = getattr(module, entry.attribute)
    holder = AzrespTyper(add_completion=False)
    holder.callback()(_nothing)  # a group, even with one command in it
    if entry.is_group:
        epilog = entry.epilog
        if entry.epilog_attribute is not None:
            epilog = getattr(module, entry.epilog_attribute)
        holder.add_typer(target, name=name, short_help=entry.summary, epilog=epilog)
    else:
        holder.command(name, short_help=entry.summary)(target)
    group: Any = get_command(holder)
    return group.commands[name]


def _nothing() -> None:
    """The holder group's callback; never runs."""


class LazyGroup(AzrespGroup):
    """The root group: lists `COMMANDS` without importing them; loads the one that runs."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.commands[cmd_name] = load_command(cmd_name)
        return self.commands.get(cmd_name)

    def load_all(self) -> LazyGroup:
        """Every command loaded (completion scripts and tests walk the whole tree)."""
        for name in COMMANDS:
            self.get_command(None, name)
        return self

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        # As click's own, without loading a command for its short help.
        from typer._click.utils import make_default_short_help

        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [
            (name, make_default_short_help(entry.summary, limit))
            for name, entry in COMMANDS.items()
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


app = AzrespTyper(
    name="azresp",
    help=ROOT_HELP,
    cls=LazyGroup,
    invoke_without_command=True,  # `azresp` alone prints GETTING_STARTED
    pretty_exceptions_enable=False,  # its tracebacks can show locals, api keys among them
    # Completion is ours (cli/completion.py): static scripts rendered from the command tree.
    add_completion=False,
    # Plain click help (AzrespTyper's default): rich help imports rich.markdown and costs
    # start-up time on every --help; cli/typer_base.py groups the options by panel itself.
    context_settings={"help_option_names": ["-h", "--help"]},
)


def root_command(*, loaded: bool = False) -> LazyGroup:
    """The root as click runs it; ``loaded``: with every command converted."""
    from typer.main import get_command

    group = get_command(app)
    assert isinstance(group, LazyGroup)
    return group.load_all() if loaded else group


def _version(value: bool) -> None:
    if value:
        from azresp_cli import __version__

        typer.echo(f"azresp {__version__}")
        raise typer.Exit()


def _install_completion(ctx: typer.Context, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        from azresp_cli.cli import completion

        completion.install_completion_option(ctx, value)


def _show_completion(ctx: typer.Context, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        from azresp_cli.cli import completion

        completion.show_completion_option(ctx, value)


@app.callback()
@with_root_connection
def root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
    install_completion: Annotated[
        bool,
        typer.Option(
            "--install-completion",
            callback=_install_completion,
            is_eager=True,
            expose_value=False,
            help="Install Tab completion for your shell, then exit.",
        ),
    ] = False,
    show_completion: Annotated[
        bool,
        typer.Option(
            "--show-completion",
            callback=_show_completion,
            is_eager=True,
            expose_value=False,
            help="Print the Tab-completion script for your shell, then exit.",
        ),
    ] = False,
) -> None:
    if ctx.invoked_subcommand is None:
        from azresp_cli import __version__

        app_state(ctx).env.stdout.write(GETTING_STARTED.format(version=__version__))
