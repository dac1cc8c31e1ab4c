"""`azresp batch submit/status/fetch` against the emulator's /batches, over loopback HTTP."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from batch_support import env_of, rows_of, submit, watch
from cli_support import RunCli


@pytest.mark.slow  # seconds by design
def test_a_10000_line_file_round_trips_joined_in_input_order(
    azresp: RunCli, emulator_env: dict[str, str], recorded: Any, tmp_path: Path
) -> None:
    prompts = [f"prompt {number:05d} of the big file" for number in range(1, 10_001)]
    source = tmp_path / "prompts.txt"
    source.write_text("\n".join(prompts) + "\n", encoding="utf-8")
    env = env_of(emulator_env)

    (batch_id,) = submit(azresp, env, str(source))
    watched = watch(azresp, env, batch_id)
    assert watched.exit_code == 0, watched.stderr
    assert watched.stdout.split("\t")[:5] == [batch_id, "completed", "10000", "0", "10000"]
    out = tmp_path / "answers.jsonl"
    fetched = azresp("batch", "fetch", batch_id, "-o", str(out), env=env)

    assert fetched.exit_code == 0, fetched.stderr
    assert "wrote 10,000 rows" in fetched.stderr
    rows = rows_of(out)
    assert [row["line"] for row in rows] == list(range(1, 10_001))
    for row, prompt in zip(rows, prompts, strict=True):
        assert row["status"] == "completed"
        assert f'You said: "{prompt}"' in row["answer"]
        assert row["output_tokens"] > 0
    uploads = recorded("POST", "/files")
    assert len(uploads) == 1
    (created,) = [r.json for r in recorded("POST", "/batches")]
    assert created["endpoint"] == "/v1/responses"
    assert created["completion_window"] == "24h"


def test_each_line_carries_the_body_chat_would_send(
    azresp: RunCli, emulator_env: dict[str, str], recorded: Any, tmp_path: Path, dirs: Any
) -> None:
    env = env_of(emulator_env)
    options = ("-s", "Answer in French", "--effort", "low", "--max-output-tokens", "300")
    chat = azresp("chat", "--no-history", *options, "hello there", env=env)
    assert chat.exit_code == 0, chat.stderr
    chat_body = dict(recorded("POST", "/responses")[-1].json)
    chat_body.pop("stream", None)

    (batch_id,) = submit(azresp, env, "-", *options, stdin="hello there\n")

    data_dir = dirs[1]
    (part,) = (data_dir / "batches").glob("*/part-1.jsonl")
    (line,) = [json.loads(text) for text in part.read_text().splitlines()]
    # A chat has its conversation's prompt_cache_key, a batch one for all its lines; the rest of
    # the body is chat's exactly.
    assert chat_body.pop("prompt_cache_key").startswith("azresp-conv_")
    assert line["body"].pop("prompt_cache_key").startswith("azresp-batch-")
    assert line == {
        "custom_id": "line-1",
        "method": "POST",
        "url": "/v1/responses",
        "body": chat_body,
    }
    assert not part.read_bytes().startswith(b"\xef\xbb\xbf")
    assert watch(azresp, env, batch_id).exit_code == 0


def test_an_input_over_the_per_file_limit_is_split_and_fetched_as_one(
    azresp: RunCli, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    source = tmp_path / "many.txt"
    source.write_text("".join(f"question {n}\n" for n in range(1, 101)))
    env = env_of(emulator_env, AZRESP_BATCH_MAX_REQUESTS="40")

    ids = submit(azresp, env, str(source))

    assert len(ids) == 3
    assert watch(azresp, env, ids[-1]).exit_code == 0  # watches every batch of the submission
    out = tmp_path / "all.jsonl"
    assert azresp("batch", "fetch", ids[1], "-o", str(out), env=env).exit_code == 0
    rows = rows_of(out)
    assert [row["line"] for row in rows] == list(range(1, 101))
    assert all(f'"question {row["line"]}"' in row["answer"] for row in rows)


def test_a_line_too_large_for_any_file_is_refused_before_upload(
    azresp: RunCli, emulator_env: dict[str, str], recorded: Any, tmp_path: Path
) -> None:
    env = env_of(emulator_env, AZRESP_BATCH_MAX_BYTES="300")
    result = azresp("batch", "submit", "-", env=env, stdin="short\n" + "x" * 400 + "\n")
    assert result.exit_code == 2
    assert "line 2 alone is larger than a batch file may be (300 bytes)" in result.stderr
    assert recorded("POST", "/files") == []


def test_failed_lines_are_reported_and_retry_failed_completes_them(
    azresp: RunCli, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    lines = [f"item {n}" + (" [[fault:500 once]]" if n % 4 == 0 else "") for n in range(1, 13)]
    source = tmp_path / "flaky.txt"
    source.write_text("\n".join(lines) + "\n")
    env = env_of(emulator_env)
    (batch_id,) = submit(azresp, env, str(source))
    assert watch(azresp, env, batch_id).stdout.split("\t")[1:5] == ["completed", "9", "3", "12"]

    first = tmp_path / "first.jsonl"
    fetched = azresp("batch", "fetch", batch_id, "-o", str(first), env=env)
    assert fetched.exit_code == 14
    assert "3 of 12 lines did not succeed" in fetched.stderr
    assert "--retry-failed" in fetched.stderr
    rows = rows_of(first)
    assert [row["status"] for row in rows] == [
        "failed" if n % 4 == 0 else "completed" for n in range(1, 13)
    ]
    assert rows[3]["error_code"] == "server_error" and rows[3]["answer"] == ""

    retried = azresp(
        "batch", "fetch", "--retry-failed", batch_id, "-o", str(tmp_path / "second.jsonl"), env=env
    )
    assert retried.exit_code == 0, retried.stderr
    (retry_id,) = retried.stdout.split()
    assert retry_id != batch_id
    watched = watch(azresp, env, retry_id).stdout.splitlines()  # the submission's batches
    assert [line.split("\t")[:5] for line in watched] == [
        [batch_id, "completed", "9", "3", "12"],
        [retry_id, "completed", "3", "0", "3"],
    ]
    final = tmp_path / "final.jsonl"
    assert azresp("batch", "fetch", batch_id, "-o", str(final), env=env).exit_code == 0
    rows = rows_of(final)
    assert [row["status"] for row in rows] == ["completed"] * 12
    assert [row["line"] for row in rows] == list(range(1, 13))


def test_invalid_bodies_fail_their_own_lines_only(
    azresp: RunCli, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    bodies = [
        {"input": "fine one"},
        {"input": "bad one", "temperature": "hot"},
        {"input": "fine two", "reasoning": {"effort": "low"}},
    ]
    source = tmp_path / "bodies.jsonl"
    source.write_text("".join(json.dumps(body) + "\n" for body in bodies))
    env = env_of(emulator_env)
    (batch_id,) = submit(azresp, env, str(source))
    watch(azresp, env, batch_id)
    out = tmp_path / "out.jsonl"
    assert azresp("batch", "fetch", batch_id, "-o", str(out), env=env).exit_code == 14
    rows = rows_of(out)
    assert [row["status"] for row in rows] == ["completed", "failed", "completed"]
    assert "temperature" in rows[1]["error"]


def test_cancel_keeps_the_finished_lines_fetchable(
    azresp: RunCli, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    lines = ["first [[batch:hold=5 pace=1]]", *[f"next {n}" for n in range(2, 21)]]
    env = env_of(emulator_env)
    (batch_id,) = submit(azresp, env, "-", stdin="\n".join(lines) + "\n")
    status = ""
    while "\tin_progress\t5\t" not in status:
        status = azresp("batch", "status", batch_id, env=env).stdout

    cancelled = azresp("batch", "cancel", batch_id, env=env)
    assert cancelled.exit_code == 0
    assert cancelled.stdout.split("\t")[1] in ("cancelling", "cancelled")
    ended = watch(azresp, env, batch_id)
    assert ended.exit_code == 14 and "ended cancelled" in ended.stderr
    out = tmp_path / "partial.csv"
    assert azresp("batch", "fetch", batch_id, "-o", str(out), env=env).exit_code == 14
    rows = rows_of(out)
    assert [row["status"] for row in rows] == ["completed"] * 5 + ["cancelled"] * 15
    assert rows[4]["answer"].count("next 5") == 1


def test_an_expired_batch_reports_its_unfinished_lines(
    azresp: RunCli, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    lines = ["one [[batch:expire=2]]", "two", "three", "four"]
    env = env_of(emulator_env)
    (batch_id,) = submit(azresp, env, "-", stdin="\n".join(lines))
    assert "ended expired" in watch(azresp, env, batch_id).stderr
    out = tmp_path / "out.jsonl"
    assert azresp("batch", "fetch", batch_id, "-o", str(out), env=env).exit_code == 14
    rows = rows_of(out)
    assert [row["status"] for row in rows] == ["completed", "completed", "expired", "expired"]
    assert rows[2]["error_code"] == "batch_expired"


def test_a_csv_becomes_a_csv_with_its_other_columns_kept(
    azresp: RunCli, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    source = tmp_path / "tickets.csv"
    source.write_text(
        'id,text,team\n17,"Refund, please",billing\n18,App crashes on start,mobile\n',
        encoding="utf-8-sig",  # a BOM, as Excel writes it: not in the batch file
    )
    env = env_of(emulator_env)
    (batch_id,) = submit(azresp, env, str(source), "--column", "text")
    watch(azresp, env, batch_id)
    out = tmp_path / "answers.csv"

    assert azresp("batch", "fetch", batch_id, "-o", str(out), env=env).exit_code == 0
    rows = rows_of(out)
    assert [(row["id"], row["team"], row["prompt"]) for row in rows] == [
        ("17", "billing", "Refund, please"),
        ("18", "mobile", "App crashes on start"),
    ]
    assert all(row["status"] == "completed" for row in rows)
    assert rows[0]["cost_usd"] == ""


def test_fetch_never_overwrites_a_file(
    azresp: RunCli, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    env = env_of(emulator_env)
    (batch_id,) = submit(azresp, env, "-", stdin="hello\n")
    watch(azresp, env, batch_id)
    out = tmp_path / "keep.jsonl"
    out.write_text("precious\n")
    result = azresp("batch", "fetch", batch_id, "-o", str(out), env=env)
    assert result.exit_code == 2
    assert "exists" in result.stderr
    assert out.read_text() == "precious\n"


def test_local_checks_refuse_duplicates_and_a_second_deployment(
    azresp: RunCli, emulator_env: dict[str, str], recorded: Any
) -> None:
    env = env_of(emulator_env)
    duplicated = '{"custom_id":"a","body":{"input":"x"}}\n{"custom_id":"a","body":{"input":"y"}}\n'
    result = azresp("batch", "submit", "-", "--format", "jsonl", env=env, stdin=duplicated)
    assert result.exit_code == 2 and "custom_id 'a' appears twice" in result.stderr
    mixed = '{"input":"x","model":"gpt-test"}\n{"input":"y","model":"other"}\n'
    result = azresp("batch", "submit", "-", "--format", "jsonl", env=env, stdin=mixed)
    assert result.exit_code == 2 and "a batch file holds one deployment" in result.stderr
    assert recorded("POST", "/files") == []


def test_list_shows_the_service_batches_with_their_input(
    azresp: RunCli, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    source = tmp_path / "named.txt"
    source.write_text("a\nb\n")
    env = env_of(emulator_env)
    (batch_id,) = submit(azresp, env, str(source))
    listed = azresp("batch", "list", env=env)
    assert listed.exit_code == 0
    assert listed.stdout.splitlines()[0].startswith(batch_id + "\t")
    assert listed.stdout.splitlines()[0].endswith("\tnamed.txt")


def test_a_template_and_a_schema_apply_to_every_line(
    azresp: RunCli, emulator_env: dict[str, str], tmp_path: Path, dirs: Any
) -> None:
    env = env_of(emulator_env)
    saved = azresp(
        "chat", "--save", "review", "-s", "You review $lang code.", "--effort", "low",
        "--schema", "verdict, issues list[str]", "Review this: $input", env=env,
    )  # fmt: skip
    assert saved.exit_code == 0, saved.stderr

    (batch_id,) = submit(
        azresp, env, "-", "-t", "review", "--param", "lang", "Go", stdin="x := 1\ny := 2\n"
    )

    (part,) = (dirs[1] / "batches").glob("*/part-1.jsonl")
    bodies = [json.loads(text)["body"] for text in part.read_text().splitlines()]
    assert [body["input"] for body in bodies] == ["Review this: x := 1", "Review this: y := 2"]
    for body in bodies:
        assert body["instructions"] == "You review Go code."
        assert body["reasoning"]["effort"] == "low"
        assert body["text"]["format"]["type"] == "json_schema"
        assert body["text"]["format"]["schema"]["required"] == ["verdict", "issues"]
    watch(azresp, env, batch_id)
    out = tmp_path / "reviews.jsonl"
    assert azresp("batch", "fetch", batch_id, "-o", str(out), env=env).exit_code == 0
    answers = [json.loads(row["answer"]) for row in rows_of(out)]
    assert all(set(answer) == {"verdict", "issues"} for answer in answers)


@pytest.mark.slow  # seconds by design
def test_the_upload_shows_a_bar_on_a_terminal_only(
    azresp: RunCli, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    source = tmp_path / "big.txt"
    source.write_text("".join(f"{n:06d} " + "word " * 30 + "\n" for n in range(8000)))
    env = env_of(emulator_env)

    on_tty = azresp("batch", "submit", str(source), env=env, tty=True)
    piped = azresp("batch", "submit", str(source), env=env)

    assert on_tty.exit_code == 0 and piped.exit_code == 0
    assert "uploading part-1.jsonl" in on_tty.stderr
    assert "uploading" not in piped.stderr
    assert piped.stdout.startswith("batch_") and "\x1b" not in piped.stdout
