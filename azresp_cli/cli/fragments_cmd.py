"""``azresp fragments set|list|remove``: named fragments for ``chat -f NAME``.

The names live in ``fragments.toml`` in the config dir (core/fragments.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from azresp_cli.cli.state import app_state
from azresp_cli.cli.typer_base import AzrespTyper
from azresp_cli.core.errors import NotFoundError

fragments_app = AzrespTyper(
    name="fragments",
    help="Named pieces of context for chat -f and --sf.",
    no_args_is_help=True,
)

ALIAS = typer.Argument(metavar="NAME", help="The alias.", show_default=False)


@fragments_app.command("set")
def set_alias(
    ctx: typer.Context,
    alias: Annotated[str, ALIAS],
    target: Annotated[
        str, typer.Argument(metavar="PATH|URL", help="A text file or a URL.", show_default=False)
    ],
) -> None:
    """Name a file or a URL, for chat -f NAME.

    A file is kept as its absolute path.

    Example:

    \b
      azresp fragments set log build.log
    """
    from azresp_cli.core.fragments import set_alias as store

    env = app_state(ctx).env
    stored = store(env.config_dir, alias, target, cwd=Path.cwd())
    env.stderr.write(f"fragment '{alias}' is {stored}\n")


@fragments_app.command("list")
def list_aliases(ctx: typer.Context) -> None:
    """The named fragments: name, then path or URL.

    Example:

    \b
      azresp fragments list
    """
    from azresp_cli.core.fragments import aliases

    env = app_state(ctx).env
    for name, target in sorted(aliases(env.config_dir).items()):
        env.stdout.write(f"{name}\t{target}\n")


@fragments_app.command("remove")
def remove(ctx: typer.Context, alias: Annotated[str, ALIAS]) -> None:
    """Forget a name (the file itself stays).

    Example:

    \b
      azresp fragments remove log
    """
    from azresp_cli.core.fragments import remove_alias

    env = app_state(ctx).env
    if not remove_alias(env.config_dir, alias):
        raise NotFoundError(f"no fragment named '{alias}'", hint="`azresp fragments list`")
    env.stderr.write(f"removed fragment '{alias}'\n")
