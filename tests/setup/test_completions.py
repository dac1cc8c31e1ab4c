"""Shell completion: the checked-in scripts are current, and they complete in real shells.

Expectations are read from the Typer app (the click command tree azresp parses with), not from
the generator, so these fail only when completion is wrong. Bash runs for real (a script that
calls the completion function, and an interactive shell driven through a pty); zsh and fish are
exercised when they are installed.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pexpect
import pytest
from cli_support import RunCli

from azresp_cli.cli.completion_scripts import FILE_NAMES, SHELLS, render
from azresp_cli.cli.completion_tree import command_tree

REPO = Path(__file__).resolve().parents[2]
COMPLETIONS = REPO / "completions"
BASH_SCRIPT = COMPLETIONS / FILE_NAMES["bash"]


def root_command() -> Any:
    from azresp_cli.cli.app import root_command

    return root_command(loaded=True)


def visible(group: Any) -> list[str]:
    return [name for name, command in group.commands.items() if not command.hidden]


def groups() -> list[str]:
    return [
        name
        for name in visible(root_command())
        if hasattr(root_command().commands[name], "commands")
    ]


def unique_prefix(name: str, names: list[str]) -> str:
    for length in range(1, len(name) + 1):
        prefix = name[:length]
        if [n for n in names if n.startswith(prefix)] == [name]:
            return prefix
    return name


@pytest.mark.parametrize("shell", SHELLS)
def test_checked_in_scripts_match_the_command_tree(shell: str) -> None:
    path = COMPLETIONS / FILE_NAMES[shell]
    generated = render(shell, command_tree())
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    assert current == generated, (
        f"{path.relative_to(REPO)} is stale: run `python scripts/gen_completions.py` "
        "after changing commands or options"
    )


@pytest.mark.slow
def test_the_generator_script_checks_and_writes(tmp_path: Path) -> None:
    check = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "gen_completions.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.parametrize("shell", SHELLS)
def test_completion_command_prints_the_script(azresp: RunCli, shell: str) -> None:
    result = azresp("completion", shell)
    assert result.exit_code == 0
    assert result.stdout == (COMPLETIONS / FILE_NAMES[shell]).read_text(encoding="utf-8")


def missing(shell: str) -> bool:
    """The shell is absent here and this is not CI: .ci/run installs zsh and fish, so under
    CI (CI=true) a missing shell fails its test instead of skipping it."""
    return shutil.which(shell) is None and os.environ.get("CI") != "true"


def bash_complete(*words: str, cwd: Path | None = None) -> list[str]:
    """Call the bash completion function on ``words`` (the last one being completed)."""
    quoted = " ".join("'" + w.replace("'", "'\\''") + "'" for w in words)
    program = (
        f"source '{BASH_SCRIPT}'\n"
        f"COMP_WORDS=({quoted}); COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))\n"
        "_azresp\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    result = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", program],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=True,
    )
    return [line for line in result.stdout.splitlines() if line]


needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")


@pytest.mark.slow
@needs_bash
def test_bash_completes_every_command_from_a_unique_prefix() -> None:
    names = visible(root_command())
    assert sorted(bash_complete("azresp", "")) == sorted(names)
    for name in names:
        prefix = unique_prefix(name, names)
        assert bash_complete("azresp", prefix) == [name], prefix
    b_names = sorted(n for n in names if n.startswith("b"))
    assert sorted(bash_complete("azresp", "b")) == b_names


@pytest.mark.slow
@needs_bash
@pytest.mark.parametrize("group", groups())
def test_bash_completes_each_groups_subcommands(group: str) -> None:
    expected = visible(root_command().commands[group])
    assert sorted(bash_complete("azresp", group, "")) == sorted(expected)
    # Options before the group's subcommand do not confuse it.
    assert sorted(bash_complete("azresp", group, "--help", "")) == sorted(expected)


@pytest.mark.slow
@needs_bash
def test_bash_completes_options_and_their_values() -> None:
    chat = root_command().commands["chat"]
    effort = next(p for p in chat.params if p.name == "effort")
    choices = [m.value for m in effort.type_descriptor.annotation]
    assert bash_complete("azresp", "chat", "--effort", "") == choices
    assert bash_complete("azresp", "chat", "--effort", "=", "l") == ["low"]
    assert bash_complete("azresp", "chat", "--eff") == ["--effort"]
    long_options = sorted(
        o for p in chat.params for o in getattr(p, "opts", []) if o.startswith("--")
    )
    assert sorted(bash_complete("azresp", "chat", "--")) == sorted([*long_options, "--help"])
    # A value option's argument is not mistaken for a subcommand.
    assert bash_complete("azresp", "chat", "-m", "history", "--no-st") == [
        "--no-store",
        "--no-stream",
    ]


@pytest.mark.slow
@needs_bash
def test_bash_completes_enum_arguments() -> None:
    config_get = root_command().commands["config"].commands["get"]
    key = next(p for p in config_get.params if p.name == "key")
    keys = [m.value for m in key.type_descriptor.annotation]
    assert sorted(bash_complete("azresp", "config", "get", "")) == sorted(keys)
    assert bash_complete("azresp", "config", "get", "endp") == ["endpoint"]
    shells = [
        s.value
        for s in next(
            p for p in root_command().commands["completion"].params if p.name == "shell"
        ).type_descriptor.annotation
    ]
    assert sorted(bash_complete("azresp", "completion", "")) == sorted(shells)


@pytest.mark.slow
@needs_bash
def test_bash_completes_path_options_with_files_or_directories(tmp_path: Path) -> None:
    path_options = _path_options(root_command(), ())
    if not path_options:
        pytest.skip("no command takes a path yet")
    (tmp_path / "notes.md").write_text("x")
    (tmp_path / "notebook").mkdir()
    for path, option, dirs_only in path_options:
        offered = bash_complete("azresp", *path, option, "no", cwd=tmp_path)
        assert "notebook" in offered, (path, option)
        assert ("notes.md" in offered) is not dirs_only, (path, option, offered)


def _path_options(command: Any, path: tuple[str, ...]) -> list[tuple[tuple[str, ...], str, bool]]:
    """(command path, option, whether only directories fit) for options typed as a Path."""
    found = []
    for param in command.params:
        descriptor = getattr(param, "type_descriptor", None)
        if param.param_type_name != "option" or "Path" not in str(descriptor.annotation):
            continue
        info = descriptor.parameter_info
        dirs_only = bool(info.dir_okay) and not info.file_okay
        found.append((path, param.opts[0], dirs_only))
    for name, sub in getattr(command, "commands", {}).items():
        found += _path_options(sub, (*path, name))
    return found


@pytest.fixture
def installed_home(process_env: dict[str, str], home: Path) -> Path:
    """HOME after `azresp --install-completion`, run from bash as a user would."""
    result = subprocess.run(
        [
            "bash",
            "--norc",
            "--noprofile",
            "-c",
            f"'{sys.executable}' -m azresp_cli --install-completion",
        ],
        capture_output=True,
        text=True,
        env={**process_env, "SHELL": "/bin/bash"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "bash completion installed in" in result.stderr
    return home


@needs_bash
def test_install_completion_for_bash_is_idempotent(installed_home: Path, azresp: RunCli) -> None:
    script = installed_home / ".local/share/bash-completion/completions/azresp"
    assert script.read_text() == BASH_SCRIPT.read_text()
    bashrc = (installed_home / ".bashrc").read_text()
    assert bashrc.count(str(script)) == 2  # "[ -f X ] && . X"
    again = azresp("completion", "bash", "--install")
    assert again.exit_code == 0
    assert (installed_home / ".bashrc").read_text() == bashrc  # no second line


def test_install_for_zsh_and_fish(azresp: RunCli, home: Path) -> None:
    zsh = azresp("completion", "zsh", "--install")
    assert zsh.exit_code == 0, zsh.stderr
    assert (home / ".zfunc" / "_azresp").read_text() == (COMPLETIONS / "_azresp").read_text()
    assert "fpath+=~/.zfunc" in (home / ".zshrc").read_text()
    fish = azresp("completion", "fish", "--install")
    assert fish.exit_code == 0, fish.stderr
    assert (home / ".config/fish/completions/azresp.fish").exists()


@needs_bash
@pytest.mark.pty
def test_tab_in_an_interactive_bash(
    installed_home: Path, process_env: dict[str, str], tmp_path: Path
) -> None:
    """Type the shortest unique prefix of a group then <Tab>, and `azresp GROUP <Tab><Tab>`."""
    names = visible(root_command())
    group = "bg" if "bg" in names else "history"  # bg belongs to background jobs, when they land
    prefix = unique_prefix(group, names)  # "bg" itself, now that `batch` shares its "b"
    rc = tmp_path / "rc"
    rc.write_text(f"source '{installed_home}/.bashrc'\nPS1='READY$ '\n")
    env = {**process_env, "TERM": "xterm", "INPUTRC": "/dev/null"}
    child = pexpect.spawn(
        "bash",
        ["--noprofile", "--rcfile", str(rc), "-i"],
        env=env,
        encoding="utf-8",
        dimensions=(24, 120),
        timeout=15,
    )
    child.logfile_read = screen = io.StringIO()
    child.expect_exact("READY$ ")
    child.send(f"azresp {prefix}\t")
    child.expect_exact(f"azresp {group} ")
    shown_before = len(screen.getvalue())
    child.send("\t\t")
    child.expect_exact(f"READY$ azresp {group} ")  # the prompt comes back under the list
    listing = screen.getvalue()[shown_before:]
    for subcommand in visible(root_command().commands[group]):
        assert subcommand in listing, listing
    child.sendcontrol("c")
    child.expect_exact("READY$ ")
    child.sendline("exit")
    child.expect(pexpect.EOF)
    assert f"azresp {group} " in screen.getvalue()


@pytest.mark.slow
@pytest.mark.skipif(missing("fish"), reason="fish is not installed (CI installs it)")
def test_fish_completes_from_the_script() -> None:
    def complete(line: str) -> list[str]:
        program = f"source '{COMPLETIONS / 'azresp.fish'}'; complete -C '{line}'"
        result = subprocess.run(
            ["fish", "--no-config", "-c", program], capture_output=True, text=True, check=True
        )
        return sorted(row.split("\t")[0] for row in result.stdout.splitlines())

    assert complete("azresp ") == sorted(visible(root_command()))
    assert complete("azresp history ") == sorted(visible(root_command().commands["history"]))
    assert complete("azresp chat --effort ") == sorted(
        ["none", "minimal", "low", "medium", "high", "xhigh"]
    )
    assert complete("azresp config get endp") == ["endpoint"]


@pytest.mark.slow
@pytest.mark.skipif(missing("zsh"), reason="zsh is not installed (CI installs it)")
@pytest.mark.pty
def test_zsh_completes_from_the_script(tmp_path: Path) -> None:
    functions = tmp_path / "functions"
    functions.mkdir()
    shutil.copy(COMPLETIONS / "_azresp", functions / "_azresp")
    (tmp_path / ".zshrc").write_text(
        f"fpath=({functions} $fpath)\nautoload -Uz compinit && compinit -u\nPS1='READY%% '\n"
    )
    env = {**os.environ, "ZDOTDIR": str(tmp_path), "TERM": "xterm"}
    child = pexpect.spawn(
        "zsh", ["-i"], env=env, encoding="utf-8", dimensions=(24, 160), timeout=15
    )
    child.expect_exact("READY% ")
    child.send("azresp hist\t")
    child.expect_exact("azresp history")
    child.send("\t")
    child.expect("Recent conversations")  # the subcommands, with their descriptions
    child.sendcontrol("c")
    child.expect_exact("READY% ")
    child.sendline("exit")
    child.expect(pexpect.EOF)


def test_shell_enum_covers_every_script() -> None:
    from azresp_cli.cli.completion import Shell

    assert [s.value for s in Shell] == list(SHELLS)
