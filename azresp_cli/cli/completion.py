"""Tab completion: ``azresp completion SHELL``, ``--install-completion``, ``--show-completion``.

The scripts come from ``completion_scripts`` rendered from the live command tree, so what is
installed always matches the installed azresp. Installing writes the script where each shell
looks for completions and, for bash and zsh, adds one line to the rc file when it is missing.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from azresp_cli.cli.state import app_state
from azresp_cli.core.errors import UsageError

if TYPE_CHECKING:
    from azresp_cli.core.environment import Environment

RC_MARK = "# azresp completion"


class Shell(enum.StrEnum):
    BASH = "bash"
    ZSH = "zsh"
    FISH = "fish"
    POWERSHELL = "powershell"


@dataclass(frozen=True)
class Installed:
    shell: Shell
    script: Path
    rc_file: Path | None = None  # the file a line was added to, None when none was needed


def completion(
    ctx: typer.Context,
    shell: Annotated[Shell, typer.Argument(help="bash, zsh, fish or powershell.")],
    install: Annotated[
        bool, typer.Option("--install", help="Install it for your user instead of printing it.")
    ] = False,
) -> None:
    """Print the Tab-completion script for a shell, or install it.

    Examples:

    \b
      source <(azresp completion bash)
      azresp completion zsh --install
      azresp completion powershell > azresp.ps1
    """
    env = app_state(ctx).env
    if install:
        report_installed(env, install_script(env, shell))
    else:
        env.stdout.write(script_for(shell))


def script_for(shell: Shell) -> str:
    from azresp_cli.cli.completion_scripts import render
    from azresp_cli.cli.completion_tree import command_tree

    return render(shell.value, command_tree())


def detect_shell(env: Environment) -> Shell:
    """The shell azresp runs under (its parent process), else the login shell ($SHELL)."""
    name = ""
    try:
        import shellingham

        name = shellingham.detect_shell()[0]
    except (ImportError, OSError):  # shellingham.ShellDetectionFailure is an OSError
        name = Path(env.variables.get("SHELL", "")).name
    name = {"pwsh": "powershell"}.get(name, name)
    try:
        return Shell(name)
    except ValueError:
        raise UsageError(
            f"cannot tell which shell this is ({name or 'unknown'})",
            hint="name it: azresp completion bash|zsh|fish|powershell --install",
        ) from None


def install_script(env: Environment, shell: Shell) -> Installed:
    """Write ``shell``'s script for this user and make the shell load it."""
    home = Path(env.variables.get("HOME") or Path.home())
    text = script_for(shell)
    if shell is Shell.BASH:
        data = Path(env.variables.get("XDG_DATA_HOME") or home / ".local" / "share")
        script = data / "bash-completion" / "completions" / "azresp"
        _write(script, text)
        # bash-completion would load it on first use; without it the rc line does.
        line = f"[ -f '{script}' ] && . '{script}'  {RC_MARK}"
        return Installed(shell, script, _add_line(home / ".bashrc", line, str(script)))
    if shell is Shell.ZSH:
        script = home / ".zfunc" / "_azresp"
        _write(script, text)
        line = f"fpath+=~/.zfunc; autoload -Uz compinit; compinit  {RC_MARK}"
        return Installed(shell, script, _add_line(home / ".zshrc", line, ".zfunc"))
    if shell is Shell.FISH:
        config = Path(env.variables.get("XDG_CONFIG_HOME") or home / ".config")
        script = config / "fish" / "completions" / "azresp.fish"
        _write(script, text)
        return Installed(shell, script)
    profile = _powershell_profile()
    script = profile.parent / "azresp-completion.ps1"
    _write(script, text)
    return Installed(shell, script, _add_line(profile, f". '{script}'  {RC_MARK}", str(script)))


def report_installed(env: Environment, installed: Installed) -> None:
    env.stderr.write(f"✓ {installed.shell.value} completion installed in {installed.script}\n")
    if installed.rc_file is not None:
        env.stderr.write(f"✓ {installed.rc_file} now loads it\n")
    env.stderr.write("  open a new shell to use it\n")


def show_completion_option(ctx: typer.Context, value: bool) -> None:
    """``--show-completion``: the script for the shell azresp runs in."""
    if not value or ctx.resilient_parsing:
        return
    env = app_state(ctx).env
    env.stdout.write(script_for(detect_shell(env)))
    raise typer.Exit()


def install_completion_option(ctx: typer.Context, value: bool) -> None:
    """``--install-completion``: install the script for the shell azresp runs in."""
    if not value or ctx.resilient_parsing:
        return
    env = app_state(ctx).env
    report_installed(env, install_script(env, detect_shell(env)))
    raise typer.Exit()


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def _add_line(rc_file: Path, line: str, already: str) -> Path | None:
    """Append ``line`` to ``rc_file`` unless it already mentions ``already``."""
    current = rc_file.read_text(encoding="utf-8") if rc_file.exists() else ""
    if already in current:
        return None
    rc_file.parent.mkdir(parents=True, exist_ok=True)
    separator = "" if not current or current.endswith("\n") else "\n"
    with rc_file.open("a", encoding="utf-8") as stream:
        stream.write(f"{separator}{line}\n")
    return rc_file


def _powershell_profile() -> Path:
    import shutil
    import subprocess

    executable = shutil.which("pwsh") or shutil.which("powershell")
    if executable is None:
        raise UsageError(
            "PowerShell (pwsh) is not on PATH",
            hint="save `azresp completion powershell` to a file and dot-source it in $PROFILE",
        )
    result: Any = subprocess.run(  # noqa: S603 - a fixed command line, our own arguments
        [executable, "-NoProfile", "-Command", "$PROFILE"],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    profile = result.stdout.strip()
    if result.returncode != 0 or not profile:
        raise UsageError("PowerShell did not say where its $PROFILE is")
    return Path(profile)
