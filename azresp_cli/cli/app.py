"""The command tree.

Importing this must stay cheap: no openai, azure.identity, prompt_toolkit or rich.markdown.
"""

from __future__ import annotations

from typing import Annotated

import typer

from azresp_cli import __version__
from azresp_cli.cli import auth_cmd, chat, config_cmd, doctor, emulator, history, responses

app = typer.Typer(
    name="azresp",
    help="A terminal client for the Azure OpenAI Responses API.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,  # its tracebacks can show locals, api keys among them
    add_completion=False,
    # Plain click help: rich help imports rich.markdown and costs start-up time on every --help.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"azresp {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Chat with, script and inspect Azure OpenAI Responses API deployments.

    Try it offline first: azresp chat --emulator "hello"
    """


app.command("chat")(chat.chat)
app.command("get")(responses.get)
app.command("items")(responses.items)
app.command("delete")(responses.delete)
app.command("emulator")(emulator.emulator)
app.command("doctor")(doctor.doctor)
app.add_typer(history.history_app, name="history")
app.add_typer(auth_cmd.auth_app, name="auth")
app.add_typer(config_cmd.config_app, name="config")
