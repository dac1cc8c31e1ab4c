"""Credentials: the api key, or a Microsoft Entra ID token provider from azure-identity.

azure.identity is imported here only, and only when a request is about to be made.
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from azresp_cli.core.config import AuthMethod, Settings
from azresp_cli.core.error_hints import note_credential
from azresp_cli.core.errors import AuthError
from azresp_cli.core.redact import redact, register_secret

COGNITIVE_SERVICES_SCOPE = "https://cognitiveservices.azure.com/.default"

log = logging.getLogger("azresp.auth")

ApiKey = str | Callable[[], str]


def api_key_for(settings: Settings) -> ApiKey:
    """What the openai client takes as ``api_key``: the key itself, or a bearer-token callable."""
    if settings.api_key and settings.auth in (AuthMethod.AUTO, AuthMethod.KEY):
        register_secret(settings.api_key)
        source = settings.api_key_source or "AZURE_OPENAI_API_KEY"
        note_credential("api_key", source)
        log.debug("auth: api key from %s", source)
        return settings.api_key
    note_credential("entra_id", _ENTRA_CREDENTIALS.get(settings.auth, "DefaultAzureCredential"))
    return _entra_token_provider(settings.auth)


@dataclass(frozen=True)
class TokenProbe:
    """One Microsoft Entra ID token, and which credential produced it how fast (for doctor)."""

    token: str = field(repr=False)
    credential: str  # the class name, e.g. AzureCliCredential
    seconds: float
    expires_on: int | None  # Unix time


def probe_token(method: AuthMethod) -> TokenProbe:
    """Get one token the way ``api_key_for`` would; AuthError lists what was tried."""
    identity = _identity()
    credential = _credential(identity, method)
    started = time.monotonic()
    try:
        access = credential.get_token(COGNITIVE_SERVICES_SCOPE)
    except Exception as exc:  # noqa: BLE001 - azure-identity raises many unrelated types
        raise _auth_error(method, exc) from None
    finally:
        with contextlib.suppress(Exception):
            credential.close()
    seconds = time.monotonic() - started
    register_secret(access.token)
    winner = getattr(credential, "_successful_credential", None) or credential
    expires = getattr(access, "expires_on", None)
    return TokenProbe(
        access.token, type(winner).__name__, seconds, int(expires) if expires else None
    )


def _identity() -> Any:
    try:
        import azure.identity as identity
    except ImportError as exc:  # pragma: no cover - a broken install, not a user error
        raise AuthError(
            "azure-identity is not installed", hint="reinstall azresp with its dependencies"
        ) from exc
    return identity


def _entra_token_provider(method: AuthMethod) -> Callable[[], str]:
    identity = _identity()
    credential = _credential(identity, method)
    provider = identity.get_bearer_token_provider(credential, COGNITIVE_SERVICES_SCOPE)
    announced = False

    def token() -> str:
        nonlocal announced
        started = time.monotonic()
        try:
            value: str = provider()
        except Exception as exc:  # noqa: BLE001 - azure-identity raises many unrelated types
            raise _auth_error(method, exc) from None
        register_secret(value)
        if not announced:
            announced = True
            winner = getattr(credential, "_successful_credential", None) or credential
            log.debug(
                "auth: Microsoft Entra ID token from %s in %.0f ms",
                type(winner).__name__,
                (time.monotonic() - started) * 1000,
            )
        return value

    return token


def _credential(identity: Any, method: AuthMethod) -> Any:
    if method is AuthMethod.CLI:
        return identity.AzureCliCredential()
    if method is AuthMethod.ENV:
        return identity.EnvironmentCredential()
    if method is AuthMethod.MI:
        return identity.ManagedIdentityCredential()
    if method is AuthMethod.KEY:
        raise AuthError("--auth key needs AZURE_OPENAI_API_KEY")
    # AUTO without a key, or DAC. The interactive browser credential stays off: a CLI in a
    # script must never pop a browser window.
    return identity.DefaultAzureCredential(exclude_interactive_browser_credential=True)


_TRIED = re.compile(r"^\s+(\w+Credential):", re.MULTILINE)


def _auth_error(method: AuthMethod, exc: Exception) -> AuthError:
    """One line naming what was tried, and what to do; azure-identity's whole report (a dozen
    lines, one per credential of the chain) is the detail --debug shows."""
    text = str(exc).strip()
    first_line = (text.splitlines() or [type(exc).__name__])[0]
    tried = list(dict.fromkeys(_TRIED.findall(text)))
    if len(tried) > 1:
        first_line = f"tried {', '.join(tried)}; none gave a token"
    hints = {
        AuthMethod.CLI: "run `az login` (and `az account set` for the right tenant)",
        AuthMethod.ENV: "set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET",
        AuthMethod.MI: "managed identity works only on Azure hosts with an identity assigned",
    }
    return AuthError(
        f"no Microsoft Entra ID token ({method.value}): {first_line}",
        hint=hints.get(method),
        # DefaultAzureCredential lists each credential it tried and why it failed.
        detail=redact(str(exc).strip()) or None,
    )


@dataclass(frozen=True)
class CredentialChoice:
    """Which credential a request with these settings would use, found without using it."""

    kind: str  # "api_key" or "entra_id"
    source: str  # AZURE_OPENAI_API_KEY, keyring, file, emulator, or an azure-identity class
    description: str


_ENTRA_CREDENTIALS = {
    AuthMethod.CLI: "AzureCliCredential",
    AuthMethod.ENV: "EnvironmentCredential",
    AuthMethod.MI: "ManagedIdentityCredential",
}


def credential_choice(settings: Settings) -> CredentialChoice:
    """Say which credential ``api_key_for`` would pick, never showing the secret itself."""
    if settings.api_key and settings.auth in (AuthMethod.AUTO, AuthMethod.KEY):
        source = settings.api_key_source or "AZURE_OPENAI_API_KEY"
        where = {
            "keyring": "the system keyring",
            "file": "the credentials file (readable only by you)",
            "emulator": "the built-in emulator (not a secret)",
        }.get(source, source)
        return CredentialChoice("api_key", source, f"api key from {where}")
    name = _ENTRA_CREDENTIALS.get(settings.auth, "DefaultAzureCredential")
    return CredentialChoice("entra_id", name, f"Microsoft Entra ID token via {name}")
