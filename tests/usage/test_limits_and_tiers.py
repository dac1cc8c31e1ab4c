"""Rate-limit headers, 429s that name their limit, service tiers and the flex fallback."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from azresp_fixtures import Bodies, assert_one_error
from cli_support import RunCli
from usage_support import MakeSession, run_turn

from azresp_cli.core.errors import ExitCode, RateLimitError
from azresp_cli.core.events import RetryScheduled
from azresp_cli.core.ratelimits import RateLimits, rate_limits
from azresp_cli.repl.toolbar import toolbar_fragments


def toolbar(session: Any) -> str:
    return "".join(text for _, text in toolbar_fragments(session))


def test_rate_limit_headers_go_down_as_you_spend_and_show_in_the_toolbar(
    make_session: MakeSession,
) -> None:
    session = make_session()
    run_turn(session, "[[ratelimit:requests=5 tokens=4000]] [[reply:one]]")
    first = session.meter.limits
    assert first == RateLimits(
        remaining_requests=4,
        remaining_tokens=first.remaining_tokens if first else None,
        limit_requests=5,
        limit_tokens=4000,
        reset_requests=60.0,
        reset_tokens=60.0,
    )
    assert first is not None and first.remaining_tokens is not None
    run_turn(session, "[[reply:two]]")
    second = session.meter.limits
    assert second is not None and second.remaining_requests == 3
    assert second.remaining_tokens is not None
    assert second.remaining_tokens < first.remaining_tokens
    assert f"3/5 requests · {second.remaining_tokens:,}/4,000 tokens left" in toolbar(session)


def test_a_429_names_the_limit_that_was_hit_and_when_it_resets(
    azresp: RunCli, emulator_env: dict[str, str]
) -> None:
    env = {**emulator_env, "AZRESP_MAX_RETRIES": "0"}
    assert azresp("chat", "[[ratelimit:requests=1]] [[reply:ok]]", env=env).exit_code == 0
    refused = azresp("chat", "[[reply:too many]]", env=env)
    assert_one_error(refused, ExitCode.RATE_LIMIT)
    hint = next(line for line in refused.stderr.splitlines() if line.startswith("hint: "))
    assert re.search(r"the requests-per-minute limit \(1\) is used up; it resets in \d+ s", hint)


def test_nonsense_rate_limit_values_are_not_shown(make_session: MakeSession) -> None:
    session = make_session()
    run_turn(session, "[[ratelimit:nonsense]] [[reply:ok]]")
    assert session.meter.limits is None
    assert "requests" not in toolbar(session) and "left" not in toolbar(session)
    # The parsing rules themselves: -1, 0 on a request that went through, text, a 0 limit.
    assert rate_limits({"x-ratelimit-remaining-requests": "-1"}) is None
    assert rate_limits({"x-ratelimit-remaining-tokens": "0"}) is None
    assert rate_limits({"x-ratelimit-remaining-tokens": "lots"}) is None
    assert rate_limits({"x-ratelimit-limit-tokens": "0"}) is None
    assert rate_limits({"x-ratelimit-remaining-tokens": "0"}, refused=True) == RateLimits(
        remaining_tokens=0
    )
    assert rate_limits(
        {"x-ratelimit-remaining-requests": "90", "x-ratelimit-limit-requests": "60"}
    ) == RateLimits(limit_requests=60)  # more left than the limit: nonsense
    assert rate_limits({"x-ratelimit-reset-tokens": "1m30s"}) == RateLimits(reset_tokens=90.0)


def test_doctor_shows_the_rate_limits(azresp: RunCli, emulator_env: dict[str, str]) -> None:
    result = azresp("doctor", "--json", env=emulator_env)
    checks = {c["name"]: c for c in json.loads(result.stdout)["checks"]}
    facts = checks["deployment"]["facts"]
    assert facts["limit_requests"] == 10_000 and facts["remaining_requests"] == 9_999
    assert "rate limits: 9,999/10,000 requests" in checks["deployment"]["summary"]


def test_the_tier_the_service_used_is_shown_even_when_it_is_not_the_one_asked(
    make_session: MakeSession, creates: Bodies
) -> None:
    session = make_session()
    session.options = session.options.changed(service_tier="priority")
    _, done = run_turn(session, "[[reply:fast]]")
    assert done.response.service_tier == "priority"
    _, done = run_turn(session, "[[tier:default]] [[reply:downgraded]]")
    assert done.response.service_tier == "default"
    assert [b["service_tier"] for b in creates()] == ["priority", "priority"]
    assert toolbar(session).count("default") == 0  # the toolbar shows tokens, not the tier
    assert session.meter.charges[-1].tier == "default"


def test_flex_falls_back_to_default_exactly_once_and_says_so(
    make_session: MakeSession, creates: Bodies
) -> None:
    session = make_session()
    session.options = session.options.changed(service_tier="flex")
    session.options = session.options.changed(flex_fallback=True)
    events, done = run_turn(session, "[[tier:busy]] [[reply:served]]")
    notes = [e for e in events if isinstance(e, RetryScheduled)]
    assert len(notes) == 1 and notes[0].change == "with the default tier"
    assert "flex tier has no capacity" in notes[0].reason
    assert [b["service_tier"] for b in creates()] == ["flex", "default"]
    assert done.response.output_text == "served" and done.response.service_tier == "default"
    # The next turn asks for flex again: the fallback is for one request, not the session.
    run_turn(session, "[[reply:flex again]]")
    assert creates()[-1]["service_tier"] == "flex"


def test_without_flex_fallback_the_429_is_the_error_and_its_hint_says_how(
    make_session: MakeSession, creates: Bodies
) -> None:
    session = make_session()
    session.options = session.options.changed(service_tier="flex")
    with pytest.raises(RateLimitError, match="Flex processing has no capacity") as refused:
        run_turn(session, "[[tier:busy]] [[reply:served]]")
    assert "--flex-fallback" in refused.value.hint
    assert [b["service_tier"] for b in creates()] == ["flex"]


def test_flex_fallback_on_the_command_line_is_shown(
    azresp: RunCli, emulator_env: dict[str, str], creates: Bodies, dirs: Any
) -> None:
    dirs[0].mkdir(parents=True)
    (dirs[0] / "config.toml").write_text('[profiles.default]\ntier = "flex"\n', encoding="utf-8")
    env = {**emulator_env, "AZRESP_MAX_RETRIES": "0"}
    result = azresp("chat", "--flex-fallback", "[[tier:busy]] [[reply:ok]]", env=env)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "ok\n"
    note = "note: the flex tier has no capacity for it (HTTP 429): retrying now with the default"
    assert note in result.stderr
    assert " · default · " in result.stderr  # the footer: the tier that answered
    assert [b["service_tier"] for b in creates()] == ["flex", "default"]
