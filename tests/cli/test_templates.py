"""Templates: saved with --save as TOML a person edits, used with -t; flag > template > profile >
default; $input and --param placeholders; `azresp templates ...`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from cli_support import RunCli
from template_support import creates, user_texts, work_profile


def test_a_saved_template_is_a_file_a_person_edits_and_it_round_trips(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any, dirs: tuple[Path, Path]
) -> None:
    config_dir, _ = dirs
    saved = azresp(
        "chat", "--save", "review", "-s", "You review $lang code.", "--effort", "low",
        "--schema", "verdict, issues list[str]", "--param", "lang", "Go",
        "Review this:\n$input", env=emulator_env,
    )  # fmt: skip
    assert saved.exit_code == 0, saved.stderr
    path = config_dir / "templates" / "review.toml"
    assert f"saved template 'review' in {path}" in saved.stderr
    assert emulator.requests == []  # --save asks nothing
    text = path.read_text()
    assert 'system = "You review $lang code."' in text
    assert 'effort = "low"' in text
    assert 'schema = "verdict, issues list[str]"' in text
    assert '[defaults]\nlang = "Go"' in text
    assert "prompt = '''Review this:\n$input'''" in text  # a multi-line string, as typed

    # A person edits it: another effort, a verbosity, a default parameter changed.
    edited = text.replace('effort = "low"', 'effort = "high"\nverbosity = "low"')
    path.write_text(edited.replace('lang = "Go"', 'lang = "Rust"'))
    result = azresp("chat", "-t", "review", "fn main() {}", env=emulator_env)
    assert result.exit_code == 0, result.stderr
    body = creates(emulator)[-1]
    assert body["instructions"] == "You review Rust code."
    assert body["reasoning"] == {"effort": "high"}
    assert body["text"]["verbosity"] == "low"
    assert body["text"]["format"]["schema"]["required"] == ["verdict", "issues"]
    assert user_texts(body) == ["Review this:\nfn main() {}"]
    assert json.loads(result.stdout) == {"verdict": "example", "issues": ["example"]}


def test_override_order_is_flag_then_template_then_profile_then_default(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any, dirs: tuple[Path, Path]
) -> None:
    config_dir, _ = dirs
    work_profile(config_dir)
    (config_dir / "templates").mkdir()
    (config_dir / "templates" / "t.toml").write_text(
        'system = "From the template."\neffort = "medium"\nmax_output_tokens = 800\n'
    )
    result = azresp(
        "chat", "--profile", "work", "-t", "t", "--max-output-tokens", "700", "hi",
        env=emulator_env,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    body = creates(emulator)[-1]
    assert body["max_output_tokens"] == 700  # flag over template over profile
    assert body["instructions"] == "From the template."  # template over profile
    assert body["reasoning"] == {"effort": "medium"}  # template over profile
    assert body["text"] == {"verbosity": "low"}  # profile: neither flag nor template sets it
    assert "service_tier" not in body  # nobody sets it: the default (not sent)


def test_input_is_the_prompt_or_stdin_and_params_fill_the_rest(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any, dirs: tuple[Path, Path]
) -> None:
    config_dir, _ = dirs
    (config_dir / "templates").mkdir(parents=True)
    (config_dir / "templates" / "tr.toml").write_text(
        'prompt = "Translate into $lang: $input"\n[defaults]\nlang = "French"\n'
    )
    azresp("chat", "-t", "tr", "good morning", env=emulator_env)
    assert user_texts(creates(emulator)[-1]) == ["Translate into French: good morning"]
    azresp("chat", "-t", "tr", "--param", "lang", "German", stdin="good night", env=emulator_env)
    assert user_texts(creates(emulator)[-1]) == ["Translate into German: good night"]


def test_a_missing_parameter_is_a_usage_error_naming_it(
    azresp: RunCli, emulator_env: dict[str, str], emulator: Any, dirs: tuple[Path, Path]
) -> None:
    config_dir, _ = dirs
    (config_dir / "templates").mkdir(parents=True)
    (config_dir / "templates" / "p.toml").write_text(
        'system = "Answer as a $role."\nprompt = "$input ($tone)"\n'
    )
    result = azresp("chat", "-t", "p", "--param", "tone", "dry", "hi", env=emulator_env)
    assert result.exit_code == 2
    assert "error: template 'p' needs parameter 'role'" in result.stderr
    assert "hint: pass --param role VALUE" in result.stderr
    assert emulator.requests == []
    bad = azresp("chat", "-t", "p", "--param", "1x", "y", "hi", env=emulator_env)
    assert bad.exit_code == 2 and "'1x' is not a parameter name" in bad.stderr
    missing = azresp("chat", "-t", "nope", "hi", env=emulator_env)
    assert missing.exit_code == 4 and "error: no template 'nope'" in missing.stderr


def test_a_template_saves_tools_and_attachments_by_path(
    azresp: RunCli, emulator_env: dict[str, str], dirs: tuple[Path, Path], tmp_path: Path
) -> None:
    config_dir, _ = dirs
    tool = tmp_path / "weather.py"
    tool.write_text('def get_weather(city: str) -> str:\n    """Weather."""\n    return "sun"\n')
    notes = tmp_path / "notes.txt"
    notes.write_text("remember the milk")
    saved = azresp(
        "chat", "--save", "kit", "--tool", str(tool), "--code", "-a", str(notes), "-m", "gpt-x",
        env=emulator_env,
    )  # fmt: skip
    assert saved.exit_code == 0, saved.stderr
    text = (config_dir / "templates" / "kit.toml").read_text()
    assert 'model = "gpt-x"' in text
    assert f'attachments = ["{notes.resolve()}"]' in text
    assert f'functions = ["{tool.resolve()}"]' in text and "code = true" in text


def test_a_saved_template_finds_its_fragment_files_from_any_directory(
    azresp: RunCli,
    emulator_env: dict[str, str],
    emulator: Any,
    dirs: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: Any,
) -> None:
    config_dir, _ = dirs
    project = tmp_path / "project"
    project.mkdir()
    (project / "style.md").write_text("Use British spelling.")
    assert azresp("fragments", "set", "house", str(project / "style.md")).exit_code == 0
    monkeypatch.chdir(project)
    saved = azresp(
        "chat", "--save", "frag", "-f", "style.md", "--sf", "house", "--sf", "-",
        env=emulator_env,
    )  # fmt: skip
    assert saved.exit_code == 0, saved.stderr
    text = (config_dir / "templates" / "frag.toml").read_text()
    assert f'fragments = ["{project / "style.md"}"]' in text  # a file: by absolute path
    assert 'system_fragments = ["house", "-"]' in text  # an alias and stdin: as given
    monkeypatch.chdir(tmp_path)
    used = azresp("chat", "-t", "frag", "--sf", "house", "go", env=emulator_env)
    assert used.exit_code == 0, used.stderr
    assert user_texts(creates(emulator)[-1]) == ["Use British spelling.", "go"]


@pytest.mark.slow
def test_templates_list_show_path_edit_delete(
    azresp: RunCli, emulator_env: dict[str, str], dirs: tuple[Path, Path], tmp_path: Path
) -> None:
    config_dir, _ = dirs
    azresp("chat", "--save", "one", "-s", "Be brief.", env=emulator_env)
    azresp("chat", "--save", "two", "Summarize: $input", env=emulator_env)
    listed = azresp("templates", "list")
    assert listed.stdout == "one\tBe brief.\ntwo\tSummarize: $input\n"
    shown = azresp("templates", "show", "one")
    assert 'system = "Be brief."' in shown.stdout
    assert azresp("templates", "path").stdout == f"{config_dir / 'templates'}\n"
    assert azresp("templates", "path", "two").stdout == f"{config_dir / 'templates' / 'two.toml'}\n"

    editor = tmp_path / "editor.py"
    editor.write_text(
        "import pathlib, sys\n"
        "p = pathlib.Path(sys.argv[1])\n"
        "p.write_text(p.read_text().replace('Be brief.', 'Be very brief.'))\n"
    )
    edited = azresp("templates", "edit", "one", env={"EDITOR": f"{sys.executable} {editor}"})
    assert edited.exit_code == 0, edited.stderr
    assert 'system = "Be very brief."' in azresp("templates", "show", "one").stdout

    broken = tmp_path / "break.py"
    broken.write_text("import pathlib, sys\npathlib.Path(sys.argv[1]).write_text('x = [')\n")
    after = azresp("templates", "edit", "two", env={"EDITOR": f"{sys.executable} {broken}"})
    assert after.exit_code == 2 and "two.toml" in after.stderr and "hint:" in after.stderr

    deleted = azresp("templates", "delete", "one")
    assert deleted.exit_code == 0 and not (config_dir / "templates" / "one.toml").exists()
    again = azresp("templates", "delete", "one")
    assert again.exit_code == 4 and "no template 'one'" in again.stderr
    assert azresp("chat", "--save", "../evil", env=emulator_env).exit_code == 2
