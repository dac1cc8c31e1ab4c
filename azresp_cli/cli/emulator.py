"""``azresp emulator``: run the local Responses API emulator in the foreground."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from azresp_cli.cli.state import app_state
from azresp_cli.core.environment import Environment
from azresp_cli.core.errors import UsageError


def emulator(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (loopback unless --allow-remote).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port (0: any free one).", min=0)] = 8000,
    allow_remote: Annotated[
        bool,
        typer.Option(
            "--allow-remote",
            help="Allow a non-loopback --host (no real auth!); its MCP client then calls "
            "loopback servers only.",
        ),
    ] = False,
    mcp_any_host: Annotated[
        bool,
        typer.Option(
            "--mcp-any-host",
            help="With --allow-remote, let the MCP client call servers at any URL a request "
            "names, not only loopback ones.",
        ),
    ] = False,
    api_key: Annotated[
        str | None,
        typer.Option(
            "--api-key",
            help="Accept only this key (default: any non-empty key). @FILE reads it from a "
            "file, env:NAME from a variable; AZRESP_EMULATOR_API_KEY sets it too (out of `ps`).",
            show_default=False,
        ),
    ] = None,
    state_dir: Annotated[
        Path | None,
        typer.Option(
            "--state",
            metavar="DIR",
            help="Keep stored responses and background jobs in DIR across restarts "
            "(default: in memory).",
            file_okay=False,
            show_default=False,
        ),
    ] = None,
    no_compact: Annotated[
        bool,
        typer.Option(
            "--no-compact",
            help="Answer /responses/compact with 404, as an Azure resource may.",
        ),
    ] = False,
    rpm: Annotated[
        int | None,
        typer.Option(
            "--rpm",
            metavar="N",
            help="Requests per minute: the budget of the x-ratelimit-* headers, and at most N "
            "requests a minute on /responses (429 beyond), counted over 1-second windows as "
            "Azure does.",
            min=1,
            show_default=False,
        ),
    ] = None,
    tpm: Annotated[
        int,
        typer.Option("--tpm", help="Tokens per minute before a 429 (input + max output).", min=1),
    ] = 10_000_000,
) -> None:
    """Run the built-in emulator of the Azure OpenAI Responses API until Ctrl-C.

    It prints its base URL on stdout; point azresp or any openai SDK client at it.

    Its MCP client connects to whatever server_url a request's MCP tool names: on
    loopback only you can send it requests; with --allow-remote anyone who reaches it
    can, so it then calls loopback MCP servers only, unless --mcp-any-host.

    Examples:

      azresp emulator --port 8000

      AZURE_OPENAI_ENDPOINT=http://127.0.0.1:8000 AZURE_OPENAI_API_KEY=x \\
        AZURE_OPENAI_DEPLOYMENT=emulator azresp chat "hi"
    """
    from azresp_cli.emulator.runner import EmulatorConfig, NonLoopbackHostError, serve

    env = app_state(ctx).env
    _server_log(env)
    api_key = api_key or env.variables.get("AZRESP_EMULATOR_API_KEY") or None
    if api_key:
        from azresp_cli.core.secret_value import secret_value

        api_key = secret_value(api_key, env.variables, flag="--api-key")
    config = EmulatorConfig(
        api_keys=frozenset({api_key}) if api_key else None,
        supports_compact=not no_compact,
        rate_limit_rpm=rpm,
        rate_window=1.0,
        # A remote client must not make the emulator call into the emulator's own network.
        mcp_targets="loopback" if allow_remote and not mcp_any_host else "any",
        rate_limit_requests=rpm or EmulatorConfig.rate_limit_requests,
        rate_limit_tokens=tpm,
    )

    def ready(base_url: str) -> None:
        env.stdout.write(base_url + "\n")
        env.stdout.flush()
        env.stderr.write("emulator running; Ctrl-C stops it\n")
        env.stderr.flush()

    try:
        serve(host, port, config, allow_remote=allow_remote, on_ready=ready, state_dir=state_dir)
    except NonLoopbackHostError as exc:
        raise UsageError(str(exc), hint="pass --allow-remote to listen beyond loopback") from None
    except OSError as exc:
        raise UsageError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}",
            hint="choose another --port (0 picks a free one)",
        ) from None


def _server_log(env: Environment) -> None:
    """The emulator's own server log (uvicorn's warnings and errors) on stderr: azresp keeps
    library logging quiet elsewhere (cli/main.py), but here the server is the program."""
    import logging

    logger = logging.getLogger("uvicorn")
    if not any(getattr(h, "azresp_server_log", False) for h in logger.handlers):
        handler = logging.StreamHandler(env.stderr)
        handler.azresp_server_log = True  # type: ignore[attr-defined]
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        logger.addHandler(handler)
