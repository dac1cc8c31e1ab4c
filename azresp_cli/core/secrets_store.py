"""Where `azresp auth login` keeps api keys: the system keyring, else a file only the user reads.

The keyring (macOS Keychain, Windows Credential Manager, the Secret Service on Linux) is asked
through the ``keyring`` package, imported here only and only when a key is saved, read or
removed. When no keyring backend works (a server without a desktop session, a container), the
key goes to ``credentials.json`` in the config directory, created with mode 0600 and refused
when its mode lets anyone else read it, as ssh refuses a readable private key.

``PYTHON_KEYRING_BACKEND`` (keyring's own variable, read from the Environment so tests can set
it per call) picks a backend by class path; ``keyring.backends.fail.Keyring`` forces the file.
"""

from __future__ import annotations

import contextlib
import enum
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from azresp_cli.core.atomic_write import write_atomic
from azresp_cli.core.environment import Environment
from azresp_cli.core.errors import AuthError, ConfigError
from azresp_cli.core.redact import register_secret

KEYRING_SERVICE = "azresp"
CREDENTIALS_FILE_NAME = "credentials.json"
BACKEND_VARIABLE = "PYTHON_KEYRING_BACKEND"


class KeyStore(enum.StrEnum):
    KEYRING = "keyring"
    FILE = "file"


@dataclass(frozen=True)
class StoredKey:
    """Where a key was put (or found, or removed from), in words a user understands."""

    store: KeyStore
    location: str  # "the system keyring (SecretService Keyring)" or the file's path
    fallback_reason: str | None = None  # why the keyring was not used, for KeyStore.FILE


def credentials_path(env: Environment) -> Path:
    return env.config_dir / CREDENTIALS_FILE_NAME


def save_api_key(env: Environment, profile: str, api_key: str) -> StoredKey:
    """Store ``api_key`` for ``profile``: in the keyring when one works, else in the file."""
    register_secret(api_key)
    backend, reason = _usable_backend(env)
    if backend is not None:
        try:
            backend.set_password(KEYRING_SERVICE, profile, api_key)
        except Exception as exc:  # noqa: BLE001 - backends raise their own types (dbus, win32)
            reason = f"the keyring refused the key ({_first_line(exc)})"
        else:
            # A key left in the file by an earlier login would only confuse a later reader.
            _remove_from_file(env, profile)
            return StoredKey(KeyStore.KEYRING, _describe(backend))
    _write_file_key(env, profile, api_key)
    return StoredKey(KeyStore.FILE, str(credentials_path(env)), fallback_reason=reason)


def load_api_key(env: Environment, profile: str, store: str) -> str:
    """The key `auth login` stored for ``profile`` in ``store``; AuthError when it is gone."""
    if store == KeyStore.FILE:
        key = _read_file_keys(env).get(profile)
        where = str(credentials_path(env))
    elif store == KeyStore.KEYRING:
        backend, reason = _usable_backend(env)
        if backend is None:
            raise AuthError(
                f"the api key of profile '{profile}' is in the system keyring, which is not "
                f"available: {reason}",
                hint="unlock or start the keyring, set AZURE_OPENAI_API_KEY, or run "
                f"`azresp auth login --profile {profile}` again",
            )
        try:
            key = backend.get_password(KEYRING_SERVICE, profile)
        except Exception as exc:  # noqa: BLE001 - backends raise their own types
            raise AuthError(
                f"cannot read the api key of profile '{profile}' from the system keyring: "
                f"{_first_line(exc)}",
                hint="unlock the keyring, or set AZURE_OPENAI_API_KEY",
            ) from None
        where = "the system keyring"
    else:
        raise ConfigError(
            f"unknown key_store '{store}' in profile '{profile}'",
            hint=f"use keyring or file, or run `azresp auth login --profile {profile}`",
        )
    if not key:
        raise AuthError(
            f"the api key of profile '{profile}' is missing from {where}",
            hint=f"run `azresp auth login --profile {profile}` again, or set AZURE_OPENAI_API_KEY",
        )
    register_secret(key)
    return key


def delete_api_key(env: Environment, profile: str) -> list[StoredKey]:
    """Remove ``profile``'s key from the keyring and the file; say where one was found."""
    removed: list[StoredKey] = []
    backend, _ = _usable_backend(env)
    if backend is not None:
        with contextlib.suppress(Exception):  # not there, or a locked keyring: nothing to remove
            if backend.get_password(KEYRING_SERVICE, profile) is not None:
                backend.delete_password(KEYRING_SERVICE, profile)
                removed.append(StoredKey(KeyStore.KEYRING, _describe(backend)))
    if _remove_from_file(env, profile):
        removed.append(StoredKey(KeyStore.FILE, str(credentials_path(env))))
    return removed


def keyring_description(env: Environment) -> tuple[str | None, str | None]:
    """(the usable keyring backend's description, or None and why none is usable)."""
    backend, reason = _usable_backend(env)
    return (_describe(backend), None) if backend is not None else (None, reason)


def _usable_backend(env: Environment) -> tuple[Any | None, str | None]:
    try:
        import keyring
        import keyring.backends.fail
        import keyring.backends.null
        from keyring.core import load_keyring
    except ImportError:  # pragma: no cover - a broken install
        return None, "the keyring package is not installed"
    name = env.variables.get(BACKEND_VARIABLE)
    try:
        backend = load_keyring(name) if name else keyring.get_keyring()
    except Exception as exc:  # noqa: BLE001 - a bad class path or a backend failing to start
        return None, f"cannot load keyring backend {name or ''}: {_first_line(exc)}".strip()
    if isinstance(backend, keyring.backends.fail.Keyring):
        return None, "no system keyring backend is available"
    if isinstance(backend, keyring.backends.null.Keyring):
        return None, "the keyring is turned off (null backend)"
    return backend, None


def _describe(backend: Any) -> str:
    name = getattr(backend, "name", None) or type(backend).__name__
    return f"the system keyring ({name})"


def _read_file_keys(env: Environment, *, check_mode: bool = True) -> dict[str, str]:
    path = credentials_path(env)
    try:
        info = path.stat()
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise AuthError(f"cannot read {path}: {exc.strerror}") from None
    if check_mode and os.name != "nt" and info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise AuthError(
            f"{path} can be read by other users (mode {stat.S_IMODE(info.st_mode):o})",
            hint=f"chmod 600 {path}; then replace the key, since others may have read it",
        )
    try:
        data = json.loads(text)
        profiles = data["profiles"]
        return {str(name): str(entry["api_key"]) for name, entry in profiles.items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        raise ConfigError(
            f"{path} is not a credentials file azresp wrote",
            hint="remove it and run `azresp auth login` again (it is never rewritten blindly)",
        ) from None


def _write_file_key(env: Environment, profile: str, api_key: str | None) -> None:
    # Rewriting also repairs a too-open mode: the new file is 0600 whatever the old one was.
    keys = _read_file_keys(env, check_mode=False)
    if api_key is None:
        keys.pop(profile, None)
    else:
        keys[profile] = api_key
    path = credentials_path(env)
    if not keys:
        path.unlink(missing_ok=True)  # the last key is gone: leave no file behind
        return
    document = {"version": 1, "profiles": {name: {"api_key": key} for name, key in keys.items()}}
    write_atomic(path, json.dumps(document, indent=2) + "\n", mode=0o600)


def _remove_from_file(env: Environment, profile: str) -> bool:
    if profile not in _read_file_keys(env, check_mode=False):
        return False
    _write_file_key(env, profile, None)
    return True


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
