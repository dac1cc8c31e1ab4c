"""``azresp auth login|status|logout``: save a connection and its credential, show it, forget it.

Like ``gh auth login``: on a terminal it asks (the key with hidden input); in a script the key
comes on stdin with ``--with-key``, so it never appears in a process list or shell history.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from azresp_cli.cli.connection import ConnectionOptions, with_connection
from azresp_cli.cli.state import app_state
from azresp_cli.cli.typer_base import AzrespTyper
from azresp_cli.core.config import AuthMethod
from azresp_cli.core.errors import AzrespError, Interrupted, UsageError
from azresp_cli.core.input_files import read_piped

if TYPE_CHECKING:
    from azresp_cli.core.config_file import Change
    from azresp_cli.core.environment import Environment

auth_app = AzrespTyper(
    name="auth",
    help="""Save, show or forget the endpoint, deployment and api key.

    Examples:

    \b
      azresp auth login
      azresp auth status
    """,
    no_args_is_help=True,
)

ProfileOption = Annotated[
    str | None,
    typer.Option(
        "--profile",
        metavar="NAME",
        help="Profile to work on [default: AZRESP_PROFILE, else default_profile, else 'default']",
        show_default=False,
    ),
]
_ENTRA_METHODS = (AuthMethod.DAC, AuthMethod.CLI, AuthMethod.ENV, AuthMethod.MI)
_EMULATOR_PLACEHOLDER = "http://127.0.0.1:0/openai/v1/"
MAX_KEY_CHARS = 100_000  # a key or token is far shorter; /dev/zero piped in is refused


@auth_app.command("login")
def login(
    ctx: typer.Context,
    profile: ProfileOption = None,
    endpoint: Annotated[
        str | None,
        typer.Option(
            "--endpoint", metavar="URL", help="Azure OpenAI resource URL.", show_default=False
        ),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(
            "--model", "-m", metavar="DEPLOYMENT", help="Deployment name.", show_default=False
        ),
    ] = None,
    with_key: Annotated[
        bool, typer.Option("--with-key", help="Read the api key from standard input.")
    ] = False,
    entra: Annotated[
        bool,
        typer.Option("--entra", help="Use Microsoft Entra ID (az login, managed identity ...)."),
    ] = False,
    auth: Annotated[
        AuthMethod | None,
        typer.Option(
            "--auth",
            help="With --entra: which credential (dac: the DefaultAzureCredential chain).",
            show_default=False,
            case_sensitive=False,
        ),
    ] = None,
) -> None:
    """Save an endpoint, deployment and api key (or pick Entra ID).

    On a terminal it asks for what the flags do not give; the key is read without echo and
    stored in the system keyring, or in a file only you can read when there is no keyring.

    Examples:

    \b
      azresp auth login
      printf %s "$AZURE_OPENAI_API_KEY" | azresp auth login --with-key \\
          --endpoint https://contoso.openai.azure.com -m gpt-4.1
      azresp auth login --profile lab --entra --endpoint https://lab.openai.azure.com -m o4-mini
    """
    from azresp_cli.core import config_file

    env = app_state(ctx).env
    if with_key and entra:
        raise UsageError("--with-key and --entra cannot be combined", hint="pick one credential")
    if auth is not None and auth not in _ENTRA_METHODS:
        raise UsageError(
            f"--auth {auth.value} is not an Entra ID credential",
            hint="use dac, cli, env or mi with --entra; --with-key stores an api key",
        )
    interactive = env.stdin_isatty and not with_key
    if not (interactive or with_key or entra):
        raise UsageError(
            "auth login needs a terminal to ask its questions",
            hint='in a script, pipe the key: printf %s "$KEY" | azresp auth login --with-key '
            "--endpoint URL -m DEPLOYMENT (or pass --entra)",
        )
    name = config_file.active_profile_name(env, profile)
    current = config_file.profile_values(env, name)  # a broken file stops us before any question
    ask = _Questions(env) if interactive else None
    endpoint = _endpoint(env, endpoint, current, ask)
    deployment = _deployment(model, current, ask)
    use_entra = entra or auth is not None or (ask is not None and ask.wants_entra(current))
    changes = [
        config_file.Change(name, "endpoint", endpoint),
        config_file.Change(name, "deployment", deployment),
    ]
    if not config_file.profile_names(_config(env)) and name != config_file.DEFAULT_PROFILE_NAME:
        changes.append(config_file.Change(None, "default_profile", name))
    if use_entra:
        _login_entra(env, name, auth or AuthMethod.DAC, changes)
    else:
        api_key = _read_key(env) if with_key else (ask.secret() if ask else "")
        _login_key(env, name, api_key, changes)
    _say(env, "  next: `azresp doctor` checks the connection step by step")


@with_connection
def status(
    ctx: typer.Context,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    *,
    connection: ConnectionOptions,
) -> None:
    """Show the endpoint, deployment and credential a command would use.

    The secret itself is never shown. Exit status 0 when there is a credential to use;
    `azresp doctor` also tries it.

    Examples:

    \b
      azresp auth status
      azresp auth status --profile lab --json | jq -r .credential.source
    """
    from azresp_cli.core.auth import credential_choice
    from azresp_cli.core.config import ConnectionFlags, config_path, resolve_settings

    state = app_state(ctx)
    env = state.env
    flags = ConnectionFlags(
        endpoint=connection.endpoint,
        model=connection.model,
        auth=connection.auth,
        profile=connection.profile,
        # Nothing is contacted here, so the emulator need not run to be described.
        emulator_url=_EMULATOR_PLACEHOLDER if connection.emulator else None,
    )
    try:
        settings = resolve_settings(flags, env)
    except AzrespError as error:
        if "no endpoint" in error.message or "no deployment" in error.message:
            error.hint = f"run `azresp auth login` to save one; {error.hint}"
        raise
    choice = credential_choice(settings)
    stored = _stored_store(env, settings.profile)
    shadowed = bool(stored and settings.api_key_source == "AZURE_OPENAI_API_KEY")
    if json_output:
        payload = {
            "profile": settings.profile,
            "config_path": str(config_path(env)),
            "endpoint": None if connection.emulator else settings.endpoint,
            "deployment": settings.deployment,
            "auth": settings.auth.value,
            "credential": {
                "kind": choice.kind,
                "source": choice.source,
                "description": choice.description,
            },
            "stored_key": stored,
            "env_key_overrides_stored_key": shadowed,
        }
        env.stdout.write(json.dumps(payload, indent=2) + "\n")
        return
    endpoint = "the built-in emulator" if connection.emulator else settings.endpoint
    rows = [
        ("profile", f"{settings.profile or '(none)'}  ({config_path(env)})"),
        ("endpoint", endpoint),
        ("deployment", settings.deployment),
        ("credential", choice.description),
    ]
    env.stdout.write("".join(f"{label:<11} {value}\n" for label, value in rows))
    if shadowed and not connection.quiet:
        _say(
            env,
            f"note: AZURE_OPENAI_API_KEY is set and wins over the key stored for profile "
            f"'{settings.profile}'",
        )
    if choice.kind == "entra_id" and not connection.quiet:
        _say(env, "note: no token was fetched; `azresp doctor` gets one and says how long it took")


auth_app.command("status")(status)


@auth_app.command("logout")
def logout(ctx: typer.Context, profile: ProfileOption = None) -> None:
    """Remove a profile's stored api key; endpoint and deployment stay.

    Example:

    \b
      azresp auth logout --profile lab
    """
    from azresp_cli.core import config_file
    from azresp_cli.core.secrets_store import delete_api_key

    env = app_state(ctx).env
    name = config_file.active_profile_name(env, profile)
    current = config_file.profile_values(env, name)
    removed = delete_api_key(env, name)
    changes = [config_file.Change(name, "key_store", None)]
    if current.get("auth") == AuthMethod.KEY:
        changes.append(config_file.Change(name, "auth", None))
    if "key_store" in current or "auth" in current:
        config_file.apply_changes(env, changes)
    for where in removed:
        _say(env, f"✓ removed the api key of profile '{name}' from {where.location}")
    if not removed:
        _say(env, f"no api key was stored for profile '{name}'")


class _Questions:
    """The interactive part of login: questions on stderr, answers from the terminal."""

    def __init__(self, env: Environment) -> None:
        self._env = env

    def text(self, question: str, default: str | None) -> str:
        suffix = f" [{default}]" if default else ""
        while True:
            self._env.stderr.write(f"{question}{suffix}: ")
            self._env.stderr.flush()
            line = self._env.stdin.readline()
            if not line:  # Ctrl-D
                self._env.stderr.write("\n")
                raise Interrupted("login cancelled")
            answer = line.strip() or (default or "")
            if answer:
                return answer

    def wants_entra(self, current: dict[str, Any]) -> bool:
        entra_now = str(current.get("auth", "")) in {m.value for m in _ENTRA_METHODS}
        self._env.stderr.write(
            "How should azresp authenticate?\n"
            "  1) api key (stored in the system keyring)\n"
            "  2) Microsoft Entra ID (az login, managed identity, environment credentials)\n"
        )
        while True:
            answer = self.text("Choose 1 or 2", "2" if entra_now else "1")
            if answer in {"1", "2"}:
                return answer == "2"

    def secret(self) -> str:
        import getpass

        while True:
            try:
                # getpass reads the terminal itself with echo off; the key is never shown.
                value = getpass.getpass("API key (input hidden): ", stream=self._env.stderr)
            except EOFError:
                self._env.stderr.write("\n")
                raise Interrupted("login cancelled") from None
            if value.strip():
                return value.strip()


def _endpoint(
    env: Environment, flag: str | None, current: dict[str, Any], ask: _Questions | None
) -> str:
    from azresp_cli.core.endpoint import normalize_endpoint

    default = str(current.get("endpoint") or env.variables.get("AZURE_OPENAI_ENDPOINT") or "")
    while True:
        if flag is None and ask is not None:
            value = ask.text("Endpoint (https://RESOURCE.openai.azure.com)", default or None)
        else:
            value = flag or default
        if not value:
            raise UsageError(
                "no endpoint given", hint="pass --endpoint https://RESOURCE.openai.azure.com"
            )
        try:
            normalize_endpoint(value)
        except AzrespError as error:
            if flag is not None or ask is None:
                raise
            env.stderr.write(f"  {error.message}\n  {error.hint}\n")
            continue
        return value


def _deployment(flag: str | None, current: dict[str, Any], ask: _Questions | None) -> str:
    default = str(current.get("deployment") or "")
    if flag:
        return flag
    if ask is not None:
        return ask.text("Deployment name", default or None)
    if default:
        return str(default)
    raise UsageError("no deployment given", hint="pass -m/--model DEPLOYMENT")


def _read_key(env: Environment) -> str:
    if env.stdin_isatty:
        raise UsageError(
            "--with-key reads the key from standard input, which is a terminal",
            hint='pipe it: printf %s "$KEY" | azresp auth login --with-key ...',
        )
    key = read_piped(env.stdin, MAX_KEY_CHARS).strip()
    if not key:
        raise UsageError("--with-key read an empty key from standard input")
    if "\n" in key:
        raise UsageError("--with-key read more than one line; pipe only the key")
    return key


def _login_key(env: Environment, name: str, api_key: str, changes: list[Change]) -> None:
    from azresp_cli.core import config_file
    from azresp_cli.core.redact import register_secret
    from azresp_cli.core.secrets_store import save_api_key

    register_secret(api_key)
    stored = save_api_key(env, name, api_key)
    changes += [
        config_file.Change(name, "auth", AuthMethod.KEY.value),
        config_file.Change(name, "key_store", stored.store.value),
    ]
    path = config_file.apply_changes(env, changes)
    if stored.fallback_reason:
        _say(env, f"✓ api key stored in {stored.location}, readable only by you")
        _say(env, f"  (not in the system keyring: {stored.fallback_reason})")
    else:
        _say(env, f"✓ api key stored in {stored.location}")
    _say(env, f"✓ profile '{name}' saved in {path}")


def _login_entra(env: Environment, name: str, method: AuthMethod, changes: list[Change]) -> None:
    from azresp_cli.core import config_file
    from azresp_cli.core.secrets_store import delete_api_key

    changes += [
        config_file.Change(name, "auth", method.value),
        config_file.Change(name, "key_store", None),
    ]
    path = config_file.apply_changes(env, changes)
    for where in delete_api_key(env, name):
        _say(env, f"✓ removed the old api key of profile '{name}' from {where.location}")
    _say(env, f"✓ profile '{name}' saved in {path}: Microsoft Entra ID ({method.value})")
    if method in (AuthMethod.DAC, AuthMethod.CLI):
        _say(env, "  sign in with `az login` if you have not; the identity needs the")
        _say(env, "  'Cognitive Services OpenAI User' role on the resource")


def _config(env: Environment) -> dict[str, Any]:
    from azresp_cli.core.config import config_path, load_config_file

    return load_config_file(config_path(env))


def _stored_store(env: Environment, profile: str | None) -> str | None:
    from azresp_cli.core.config_file import profile_values

    if profile is None:
        return None
    store = profile_values(env, profile).get("key_store")
    return str(store) if store else None


def _say(env: Environment, text: str) -> None:
    env.stderr.write(text + "\n")
    env.stderr.flush()
