"""The entry point, and the only code that exits.

Commands raise; ``run`` turns whatever they raise into one error line, a hint and an exit code.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from typing import Any

from azresp_cli.cli.connection import StdoutClosed
from azresp_cli.cli.interrupts import noting_interrupts
from azresp_cli.cli.state import AppState
from azresp_cli.core.environment import Environment
from azresp_cli.core.errors import ExitCode, Interrupted, UsageError, classify


def run(argv: list[str], env: Environment) -> int:
    """Run azresp with ``argv`` in ``env``; return the exit code (never raises for user errors)."""
    from azresp_cli.core.environment import text_arguments

    state = AppState(env)
    argv = text_arguments(argv, lambda text: _warn(env, text))
    with noting_interrupts() as interrupted:
        return _run(argv, state, interrupted)


def _run(argv: list[str], state: AppState, interrupted: Callable[[], bool]) -> int:
    import typer
    from typer import _click as click

    from azresp_cli.cli.app import root_command

    try:
        result: Any = root_command().main(
            args=argv, prog_name="azresp", standalone_mode=False, obj=state
        )
        return int(result) if isinstance(result, int) else ExitCode.OK
    except click.exceptions.ClickException as exc:
        from azresp_cli.render.errors import print_error

        with contextlib.suppress(BrokenPipeError):
            print_error(state.env, _click_error(exc))
        return ExitCode.USAGE if exc.exit_code == 2 else exc.exit_code
    except typer.Abort:
        return ExitCode.INTERRUPTED
    except (BrokenPipeError, StdoutClosed):
        _silence_stdout()
        return ExitCode.OK
    except BaseException as exc:
        if isinstance(exc, SystemExit):
            raise
        if interrupted():  # Ctrl-C, whatever a library made of it (cli/interrupts.py)
            return ExitCode.INTERRUPTED
        return _report(exc, state)


def _click_error(exc: Any) -> UsageError:
    """A usage error of click's in azresp's own words: ``error:`` and ``hint:``, no "Usage:"
    block and no "Value error," (what a parser callback's ValueError turned into)."""
    message = str(exc.format_message()).replace("Value error, ", "").rstrip(".")
    if message[:1].isupper() and message[1:2].islower():
        message = message[0].lower() + message[1:]
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else "azresp"
    return UsageError(message, hint=f"see `{command} --help`")


def _report(exc: BaseException, state: AppState) -> int:
    from azresp_cli.render.errors import print_error

    error = classify(exc)
    if isinstance(error, Interrupted):
        # The writer already marked the partial answer; a second line would only repeat it.
        return error.exit_code
    with contextlib.suppress(BrokenPipeError):
        print_error(state.env, error, debug=state.debug, exception=exc if state.debug else None)
    return error.exit_code


def _warn(env: Environment, text: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        env.stderr.write(f"warning: {text}\n")
        env.stderr.flush()


def _silence_stdout() -> None:
    # As pip does: point stdout at devnull so the interpreter's final flush cannot fail again.
    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError):
        os.dup2(devnull, sys.stdout.fileno())


# Libraries that would otherwise print on stderr through logging's last-resort handler:
# azure-identity's credential-chain dump before a sign-in error, asyncio's "socket.send()
# raised exception." after a closed pipe, the in-process emulator's uvicorn. Python warnings
# (pydantic's 30-line serializer dump on an unexpected field) go the same way. --debug
# shows them all (core/debug_log.py); `azresp emulator` keeps its server log (cli/emulator.py).
QUIET_LOGGERS = ("azure", "asyncio", "uvicorn", "py.warnings")


def quiet_libraries() -> None:
    import logging

    logging.captureWarnings(True)
    for name in QUIET_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())


def main() -> None:
    """Console-script entry point."""
    from azresp_cli.cli import startup_gc

    startup_gc.pause()
    quiet_libraries()
    code = run(sys.argv[1:], Environment.from_process())
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    settle_background_work()
    sys.exit(code)


# Modules whose threads may be inside OpenSSL (without the GIL) while a command ends: each has
# a `settle()` that leaves none there. OpenSSL frees its state in an exit handler, and a thread
# still inside it then crashes the process (SIGSEGV) after the command succeeded.
SETTLED_AT_EXIT = (
    "azresp_cli.core.early_connection",
    "azresp_cli.core.client_prep",
    "azresp_cli.repl.start",
)


def settle_background_work() -> None:
    for name in SETTLED_AT_EXIT:
        module = sys.modules.get(name)  # not imported: it started nothing
        if module is not None:
            with contextlib.suppress(Exception):
                module.settle()
