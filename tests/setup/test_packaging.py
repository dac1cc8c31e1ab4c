"""Packaging and start-up: the wheel carries the completions, --help stays light, --quiet."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from cli_support import RunCli

from azresp_cli.cli.completion_scripts import FILE_NAMES

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("openai", "azure.identity", "prompt_toolkit", "rich.markdown", "keyring", "tomlkit")


@pytest.mark.skipif(
    importlib.util.find_spec("hatchling") is None, reason="hatchling (the build backend) is absent"
)
@pytest.mark.slow
def test_the_wheel_contains_the_completions_and_the_entry_point(tmp_path: Path) -> None:
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    [wheel] = tmp_path.glob("azresp-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for file_name in FILE_NAMES.values():
            packaged = f"azresp_cli/completions/{file_name}"
            assert packaged in names
            assert archive.read(packaged) == (REPO / "completions" / file_name).read_bytes()
        info = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        assert "azresp = azresp_cli.cli.main:main" in archive.read(info).decode()
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA")))
    text = metadata.decode()
    assert "Requires-Python: >=3.11" in text
    for version in ("3.11", "3.12", "3.13"):
        assert f"Programming Language :: Python :: {version}" in text


def test_the_declared_python_range_includes_this_interpreter() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11"
    assert sys.version_info >= (3, 11)


@pytest.mark.slow
def test_help_of_the_new_commands_stays_light() -> None:
    probe = (
        "import sys, io; from azresp_cli.cli.main import run; "
        "from azresp_cli.core.environment import Environment; "
        "env = Environment(io.StringIO(), io.StringIO(), io.StringIO(), False, False, False); "
        "argvs = [['--help'], [], ['auth', '--help'], ['auth', 'login', '--help'], "
        "['config', 'set', '--help'], ['doctor', '--help'], ['completion', '--help']]; "
        "out = sys.stdout; sys.stdout = io.StringIO(); [run(a, env) for a in argvs]; "
        f"sys.stdout = out; print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_quiet_drops_the_footer(azresp: RunCli, emulator: object) -> None:
    env = {
        "AZURE_OPENAI_ENDPOINT": emulator.base_url,  # type: ignore[attr-defined]
        "AZURE_OPENAI_API_KEY": "k-1234",
        "AZURE_OPENAI_DEPLOYMENT": "gpt-test",
    }
    loud = azresp("chat", "[[reply:hi]]", env=env, tty=True)
    assert " in · " in loud.stderr and " out · " in loud.stderr  # the footer
    for flag in ("--quiet", "-q"):
        quiet = azresp("chat", flag, "[[reply:hi]]", env=env, tty=True)
        assert quiet.exit_code == 0
        assert "hi" in quiet.stdout
        assert quiet.stderr == ""
    failing = azresp("chat", "-q", "[[fault:429]]", env={**env, "AZRESP_MAX_RETRIES": "0"})
    assert failing.exit_code == 5
    assert failing.stderr.startswith("error:")  # errors still print


@pytest.mark.slow
def test_the_screenshot_script_renders_a_real_session(tmp_path: Path) -> None:
    output = tmp_path / "shot.svg"
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "screenshot.py"), "--output", str(output)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    svg = output.read_text()
    assert svg.startswith("<svg")
    text = svg.replace("&#160;", " ")
    assert "Turn 2" in text  # the second turn saw the first: a real chained session
    assert "Ada" in text
    assert (REPO / "docs" / "screenshot.svg").exists()
