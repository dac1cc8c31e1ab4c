"""The command tree.

Importing this must stay cheap: no openai, azure.identity, prompt_toolkit or rich.markdown.
"""

from __future__ import annotations

from typing import Annotated

import typer

from azresp_cli.cli import (
    auth_cmd,
    batch,
    bg,
    chat,
    compact,
    completion,
    config_cmd,
    doctor,
    emulator,
    files,
    fragments_cmd,
    history,
    responses,
    templates_cmd,
)
from azresp_cli.cli.connection import with_root_connection
from azresp_cli.cli.state import app_state
from azresp_cli.cli.typer_base import AzrespTyper

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

app = AzrespTyper(
    name="azresp",
    help=ROOT_HELP,
    invoke_without_command=True,  # `azresp` alone prints GETTING_STARTED
    pretty_exceptions_enable=False,  # its tracebacks can show locals, api keys among them
    # Completion is ours (cli/completion.py): static scripts rendered from the command tree.
    add_completion=False,
    # Plain click help (AzrespTyper's default): rich help imports rich.markdown and costs
    # start-up time on every --help; cli/typer_base.py groups the options by panel itself.
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from azresp_cli import __version__

        typer.echo(f"azresp {__version__}")
        raise typer.Exit()


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
            callback=completion.install_completion_option,
            is_eager=True,
            expose_value=False,
            help="Install Tab completion for your shell, then exit.",
        ),
    ] = False,
    show_completion: Annotated[
        bool,
        typer.Option(
            "--show-completion",
            callback=completion.show_completion_option,
            is_eager=True,
            expose_value=False,
            help="Print the Tab-completion script for your shell, then exit.",
        ),
    ] = False,
) -> None:
    if ctx.invoked_subcommand is None:
        from azresp_cli import __version__

        app_state(ctx).env.stdout.write(GETTING_STARTED.format(version=__version__))


app.command("chat", short_help="Ask once, or chat in a session (no PROMPT on a terminal).")(
    chat.chat
)
app.command("get")(responses.get)
app.command("items", short_help="List the input items of a stored response.")(responses.items)
app.command("delete")(responses.delete)
app.command("doctor", short_help="Check the connection step by step; say what to fix.")(
    doctor.doctor
)
app.command("emulator", short_help="Run the local emulator of the Responses API.")(
    emulator.emulator
)
app.command("completion", short_help="Print or install the Tab-completion script for a shell.")(
    completion.completion
)
app.add_typer(auth_cmd.auth_app, name="auth")
app.add_typer(config_cmd.config_app, name="config")
app.add_typer(files.files_app, name="files", short_help="Upload, list, download and delete files.")
app.add_typer(history.history_app, name="history", epilog=HISTORY_EXAMPLES)
app.add_typer(templates_cmd.templates_app, name="templates", epilog=TEMPLATES_EXAMPLES)
app.add_typer(fragments_cmd.fragments_app, name="fragments", epilog=FRAGMENTS_EXAMPLES)
app.add_typer(
    batch.batch_app,
    name="batch",
    short_help="Many prompts at once: submit, status, fetch, list, cancel, run --live.",
)
app.command("compact", short_help="Compact a conversation's context on the service.")(
    compact.compact
)
app.add_typer(
    bg.bg_app,
    name="bg",
    short_help="Background jobs: start, poll, stream, cancel, list.",
    epilog=bg.BG_EXAMPLES,
)
