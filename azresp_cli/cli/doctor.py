"""``azresp doctor``: check config, endpoint, network, credential and deployment, step by step."""

from __future__ import annotations

from contextlib import ExitStack
from typing import Annotated

import typer

from azresp_cli.cli.connection import ConnectionOptions, with_connection
from azresp_cli.cli.state import app_state


@with_connection
def doctor(
    ctx: typer.Context,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print every check as one JSON document.")
    ] = False,
    *,
    connection: ConnectionOptions,
) -> int:
    """Check the connection step by step; say how to fix the first failure.

    Config file, endpoint, DNS, TCP, TLS, credential (which one produced a token, and how
    fast), a minimal request to the deployment (region and request id), then whether the
    preview features answer. Exit status: that of the first failed check, else 0.

    Examples:

    \b
      azresp doctor
      azresp doctor --emulator
      azresp doctor --json | jq -r '.checks[] | select(.status != "ok") | .name'
    """
    from azresp_cli.core.config import ConnectionFlags
    from azresp_cli.core.doctor import run_checks
    from azresp_cli.core.doctor_report import exit_code_of
    from azresp_cli.render.doctor import DoctorPrinter, doctor_json

    state = app_state(ctx)
    env = state.env
    with ExitStack() as stack:
        emulator_url = None
        if connection.emulator:
            from azresp_cli.emulator.runner import start_in_thread

            emulator_url = stack.enter_context(start_in_thread()).base_url
        flags = ConnectionFlags(
            endpoint=connection.endpoint,
            model=connection.model,
            auth=connection.auth,
            profile=connection.profile,
            timeout=connection.timeout,
            debug=connection.debug,
            emulator_url=emulator_url,
        )
        printer = None if json_output else DoctorPrinter(env, quiet=state.quiet)
        checks = []
        for check in run_checks(flags, env):
            checks.append(check)
            if printer is not None:
                printer.check(check)
    code = exit_code_of(checks)
    if printer is not None:
        printer.finish(checks)
    else:
        env.stdout.write(doctor_json(checks, code) + "\n")
    return code
