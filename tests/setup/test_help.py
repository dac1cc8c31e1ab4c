"""Help that teaches: a one-line summary and 1-3 examples per command, and the examples run.

The examples are taken from each command's help as `azresp --help` prints it and run in bash,
as written, against the test emulator (AZURE_OPENAI_* point at it), in a directory holding the
files they name (build.log, report.pdf). Only these substitutions are made, each listed in
`example_shell`: placeholder ids (resp_68af..., conv_1a2b..., assistant-abc123) become ids
that exist, and the emulator example's address (127.0.0.1:8000) becomes the test emulator's.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_support import TEST_KEY, CliRunner, RunCli, azresp_executable, runner_variables

from azresp_cli.emulator.runner import RunningEmulator

MAX_SUMMARY = 79
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
# Examples a script cannot run as written: they need a person at a terminal. Each is covered
# elsewhere (tests/setup/test_auth.py::test_interactive_login_hides_the_key).
NEEDS_A_TERMINAL = {"azresp auth login"}


def commands() -> Iterator[tuple[str, Any]]:
    from azresp_cli.cli.app import root_command

    def walk(command: Any, path: tuple[str, ...]) -> Iterator[tuple[str, Any]]:
        yield " ".join(("azresp", *path)), command
        for name, sub in getattr(command, "commands", {}).items():
            if not sub.hidden:
                yield from walk(sub, (*path, name))

    yield from walk(root_command(loaded=True), ())


def help_text(azresp: RunCli, name: str) -> str:
    # click prints help with its own echo, to the process's stdout.
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured):
        result = azresp(*name.split()[1:], "--help")
    assert result.exit_code == 0, result.stderr
    return captured.getvalue()


def examples_in(text: str) -> list[str]:
    """The example command lines under "Example(s):", continuation lines joined."""
    found: list[str] = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.strip() not in ("Example:", "Examples:"):
            continue
        block = []
        for following in lines[index + 1 :]:
            if following.strip() and not following.startswith("    "):
                break
            if following.strip():
                block.append(following.strip())
        joined = "\n".join(block).replace("\\\n", " ")
        found += [" ".join(example.split()) for example in joined.splitlines()]
    return found


ALL_COMMANDS = [name for name, _ in commands()]


@pytest.mark.parametrize("name", ALL_COMMANDS)
def test_every_command_has_a_one_line_summary_and_examples(azresp: RunCli, name: str) -> None:
    text = help_text(azresp, name)
    summary = text.split("\n\n")[1].strip()
    assert "\n" not in summary, f"{name}: the summary wraps: {summary!r}"
    assert len(summary) <= MAX_SUMMARY
    assert summary.endswith("."), summary
    examples = examples_in(text)
    assert 1 <= len(examples) <= 3, f"{name}: {examples}"
    assert all("azresp" in example for example in examples)


def test_summaries_fit_the_command_lists(azresp: RunCli) -> None:
    for name, command in commands():
        if not hasattr(command, "commands"):
            continue
        for line in help_text(azresp, name).split("Commands:\n", 1)[1].splitlines():
            assert not line.rstrip().endswith("..."), f"{name}: cut short: {line.strip()}"


def test_azresp_alone_shows_how_to_get_started(azresp: RunCli) -> None:
    result = azresp()
    assert result.exit_code == 0
    assert result.stdout.startswith("azresp ")
    for step in ('azresp chat --emulator "hello"', "azresp auth login", "azresp doctor"):
        assert step in result.stdout
    assert len(result.stdout.splitlines()) <= 15


def _collect_examples() -> list[tuple[str, str]]:
    """Every (command, example) pair, read from the help as a user sees it, at collection."""
    with tempfile.TemporaryDirectory() as tmp:
        runner = CliRunner(Path(tmp, "config"), Path(tmp, "data"), runner_variables(Path(tmp)))
        return [
            (name, example)
            for name in ALL_COMMANDS
            for example in examples_in(help_text(runner, name))
        ]


ALL_EXAMPLES = _collect_examples()
# An example shown in both a group's help and its command's help runs once.
RUNNABLE = list(
    {
        example: (name, example)
        for name, example in ALL_EXAMPLES
        if example not in NEEDS_A_TERMINAL
    }.values()
)


def test_the_examples_are_all_collected() -> None:
    examples = {example for _, example in ALL_EXAMPLES}
    assert examples >= NEEDS_A_TERMINAL  # the skip list names examples that exist
    assert len(RUNNABLE) >= 30


@pytest.fixture
def example_shell(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    azresp: RunCli,
    process_env: dict[str, str],
    emulator: RunningEmulator,
) -> dict[str, Any]:
    """A working directory, an environment pointing at the emulator, and real ids.

    The ids are made in-process (same data directory as the examples' processes): only the
    examples themselves run as a user runs them. What an example does not name (a stored
    response, a file, a batch, the template, the fragment) is not made for it."""
    example: str = request.node.callspec.params["example"]
    work = tmp_path / "work"
    work.mkdir()
    # Files the examples name, as a user would have them in the current directory.
    (work / "build.log").write_text("ERROR: disk full\n")
    (work / "report.pdf").write_bytes(MINIMAL_PDF)
    (work / "prompts.txt").write_text("Name a colour\nName a bird\n")
    (work / "tickets.csv").write_text("id,text\n1,App crashes on start\n")
    bin_dir = str(Path(sys.executable).parent)
    service = {
        "AZURE_OPENAI_ENDPOINT": emulator.base_url,
        "AZURE_OPENAI_API_KEY": TEST_KEY,
        "AZURE_OPENAI_DEPLOYMENT": "gpt-test",
    }
    env = {
        **process_env,
        **service,
        "EDITOR": "true",
        "AZRESP_BATCH_POLL_SECONDS": "0.02",  # `batch status --watch` (docs/batch.md)
        # `azresp` runs through the fork server (cli_support.azresp_executable): real processes
        # without importing openai each time; tests/setup/test_packaging.py runs the console script.
        "PATH": os.pathsep.join(
            [str(Path(azresp_executable()).parent), str(bin_dir), os.environ["PATH"]]
        ),
    }

    def run(*argv: str) -> str:
        result = azresp(*argv, env=service)
        assert result.exit_code == 0, result.output
        return result.stdout

    def names(*words: str) -> bool:
        return any(word in example for word in words)

    # The configuration the config and auth examples read, as `config set` and `auth login` make it.
    run("config", "set", "endpoint", "https://contoso.openai.azure.com")
    lab = ("--profile", "lab", "--entra", "--endpoint", "https://lab.openai.azure.com")
    run("auth", "login", *lab, "-m", "o4-mini")
    # The template and the fragment the templates and fragments examples name.
    if names("brief", "templates"):
        run("chat", "--save", "brief", "-s", "Answer in one sentence.", "Explain: $input")
    if names("-f log", "fragments"):
        run("fragments", "set", "log", str(work / "build.log"))
    stored = ["resp_68af...", "resp_71bc...", "resp_68af..."]
    conversation_id = "conv_1a2b3c4d5e6f"
    if names("resp_", "conv_", "chat -c", "history", "usage"):
        stored = [
            str(json.loads(run("chat", "--json", f"[[reply:stored answer {n}]]"))["id"])
            for n in range(3)
        ]
        conversation_id = json.loads(run("history", "list", "--json"))[0]["id"]
    root = emulator.base_url.removesuffix("/openai/v1/")
    mcp_server = f"{sys.executable} {Path(__file__).parent.parent / 'mcp_local' / 'fs_server.py'} ."
    config = Path(process_env["AZRESP_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    # Added to the file `config set` and `auth login` wrote above, as a user would add it.
    with (config / "config.toml").open("a") as toml:
        toml.write(f"\n[mcp_local.fs]\ncommand = '{mcp_server}'\n")
    file_id = "assistant-abc123"
    if names(file_id, "files list"):
        file_id = run("files", "upload", str(work / "report.pdf")).strip()
    batch_id = "batch_6a1f"
    if names(batch_id, "batch list"):
        batch_id = run("batch", "submit", str(work / "prompts.txt")).strip()
    return {
        "env": env,
        "cwd": work,
        # `delete` gets responses of its own; every other example a response that stays.
        "delete_substitutions": [
            (re.compile(r"\bresp_68af\.\.\."), stored[0]),
            (re.compile(r"\bresp_71bc\.\.\."), stored[1]),
        ],
        "substitutions": [
            (re.compile(r"\bresp_68af\.\.\."), stored[2]),
            (re.compile(r"\bresp_71bc\.\.\."), stored[1]),
            (re.compile(r"\bconv_1a2b3c4d5e6f\b"), conversation_id),
            (re.compile(r"\bassistant-abc123\b"), file_id),
            (re.compile(r"\bbatch_6a1f\.\.\."), batch_id),
            (re.compile(r"http://127\.0\.0\.1:8000\b"), root),
            (re.compile(r"--port 8000\b"), "--port 0"),
            # The local MCP examples run the tests' filesystem server (no npx, no network);
            # `fs` alone names the [mcp_local.fs] table written above.
            (re.compile(r"npx -y @modelcontextprotocol/server-filesystem \."), mcp_server),
        ],
    }


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("jq") is None, reason="the examples pipe into jq")
@pytest.mark.parametrize(("name", "example"), RUNNABLE, ids=[example for _, example in RUNNABLE])
def test_help_example_runs_as_written(
    name: str, example: str, example_shell: dict[str, Any]
) -> None:
    command = example
    table = "delete_substitutions" if name == "azresp delete" else "substitutions"
    for pattern, replacement in [*example_shell[table], *example_shell["substitutions"]]:
        command = pattern.sub(replacement, command)
    _run_example(command, example_shell)


def _run_example(command: str, shell: dict[str, Any]) -> None:
    if command.startswith("azresp emulator"):
        # It serves until Ctrl-C: it must print its base URL, then it is stopped.
        process = subprocess.Popen(
            ["bash", "-c", f"exec {command}"],
            env=shell["env"],
            cwd=shell["cwd"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            assert line.startswith("http://127.0.0.1:"), (command, line)
        finally:
            process.terminate()
            process.wait(timeout=10)
        return
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        env=shell["env"],
        cwd=shell["cwd"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stderr
    assert TEST_KEY not in result.stdout + result.stderr
