"""The connection options every service command accepts, and opening the connection.

Typer has no reusable option groups, so ``with_connection`` adds the same parameters to each
command's signature and hands the command one ``ConnectionOptions`` value instead.
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from azresp_cli.cli import startup_gc
from azresp_cli.cli.state import AppState, app_state
from azresp_cli.core.auth_method import AuthMethod

if TYPE_CHECKING:
    from openai import OpenAI

    from azresp_cli.core.config import Settings

CONNECTION_PANEL = "Connection"
EMULATOR_STATE_DIR = "emulator"  # under the data dir: what --emulator keeps between commands


class StdoutClosed(Exception):
    """The reader of stdout went away (``azresp chat ... | head -1``)."""


@dataclass(frozen=True)
class ConnectionOptions:
    endpoint: str | None
    model: str | None
    auth: AuthMethod | None
    profile: str | None
    emulator: bool
    timeout: float | None
    debug: bool = False
    # The global flags, as given before or after the command word (cli/typer_base.py).
    no_color: bool = False
    quiet: bool = False


_PARAMETERS = [
    inspect.Parameter(
        "endpoint",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[
            str | None,
            typer.Option(
                "--endpoint",
                metavar="URL",
                help="Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]",
                rich_help_panel=CONNECTION_PANEL,
                show_default=False,
            ),
        ],
    ),
    inspect.Parameter(
        "model",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[
            str | None,
            typer.Option(
                "--model",
                "-m",
                metavar="DEPLOYMENT",
                help="Deployment name [env: AZURE_OPENAI_DEPLOYMENT]",
                rich_help_panel=CONNECTION_PANEL,
                show_default=False,
            ),
        ],
    ),
    inspect.Parameter(
        "auth",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[
            AuthMethod | None,
            typer.Option(
                "--auth",
                help="auto: api key if set, else Entra ID; key; cli; env; mi; dac",
                rich_help_panel=CONNECTION_PANEL,
                show_default=False,
                case_sensitive=False,
            ),
        ],
    ),
    inspect.Parameter(
        "profile",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[
            str | None,
            typer.Option(
                "--profile",
                metavar="NAME",
                help="Profile from the config file [env: AZRESP_PROFILE]",
                rich_help_panel=CONNECTION_PANEL,
                show_default=False,
            ),
        ],
    ),
    inspect.Parameter(
        "emulator",
        inspect.Parameter.KEYWORD_ONLY,
        default=False,
        annotation=Annotated[
            bool,
            typer.Option(
                "--emulator",
                help="Use the built-in local emulator instead of Azure",
                rich_help_panel=CONNECTION_PANEL,
            ),
        ],
    ),
    inspect.Parameter(
        "timeout",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[
            float | None,
            typer.Option(
                "--timeout",
                metavar="SECONDS",
                help="Seconds to wait for the service (default 600)",
                rich_help_panel=CONNECTION_PANEL,
                show_default=False,
                min=0.001,
            ),
        ],
    ),
]
_NAMES = [p.name for p in _PARAMETERS]

F = TypeVar("F", bound=Callable[..., Any])


def with_connection(command: F) -> F:
    """Give ``command`` the connection options; it receives them as ``connection=``."""
    signature = inspect.signature(command, eval_str=True)
    own = [p for name, p in signature.parameters.items() if name != "connection"]

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = kwargs.get("ctx")
        state = app_state(ctx) if ctx is not None else None
        options = ConnectionOptions(
            **{name: kwargs.pop(name) for name in _NAMES},
            debug=bool(state and state.debug),
            no_color=bool(state and "NO_COLOR" in state.env.variables),
            quiet=bool(state and state.quiet),
        )
        try:
            return command(*args, connection=options, **kwargs)
        except BrokenPipeError:
            # Typer turns a broken pipe into exit 1; a reader that stopped early (| head) is
            # not a failure, so cli.main gets it as its own kind.
            raise StdoutClosed from None

    combined = signature.replace(parameters=[*own, *_PARAMETERS])
    wrapper.__signature__ = combined  # type: ignore[attr-defined]
    # Typer also reads typing.get_type_hints(wrapper): given the evaluated annotations, it does
    # not compile and evaluate each string annotation again (milliseconds on every --help).
    wrapper.__annotations__ = {p.name: p.annotation for p in combined.parameters.values()}
    return wrapper  # type: ignore[return-value]


def with_root_connection(callback: F) -> F:
    """Give the root callback the connection options: ``azresp --emulator chat hi``. They are
    kept in the AppState; the command's own fill from them (cli/typer_base.py)."""
    signature = inspect.signature(callback, eval_str=True)

    @functools.wraps(callback)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        given = {name: kwargs.pop(name) for name in _NAMES}
        app_state(kwargs["ctx"]).root_connection = {k: v for k, v in given.items() if v}
        return callback(*args, **kwargs)

    combined = signature.replace(parameters=[*signature.parameters.values(), *_PARAMETERS])
    wrapper.__signature__ = combined  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in combined.parameters.values()}
    return wrapper  # type: ignore[return-value]


class Connection:
    """Settings now; the openai client on first use, so the REPL can build it in a background
    thread while the user types (importing openai costs about half a second)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._client: OpenAI | None = None
        self._lock = threading.Lock()
        self._early = False

    def connect_early(self) -> None:
        """Open the connection to the endpoint while openai imports, for the client's first
        request (core/early_connection.py): for a command about to send one."""
        from azresp_cli.core.client import connect_early

        self._early = True
        connect_early(self.settings)

    @property
    def client(self) -> OpenAI:
        with self._lock:
            if self._client is None:
                from azresp_cli.core.client import make_client

                self._client = make_client(self.settings)
                startup_gc.resume()
            return self._client

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
            if self._early:  # opened but never taken by the client: closed, not leaked
                from azresp_cli.core.early_connection import discard_pending

                discard_pending()


@contextmanager
def open_connection(state: AppState, options: ConnectionOptions) -> Iterator[Connection]:
    """Resolve settings (starting the emulator for --emulator); the client comes on demand."""
    with ExitStack() as stack:
        emulator_url = None
        if options.emulator:
            from azresp_cli.emulator.runner import start_in_thread

            # Its responses, background jobs and signing secret are kept in the data dir, so
            # the next command (`get`, `bg poll`, `chat -c`) finds them (emulator/persistence).
            try:
                running = start_in_thread(state_dir=state.env.data_dir / EMULATOR_STATE_DIR)
            except OSError as exc:  # an unwritable data dir: it still works, for this command
                from azresp_cli.core.data_dir import report_unwritable

                def warn(text: str) -> None:
                    state.env.stderr.write(f"warning: {text}\n")

                report_unwritable(state.env.data_dir, exc.strerror or str(exc), warn)
                running = start_in_thread()
            emulator_url = stack.enter_context(running).base_url
        from azresp_cli.core.config import ConnectionFlags, resolve_settings

        settings = resolve_settings(
            ConnectionFlags(
                endpoint=options.endpoint,
                model=options.model,
                auth=options.auth,
                profile=options.profile,
                timeout=options.timeout,
                debug=options.debug,
                emulator_url=emulator_url,
            ),
            state.env,
        )
        connection = Connection(settings)
        stack.callback(connection.close)
        yield connection
