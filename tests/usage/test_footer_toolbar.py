"""The per-turn footer and the REPL toolbar show the figures of the Response, and agree."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

from cli_support import RunCli
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from usage_support import TEST_PRICE, MakeSession

from azresp_cli.core.environment import Environment
from azresp_cli.repl.shell import Repl, ReplOptions
from azresp_cli.repl.toolbar import toolbar_fragments

FOOTER = re.compile(
    r"^(?P<id>resp_\w+) · (?P<input>[\d,]+) in(?: \((?P<cached>[\d,]+) cached\))?"
    r"(?: · (?P<reasoning>[\d,]+) reasoning)? · (?P<output>[\d,]+) out · (?P<cost>\$[\d.?]+)"
    r"(?: · (?P<tier>default|flex|priority))? · [\d.]+ s$",
    re.MULTILINE,
)
PRICES = """
[prices."gpt-test"]
input = 2.0
cached_input = 0.5
output = 8.0
"""


def number(text: str | None) -> int:
    return int((text or "0").replace(",", ""))


def expected_cost(usage: dict[str, Any]) -> float:
    cached = usage["input_tokens_details"]["cached_tokens"]
    return (
        (usage["input_tokens"] - cached) * TEST_PRICE.input
        + cached * (TEST_PRICE.cached_input or 0)
        + usage["output_tokens"] * TEST_PRICE.output
    ) / 1_000_000


def test_the_footer_shows_the_responses_usage_cost_and_tier(
    azresp: RunCli, emulator_env: dict[str, str], dirs: tuple[Path, Path]
) -> None:
    config_dir = dirs[0]
    config_dir.mkdir(parents=True)
    (config_dir / "config.toml").write_text(PRICES, encoding="utf-8")
    first = azresp("chat", "[[long:1500]] write a long report", env=emulator_env)
    assert first.exit_code == 0, first.stderr
    second = azresp("chat", "-c", "--effort", "high", "[[echo]] and now briefly", env=emulator_env)
    assert second.exit_code == 0, second.stderr
    for result in (first, second):
        match = FOOTER.search(result.stderr)
        assert match, result.stderr
        shown = azresp("get", match["id"], "--json", env=emulator_env)
        response = json.loads(shown.stdout)
        usage = response["usage"]
        assert number(match["input"]) == usage["input_tokens"]
        assert number(match["cached"]) == usage["input_tokens_details"]["cached_tokens"]
        assert number(match["reasoning"]) == usage["output_tokens_details"]["reasoning_tokens"]
        assert number(match["output"]) == usage["output_tokens"]
        assert match["tier"] == response["service_tier"]
        assert match["cost"] == f"${expected_cost(usage):.4f}"
    # The chained turn found the first one's long context cached, and reasoned.
    match = FOOTER.search(second.stderr)
    assert match and number(match["cached"]) >= 1024 and number(match["reasoning"]) > 0


def test_an_unpriced_deployment_shows_tokens_and_an_unknown_cost(
    azresp: RunCli, emulator_env: dict[str, str]
) -> None:
    result = azresp("chat", "[[reply:hi]]", env={**emulator_env, "AZURE_OPENAI_DEPLOYMENT": "x"})
    match = FOOTER.search(result.stderr)
    assert match and match["cost"] == "$?" and number(match["input"]) > 0


def test_the_toolbar_shows_the_footers_figures_and_the_session_totals(
    make_session: MakeSession, tmp_path: Path
) -> None:
    session = make_session()
    stdout, stderr = io.StringIO(), io.StringIO()
    env = Environment(
        stdin=io.StringIO(),
        stdout=stdout,
        stderr=stderr,
        stdin_isatty=True,
        stdout_isatty=False,
        stderr_isatty=False,
        data_dir=tmp_path / "repl-data",
        config_dir=tmp_path / "repl-config",
    )
    keys = "[[long:1300]] first\r[[echo]] second, cached\r/usage\r\x04"
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        Repl(env, session, ReplOptions(), input=pipe, output=DummyOutput()).run()
    footers = list(FOOTER.finditer(stderr.getvalue()))
    assert len(footers) == 2, stderr.getvalue()
    toolbar = "".join(text for _, text in toolbar_fragments(session))
    last = footers[-1]
    # The toolbar's last turn is the footer's text, word for word, cost included.
    words = last.group(0).split(" · ")[1:]
    usage_and_cost = " · ".join(w for w in words if w not in ("default",) and not w.endswith(" s"))
    assert f"last {usage_and_cost}" in toolbar
    totals = [session.meter.total.usage]
    assert totals[0] is not None
    first_in, last_in = number(footers[0]["input"]), number(last["input"])
    first_out, last_out = number(footers[0]["output"]), number(last["output"])
    assert f"session {first_in + last_in:,} in · {first_out + last_out:,} out" in toolbar
    assert "requests" in toolbar and "tokens left" in toolbar  # the emulator's rate limits
    # /usage lists the same turns, with the share of cached input.
    assert f"turn 1: {' · '.join(footers[0].group(0).split(' · ')[1:3])}" in stdout.getvalue()
    assert "% cached" in stdout.getvalue() and "total: " in stdout.getvalue()
