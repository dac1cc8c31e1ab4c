"""`bg start -t/--param/-f/--sf`: templates and fragments as on `chat`, seen on the wire, and
a finished job's fragments stored once in the history like any turn's."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from azresp_fixtures import Bodies, assert_one_error
from cli_support import RunCli
from template_support import template, user_texts, work_profile


def test_override_order_is_flag_then_template_then_profile_then_default(
    azresp: RunCli, emulator_env: dict[str, str], creates: Bodies, dirs: tuple[Path, Path]
) -> None:
    config_dir, _ = dirs
    work_profile(config_dir)
    template(
        config_dir,
        "t",
        'system = "From the template."\neffort = "medium"\nmax_output_tokens = 800\n'
        'schema = "title"\n',
    )
    result = azresp(
        "bg", "start", "--profile", "work", "-t", "t", "--max-output-tokens", "700", "hi",
        env=emulator_env,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    body = creates()[-1]
    assert body["background"] is True
    assert body["max_output_tokens"] == 700  # flag over template over profile
    assert body["instructions"] == "From the template."  # template over profile
    assert body["reasoning"] == {"effort": "medium"}
    assert body["text"]["verbosity"] == "low"  # the profile's: nobody else sets it
    assert body["text"]["format"]["schema"]["required"] == ["title"]  # the template's schema
    assert "service_tier" not in body  # the default: not sent


def test_input_is_the_prompt_or_stdin_and_params_fill_the_rest(
    azresp: RunCli, emulator_env: dict[str, str], creates: Bodies, dirs: tuple[Path, Path]
) -> None:
    config_dir, _ = dirs
    template(
        config_dir,
        "tr",
        'prompt = "Translate into $lang: $input"\nsystem = "You are $who."\n'
        '[defaults]\nlang = "French"\n',
    )
    first = azresp("bg", "start", "-t", "tr", "--param", "who", "a poet", "good morning",
                   env=emulator_env)  # fmt: skip
    assert first.exit_code == 0, first.stderr
    body = creates()[-1]
    assert user_texts(body) == ["Translate into French: good morning"]
    assert body["instructions"] == "You are a poet."
    piped = azresp(
        "bg", "start", "-t", "tr", "--param", "lang", "German", "--param", "who", "terse",
        stdin="good night", env=emulator_env,
    )  # fmt: skip
    assert piped.exit_code == 0, piped.stderr
    assert user_texts(creates()[-1]) == ["Translate into German: good night"]
    sent = len(creates())
    missing = azresp("bg", "start", "-t", "tr", "hello", env=emulator_env)
    line = assert_one_error(missing, 2)
    assert line == "error: template 'tr' needs parameter 'who'"
    assert "hint: pass --param who VALUE" in missing.stderr
    no_input = azresp("bg", "start", "-t", "tr", "--param", "who", "x", stdin="", env=emulator_env)
    assert no_input.exit_code == 2
    assert "error: template 'tr' needs input ($input)" in no_input.stderr
    assert len(creates()) == sent  # nothing sent after a usage error


def test_a_template_prompt_that_needs_no_input_is_sent_as_it_is(
    azresp: RunCli, emulator_env: dict[str, str], creates: Bodies, dirs: tuple[Path, Path]
) -> None:
    config_dir, _ = dirs
    template(config_dir, "standup", 'prompt = "Write my stand-up notes."\n')
    result = azresp("bg", "start", "-t", "standup", tty=True, env=emulator_env)
    assert result.exit_code == 0, result.stderr
    assert user_texts(creates()[-1]) == ["Write my stand-up notes."]


def test_a_template_with_tools_is_refused_before_any_request(
    azresp: RunCli, emulator_env: dict[str, str], creates: Bodies, dirs: tuple[Path, Path]
) -> None:
    config_dir, _ = dirs
    template(config_dir, "web", 'prompt = "Search: $input"\n[tools]\nweb_search = true\n')
    result = azresp("bg", "start", "-t", "web", "news", env=emulator_env)
    line = assert_one_error(result, 2)
    assert line == "error: template 'web' uses tools or attachments, which bg start does not send"
    assert "azresp chat -t web --background" in result.stderr
    assert creates() == []


def test_fragments_go_over_the_wire_and_are_stored_once_in_the_history(
    azresp: RunCli,
    emulator_env: dict[str, str],
    creates: Bodies,
    dirs: tuple[Path, Path],
    tmp_path: Path,
) -> None:
    _, data_dir = dirs
    spec = tmp_path / "spec.md"
    spec.write_text("The API streams server-sent events. " * 2000)
    rules = tmp_path / "rules.md"
    rules.write_text("Be terse.")
    assert azresp("fragments", "set", "rules", str(rules)).exit_code == 0
    ids = []
    for number in range(3):
        result = azresp(
            "bg", "start", "-s", "You explain.", "-f", str(spec), "--sf", "rules",
            f"question {number}", env=emulator_env,
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr
        ids.append(result.stdout.strip())
        body = creates()[-1]
        assert user_texts(body) == [spec.read_text(), f"question {number}"]
        assert body["instructions"] == "You explain.\n\nBe terse."
    for response_id in ids:
        done = azresp("bg", "poll", "--wait", "--interval", "0.02", response_id, env=emulator_env)
        assert done.exit_code == 0, done.stderr
    shown = azresp("history", "show", ids[0], "--json", env=emulator_env)
    assert json.loads(shown.stdout)["prompt"] == "question 0"  # the fragment is not in it
    db = sqlite3.connect(data_dir / "history.db")
    try:
        assert db.execute("SELECT count(*) FROM fragments").fetchone() == (2,)
        assert db.execute("SELECT count(*) FROM turn_fragments").fetchone() == (6,)
        linked = {row[0] for row in db.execute("SELECT response_id FROM turn_fragments")}
    finally:
        db.close()
    assert linked == set(ids)
