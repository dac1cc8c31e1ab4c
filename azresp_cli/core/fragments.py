"""Fragments: reusable pieces of context (``-f``) or instructions (``--sf``).

A fragment is a file, a URL, ``-`` (stdin) or an alias set with ``azresp fragments set``
(kept in ``fragments.toml`` in the config dir). A prompt fragment goes before the prompt as
its own text part; a system fragment is appended to the instructions. Files and URLs are read
with a size limit (``MAX_FRAGMENT_BYTES``); the history keeps each content once
(core/turn_extras.py).
"""

from __future__ import annotations

import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from azresp_cli.core.atomic_write import write_atomic
from azresp_cli.core.errors import ConfigError, NetworkError, UsageError
from azresp_cli.core.text_files import read_text_limited
from azresp_cli.core.turn_extras import FragmentUse

MAX_FRAGMENT_BYTES = 1_000_000  # as a text attachment: ~250k tokens
URL_TIMEOUT = 30.0  # seconds
ALIASES_FILE = "fragments.toml"
_ALIAS_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def load_fragment(
    spec: str,
    *,
    config_dir: Path,
    read_stdin: Callable[[], str],
    system: bool = False,
    cwd: Path | None = None,
) -> FragmentUse:
    """The fragment ``spec`` names; raises UsageError (NetworkError for a URL that fails)."""
    if spec == "-":
        return FragmentUse(read_stdin(), "-", system)
    if is_url(spec):
        return FragmentUse(fetch_url(spec), spec, system)
    path = Path(spec).expanduser()
    if cwd is not None and not path.is_absolute():
        path = cwd / path
    if path.exists():
        content = read_text_limited(path, MAX_FRAGMENT_BYTES, what="fragment")
        return FragmentUse(content, spec, system)
    target = aliases(config_dir).get(spec)
    if target is None:
        raise UsageError(
            f"fragment '{spec}' is neither a file, a URL nor an alias",
            hint="`azresp fragments set NAME PATH|URL` names one; `azresp fragments list`",
        )
    loaded = load_fragment(target, config_dir=config_dir, read_stdin=read_stdin, system=system)
    return FragmentUse(loaded.content, spec, system)


def fetch_url(url: str, *, limit: int = MAX_FRAGMENT_BYTES) -> str:
    """The text at ``url``, read up to ``limit`` bytes; a larger body is refused."""
    # is_url() let only http(s) here: no file: or custom schemes
    request = urllib.request.Request(url, headers={"User-Agent": "azresp"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=URL_TIMEOUT) as response:  # noqa: S310
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise UsageError(_too_large(url, limit), hint="save the part you need to a file")
            data: bytes = response.read(limit + 1)
    except urllib.error.HTTPError as error:
        raise UsageError(f"fragment {url}: the server answered HTTP {error.code}") from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise NetworkError(f"cannot fetch fragment {url}: {reason}") from None
    if len(data) > limit:
        raise UsageError(_too_large(url, limit), hint="save the part you need to a file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"fragment {url} is not UTF-8 text") from None


def fragment_parts(fragments: Sequence[FragmentUse]) -> list[dict[str, Any]]:
    """The prompt fragments as text parts of the user message, in order."""
    return [{"type": "input_text", "text": f.content} for f in fragments if not f.system]


def with_system_fragments(instructions: str | None, fragments: Sequence[FragmentUse]) -> str | None:
    """``instructions`` with the system fragments appended, each as its own paragraph."""
    pieces = [instructions] if instructions else []
    pieces += [f.content.strip() for f in fragments if f.system]
    return "\n\n".join(pieces) if pieces else None


def aliases(config_dir: Path) -> dict[str, str]:
    """Alias -> path or URL, from ``fragments.toml``; a damaged file is a ConfigError."""
    path = config_dir / ALIASES_FILE
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(read_text_limited(path, MAX_FRAGMENT_BYTES, what="aliases file"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: {error}", hint="fix or delete the file") from None
    table = data.get("aliases", {})
    return {str(k): str(v) for k, v in table.items()} if isinstance(table, Mapping) else {}


def set_alias(config_dir: Path, alias: str, target: str, *, cwd: Path) -> str:
    """Name ``target`` (a file, kept as an absolute path, or a URL); returns what was stored."""
    if not alias or not set(alias) <= _ALIAS_CHARS or alias == "-":
        raise UsageError(f"'{alias}' cannot be an alias", hint="use letters, digits, _ - .")
    if not is_url(target):
        path = Path(target).expanduser()
        path = path if path.is_absolute() else cwd / path
        if not path.is_file():
            raise UsageError(f"fragment {target} is not a file")
        target = str(path.resolve())
    table = aliases(config_dir)
    table[alias] = target
    _write(config_dir, table)
    return target


def remove_alias(config_dir: Path, alias: str) -> bool:
    table = aliases(config_dir)
    if table.pop(alias, None) is None:
        return False
    _write(config_dir, table)
    return True


def _write(config_dir: Path, table: Mapping[str, str]) -> None:
    import tomlkit

    document = tomlkit.document()
    document.add(tomlkit.comment("Fragment aliases: azresp chat -f NAME (azresp fragments set)"))
    section = tomlkit.table()
    for name, target in sorted(table.items()):
        section.add(name, target)
    document.add("aliases", section)
    config_dir.mkdir(parents=True, exist_ok=True)
    write_atomic(config_dir / ALIASES_FILE, tomlkit.dumps(document))


def _too_large(url: str, limit: int) -> str:
    return f"fragment {url} is larger than {limit // 1000} KB"
