"""``azresp templates list|show|edit|delete|path``: the saved templates (core/templates.py)."""

from __future__ import annotations

import shlex
import subprocess
from typing import Annotated

import typer

from azresp_cli.cli.state import app_state
from azresp_cli.cli.typer_base import AzrespTyper
from azresp_cli.core.errors import UsageError

templates_app = AzrespTyper(
    name="templates",
    help="Saved prompts and their options (chat --save, chat -t).",
    no_args_is_help=True,
)

NAME = typer.Argument(metavar="NAME", help="A template name.", show_default=False)


@templates_app.command("list")
def list_templates(ctx: typer.Context) -> None:
    """List the saved templates, with their prompts.

    Example:

    \b
      azresp templates list
    """
    from azresp_cli.core.templates import load_template, template_names

    env = app_state(ctx).env
    for name in template_names(env.config_dir):
        try:
            template = load_template(env.config_dir, name)
            text = template.prompt or str(template.options.get("system") or "")
        except UsageError as error:
            text = f"(cannot read: {error.message})"
        flat = " ".join(text.split())
        env.stdout.write(f"{name}\t{flat[:60] + '…' if len(flat) > 61 else flat}\n")


@templates_app.command("show")
def show(ctx: typer.Context, name: Annotated[str, NAME]) -> None:
    """Print template NAME's file.

    Example:

    \b
      azresp templates show brief
    """
    from azresp_cli.core.templates import load_template, template_path

    env = app_state(ctx).env
    load_template(env.config_dir, name)  # not found / damaged: said clearly
    env.stdout.write(template_path(env.config_dir, name).read_text(encoding="utf-8"))


@templates_app.command("edit")
def edit(ctx: typer.Context, name: Annotated[str, NAME]) -> None:
    """Edit template NAME in $VISUAL or $EDITOR; the result is checked.

    A new NAME starts from a short example.

    Example:

    \b
      azresp templates edit brief
    """
    from azresp_cli.core.templates import load_template, template_path

    env = app_state(ctx).env
    path = template_path(env.config_dir, name)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_NEW.format(name=name), encoding="utf-8")
    editor = env.variables.get("VISUAL") or env.variables.get("EDITOR") or "vi"
    try:
        subprocess.run([*shlex.split(editor), str(path)], check=False)  # noqa: S603
    except OSError as error:
        raise UsageError(
            f"cannot start the editor '{editor}': {error.strerror or error}",
            hint="set VISUAL or EDITOR",
        ) from None
    load_template(env.config_dir, name)  # say now if the edit broke it
    env.stderr.write(f"template '{name}' is {path}\n")


@templates_app.command("delete")
def delete(ctx: typer.Context, name: Annotated[str, NAME]) -> None:
    """Delete template NAME.

    Example:

    \b
      azresp templates delete brief
    """
    from azresp_cli.core.templates import delete_template

    env = app_state(ctx).env
    path = delete_template(env.config_dir, name)
    env.stderr.write(f"deleted template '{name}' ({path})\n")


@templates_app.command("path")
def path(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(metavar="[NAME]", help="A template name.", show_default=False),
    ] = None,
) -> None:
    """Print the templates' directory, or template NAME's file.

    Example:

    \b
      azresp templates path
    """
    from azresp_cli.core.templates import template_path, templates_dir

    env = app_state(ctx).env
    target = template_path(env.config_dir, name) if name else templates_dir(env.config_dir)
    env.stdout.write(f"{target}\n")


_NEW = """\
# azresp template '{name}': azresp chat -t {name} "..."
# $input is the prompt (or piped stdin); $NAME is --param NAME VALUE.
prompt = "$input"
# system = "You are a careful reviewer."
# effort = "low"
# schema = "title, points list[str]"
"""
