"""``azresp usage``: totals equal the stored turns, groups are right, old rows stay unknown."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
from cli_support import RunCli

from azresp_cli.core import history_schema

PRICES = '[prices."gpt-test"]\ninput = 2.0\ncached_input = 0.5\noutput = 8.0\n'


def stored_turns(azresp: RunCli) -> list[dict[str, Any]]:
    """Every turn of the local history, as `history show --json` prints it."""
    listed = azresp("history", "list", "--json", "-n", "100")
    turns = []
    for conversation in json.loads(listed.stdout):
        shown = azresp("history", "show", conversation["id"], "--json")
        turns += json.loads(shown.stdout)["turns"]
    return turns


def usage_json(azresp: RunCli, *args: str) -> dict[str, Any]:
    result = azresp("usage", "--json", *args)
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_usage_totals_are_the_sum_of_the_stored_turns_and_group_correctly(
    azresp: RunCli, emulator_env: dict[str, str], dirs: tuple[Path, Path]
) -> None:
    dirs[0].mkdir(parents=True)
    (dirs[0] / "config.toml").write_text(PRICES, encoding="utf-8")
    other = {**emulator_env, "AZURE_OPENAI_DEPLOYMENT": "unpriced"}
    assert azresp("chat", "[[long:1200]] first", env=emulator_env).exit_code == 0
    assert azresp("chat", "-c", "--effort", "low", "second", env=emulator_env).exit_code == 0
    assert azresp("chat", "[[reply:elsewhere]]", env=other).exit_code == 0
    background = azresp("chat", "--background", "[[reply:a job]]", env=emulator_env)
    assert background.exit_code == 0, background.stderr
    last = json.loads(azresp("history", "list", "--json").stdout)[0]["last_response_id"]
    compacted = azresp("compact", last, env=emulator_env)
    assert compacted.exit_code == 0, compacted.stderr

    turns = stored_turns(azresp)
    assert len(turns) == 5
    assert {t["status"] for t in turns} == {"completed", "compacted"}
    report = usage_json(azresp)
    total = report["total"]
    for key in ("input_tokens", "cached_tokens", "reasoning_tokens", "output_tokens"):
        assert total[key] == sum(t["usage"][key] for t in turns), key
    assert total["turns"] == 5 and total["cached_tokens"] >= 1024
    assert total["reasoning_tokens"] > 0
    priced = [t for t in turns if t["cost"] is not None]
    assert len(priced) == 4 and total["priced_turns"] == 4 and total["unpriced_turns"] == 1
    assert total["cost"] == round(sum(t["cost"] for t in priced), 10)
    assert report["currency"] == "USD"

    by_model = {g["key"]: g for g in usage_json(azresp, "--by", "model")["groups"]}
    assert set(by_model) == {"gpt-test", "unpriced"}
    assert by_model["unpriced"]["cost"] is None and by_model["unpriced"]["unpriced_turns"] == 1
    assert by_model["gpt-test"]["turns"] == 4
    assert by_model["gpt-test"]["cost"] == total["cost"]

    by_conversation = usage_json(azresp, "--by", "conversation")["groups"]
    sizes = {}
    for turn in turns:
        sizes[turn["conversation_id"]] = sizes.get(turn["conversation_id"], 0) + 1
    assert {g["key"]: g["turns"] for g in by_conversation} == sizes

    by_day = usage_json(azresp, "--by", "day", "--since", "7d")["groups"]
    assert [g["key"] for g in by_day] == [time.strftime("%Y-%m-%d")]
    assert usage_json(azresp, "--since", "2999-01-01")["total"]["turns"] == 0

    table = azresp("usage", "--by", "model")
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["MODEL", "TURNS", "INPUT", "CACHED", "REASONING", "OUTPUT", "COST"]
    assert lines[-1].startswith("total") and lines[-1].endswith(" + ?")
    assert "1 turn without a cost" in table.stderr


def test_turns_recorded_before_costs_were_kept_show_as_unknown_never_zero(
    azresp: RunCli, dirs: tuple[Path, Path]
) -> None:
    data_dir = dirs[1]
    data_dir.mkdir(parents=True)
    db = sqlite3.connect(data_dir / "history.db", isolation_level=None)
    db.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at REAL NOT NULL)")
    earlier = [m for m in history_schema.MIGRATIONS if m[0] != "m005_usage_cost"]
    for name, migration in earlier:  # the schema before azresp kept costs
        migration(db)
        db.execute("INSERT INTO _migrations VALUES (?, ?)", (name, time.time()))
    now = time.time()
    db.execute("INSERT INTO conversations VALUES ('conv_old', ?, ?)", (now, now))
    db.execute(
        "INSERT INTO turns (conversation_id, response_id, prompt, answer, deployment, endpoint, "
        "endpoint_host, status, stored, input_tokens, output_tokens, reasoning_tokens, "
        "cached_tokens, started_at, finished_at) VALUES ('conv_old', 'resp_old', 'p', 'a', "
        "'gpt-4.1', 'https://r.openai.azure.com/openai/v1/', 'r.openai.azure.com', 'completed', "
        "1, 100, 20, 0, 0, ?, ?)",
        (now, now),
    )
    db.close()
    total = usage_json(azresp)["total"]
    assert total["input_tokens"] == 100 and total["output_tokens"] == 20
    assert total["cost"] is None and total["unpriced_turns"] == 1  # never $0
    shown = json.loads(azresp("history", "show", "resp_old", "--json").stdout)
    assert shown["cost"] is None and shown["usage"]["input_tokens"] == 100
    table = azresp("usage")
    assert table.stdout.splitlines()[-1].endswith("$?")


def test_a_background_job_started_with_bg_counts_with_its_cost(
    azresp: RunCli, emulator_env: dict[str, str], dirs: tuple[Path, Path]
) -> None:
    dirs[0].mkdir(parents=True)
    (dirs[0] / "config.toml").write_text(PRICES, encoding="utf-8")
    started = azresp("bg", "start", "[[reply:done in the background]]", env=emulator_env)
    assert started.exit_code == 0, started.stderr
    job = started.stdout.strip()
    waited = azresp("bg", "poll", "--wait", "--interval", "0.01", job, env=emulator_env)
    assert waited.exit_code == 0, waited.stderr
    turn = json.loads(azresp("history", "show", job, "--json").stdout)
    usage = turn["usage"]
    assert usage["input_tokens"] > 0 and usage["output_tokens"] > 0
    expected = (usage["input_tokens"] * 2.0 + usage["output_tokens"] * 8.0) / 1_000_000
    assert turn["cost"] == pytest.approx(expected) and turn["service_tier"] == "default"
    total = usage_json(azresp)["total"]
    assert total["turns"] == 1 and total["cost"] == pytest.approx(expected)
