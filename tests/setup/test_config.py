"""`azresp config`: round trips through the TOML file, malformed files, atomic writes."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from cli_support import RunCli

from azresp_cli.cli.config_cmd import ConfigKey
from azresp_cli.core import config_file, config_keys

COMMENTED = """\
# my azresp settings
default_profile = "work"   # the one I use

[profiles.work]
endpoint = "https://work.openai.azure.com"  # prod
deployment = "gpt-4.1"

[profiles.lab]
endpoint = "https://lab.openai.azure.com"
"""


def write(config_dir: Path, text: str) -> Path:
    config_dir.mkdir(parents=True, exist_ok=True)
    path = config_dir / "config.toml"
    path.write_text(text)
    return path


def test_set_get_list_unset_round_trip(azresp: RunCli, config_dir: Path) -> None:
    assert azresp("config", "set", "endpoint", "https://contoso.openai.azure.com").exit_code == 0
    assert azresp("config", "set", "effort", "LOW").exit_code == 0  # choices are case-blind
    assert azresp("config", "set", "history", "off").exit_code == 0
    assert azresp("config", "set", "timeout", "30").exit_code == 0
    assert azresp("config", "set", "max_output_tokens", "800").exit_code == 0

    data = tomllib.loads((config_dir / "config.toml").read_text())
    assert data["profiles"]["default"] == {
        "endpoint": "https://contoso.openai.azure.com",
        "effort": "low",
        "history": False,
        "timeout": 30.0,
        "max_output_tokens": 800,
    }
    assert azresp("config", "get", "effort").stdout == "low\n"
    assert azresp("config", "get", "history").stdout == "false\n"
    listed = azresp("config", "list")
    assert listed.stdout.splitlines() == [
        "endpoint=https://contoso.openai.azure.com",
        "effort=low",
        "history=false",
        "timeout=30.0",
        "max_output_tokens=800",
    ]
    removed = azresp("config", "unset", "effort")
    assert removed.exit_code == 0 and "removed" in removed.stderr
    missing = azresp("config", "get", "effort")
    assert missing.exit_code == 4
    assert "azresp config set effort" in missing.stderr


def test_edits_keep_comments_and_other_profiles(azresp: RunCli, config_dir: Path) -> None:
    path = write(config_dir, COMMENTED)
    assert azresp("config", "set", "effort", "high").exit_code == 0  # default_profile = work
    assert azresp("config", "set", "deployment", "o4-mini", "--profile", "lab").exit_code == 0
    assert azresp("config", "unset", "deployment").exit_code == 0
    text = path.read_text()
    assert "# my azresp settings" in text
    assert 'default_profile = "work"   # the one I use' in text
    assert 'endpoint = "https://work.openai.azure.com"  # prod' in text
    assert tomllib.loads(text)["profiles"] == {
        "work": {"endpoint": "https://work.openai.azure.com", "effort": "high"},
        "lab": {"endpoint": "https://lab.openai.azure.com", "deployment": "o4-mini"},
    }


def test_default_profile_is_set_at_the_top_level(azresp: RunCli, config_dir: Path) -> None:
    write(config_dir, COMMENTED)
    assert azresp("config", "set", "default_profile", "lab").exit_code == 0
    assert tomllib.loads((config_dir / "config.toml").read_text())["default_profile"] == "lab"
    assert azresp("config", "get", "default_profile").stdout == "lab\n"
    assert azresp("config", "get", "endpoint").stdout == "https://lab.openai.azure.com\n"
    assert azresp("config", "profiles").stdout == "lab\nwork\n"


def test_invalid_values_and_keys_are_usage_errors_and_change_nothing(
    azresp: RunCli, config_dir: Path
) -> None:
    path = write(config_dir, COMMENTED)
    for argv, words in [
        (("effort", "extreme"), "none, minimal, low"),
        (("history", "maybe"), "true or false"),
        (("timeout", "soon"), "a number"),
        (("max_retries", "--", "-1"), "at least 0"),
        (("endpoint", "http://example.com"), "http://"),
        (("approve", "sometimes"), "ask, always, never"),
    ]:
        result = azresp("config", "set", *argv)
        assert result.exit_code == 2, argv
        assert words in result.stderr, (argv, result.stderr)
    unknown = azresp("config", "set", "colour", "blue")
    assert unknown.exit_code == 2
    assert path.read_text() == COMMENTED


def test_malformed_file_names_the_line_and_is_never_rewritten(
    azresp: RunCli, config_dir: Path
) -> None:
    broken = 'default_profile = "work"\n\n[profiles.work]\neffort = low\n'
    path = write(config_dir, broken)
    for argv in (
        ("config", "set", "effort", "high"),
        ("config", "list"),
        ("config", "get", "effort"),
        ("auth", "logout"),
        ("chat", "hi"),
    ):
        result = azresp(*argv, env={"AZURE_OPENAI_ENDPOINT": "https://r.openai.azure.com"})
        assert result.exit_code == 2, (argv, result.stderr)
        assert "line 4" in result.stderr, result.stderr
        assert 'strings need quotes: effort = "low"' in result.stderr
    assert path.read_text() == broken
    assert sorted(p.name for p in config_dir.iterdir()) == ["config.toml"]


def test_writes_are_atomic_and_leave_no_temporary_files(
    azresp: RunCli, config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(config_dir, COMMENTED)
    path.chmod(0o640)

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", fail)
    result = azresp("config", "set", "effort", "low")
    assert result.exit_code != 0
    assert path.read_text() == COMMENTED  # the old file is whole
    assert sorted(p.name for p in config_dir.iterdir()) == ["config.toml"]
    monkeypatch.undo()
    assert azresp("config", "set", "effort", "low").exit_code == 0
    assert path.stat().st_mode & 0o777 == 0o640  # the file keeps its mode


def test_a_file_changed_while_editing_is_not_overwritten(
    azresp: RunCli, config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(config_dir, COMMENTED)
    real_dumps = __import__("tomlkit").dumps

    def dumps_after_someone_else_wrote(document: object) -> str:
        path.write_text(COMMENTED + "# edited meanwhile\n")
        return str(real_dumps(document))

    monkeypatch.setattr("tomlkit.dumps", dumps_after_someone_else_wrote)
    result = azresp("config", "set", "effort", "low")
    assert result.exit_code == 2
    assert "changed while azresp was editing it" in result.stderr
    assert path.read_text().endswith("# edited meanwhile\n")


def test_list_json_shape(azresp: RunCli, config_dir: Path) -> None:
    path = write(config_dir, COMMENTED)
    result = azresp("config", "list", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "path": str(path),
        "profile": "work",
        "default_profile": "work",
        "settings": {"endpoint": "https://work.openai.azure.com", "deployment": "gpt-4.1"},
        "profiles": {
            "work": {"endpoint": "https://work.openai.azure.com", "deployment": "gpt-4.1"},
            "lab": {"endpoint": "https://lab.openai.azure.com"},
        },
    }
    profiles = json.loads(azresp("config", "profiles", "--json").stdout)
    assert profiles == [{"name": "lab", "default": False}, {"name": "work", "default": True}]


def test_path_and_keys(azresp: RunCli, config_dir: Path) -> None:
    assert azresp("config", "path").stdout == f"{config_dir / 'config.toml'}\n"
    keys = azresp("config", "list", "--keys").stdout
    for key in ("endpoint", "image_deployment", "approve", "vi_mode", "output_dir"):
        assert key in keys


def test_cli_keys_match_the_schema() -> None:
    assert {k.value for k in ConfigKey} == set(config_keys.all_keys())


def test_check_file_reports_bad_values_and_unknown_keys_with_their_line(
    config_dir: Path, tmp_path: Path
) -> None:
    import io

    from azresp_cli.core.environment import Environment

    write(
        config_dir,
        '[profiles.default]\nendpoint = "https://r.openai.azure.com"\n'
        'effort = "max"\ncolour = "blue"\n',
    )
    env = Environment(
        io.StringIO(), io.StringIO(), io.StringIO(), False, False, False, {}, config_dir, tmp_path
    )
    problems = config_file.check_file(env)
    assert [(p.line, p.severity) for p in problems] == [(3, "error"), (4, "warning")]
    assert "effort must be one of" in problems[0].message
    assert "unknown key 'colour'" in problems[1].message
