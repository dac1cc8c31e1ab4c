"""The emulator's usage figures, prompt cache, service tiers and rate-limit headers."""

from __future__ import annotations

from emulator.support import Api, EmulatorFactory

from azresp_cli.emulator import tokens
from azresp_cli.emulator.config import EmulatorConfig
from azresp_cli.emulator.model import REASONING_TOKENS


def usage_of(reply_json: dict[str, object]) -> dict[str, object]:
    usage = reply_json["usage"]
    assert isinstance(usage, dict)
    return usage


def test_a_chained_prefix_over_1024_tokens_is_cached_in_128_token_steps_per_cache_key(
    api: Api,
) -> None:
    first = api.create(input="[[long:1500]] a long answer", prompt_cache_key="conv-a").json
    assert usage_of(first)["input_tokens_details"] == {"cached_tokens": 0, "cache_write_tokens": 0}
    same = api.create(
        input="go on", previous_response_id=first["id"], prompt_cache_key="conv-a"
    ).json
    cached = usage_of(same)["input_tokens_details"]["cached_tokens"]  # type: ignore[index]
    assert cached >= 1024 and cached % 128 == 0
    assert cached <= usage_of(same)["input_tokens"]  # type: ignore[operator]
    other_key = api.create(
        input="go on", previous_response_id=first["id"], prompt_cache_key="conv-b"
    ).json
    assert usage_of(other_key)["input_tokens_details"]["cached_tokens"] == 0  # type: ignore[index]
    short = api.create(input="[[reply:short]]", prompt_cache_key="conv-c").json
    after_short = api.create(
        input="hi", previous_response_id=short["id"], prompt_cache_key="conv-c"
    ).json
    assert usage_of(after_short)["input_tokens_details"]["cached_tokens"] == 0  # type: ignore[index]


def test_reasoning_tokens_follow_the_effort_and_are_output_tokens(api: Api) -> None:
    for effort in ("low", "high"):
        body = api.create(input="[[reply:ok]]", reasoning={"effort": effort}).json
        usage = usage_of(body)
        reasoning = usage["output_tokens_details"]["reasoning_tokens"]  # type: ignore[index]
        assert reasoning == REASONING_TOKENS[effort]
        assert usage["output_tokens"] == reasoning + tokens.count("ok")


def test_the_service_tier_is_echoed_and_can_be_downgraded(api: Api) -> None:
    assert api.create(input="[[reply:x]]").json["service_tier"] == "default"
    assert api.create(input="[[reply:x]]", service_tier="priority").json["service_tier"] == (
        "priority"
    )
    downgraded = api.create(input="[[tier:default]] [[reply:x]]", service_tier="priority").json
    assert downgraded["service_tier"] == "default"


def test_a_flex_request_can_be_refused_for_capacity_while_default_is_served(api: Api) -> None:
    refused = api.post(
        "responses", {"model": "m", "input": "[[tier:busy]] hi", "service_tier": "flex"}
    )
    assert refused.status == 429 and "no capacity" in refused.error["message"]
    assert refused.headers["x-ratelimit-remaining-requests"] != "0"  # not a used-up limit
    served = api.post("responses", {"model": "m", "input": "[[tier:busy]] hi"})
    assert served.status == 200


def test_rate_limit_headers_go_down_then_a_429_names_the_limit(api: Api) -> None:
    body = {
        "model": "m",
        "input": "[[ratelimit:requests=10 tokens=300]] hi",
        "max_output_tokens": 100,
    }
    first = api.post("responses", body)
    assert first.headers["x-ratelimit-limit-requests"] == "10"
    assert first.headers["x-ratelimit-remaining-requests"] == "9"
    assert first.headers["x-ratelimit-limit-tokens"] == "300"
    spent = 300 - int(first.headers["x-ratelimit-remaining-tokens"])
    assert spent >= 100  # max_output_tokens counts against the budget, as on Azure
    second = api.post("responses", {"model": "m", "input": "again", "max_output_tokens": 100})
    assert second.headers["x-ratelimit-remaining-requests"] == "8"
    assert int(second.headers["x-ratelimit-remaining-tokens"]) < 300 - spent
    third = api.post("responses", {"model": "m", "input": "more", "max_output_tokens": 150})
    assert third.status == 429
    assert third.headers["x-ratelimit-remaining-tokens"] == "0"
    assert int(third.headers["retry-after-ms"]) > 0 and "token rate limit" in third.error["message"]


def test_nonsense_and_no_rate_limit_headers_on_request(api: Api) -> None:
    nonsense = api.post("responses", {"model": "m", "input": "[[ratelimit:nonsense]] hi"})
    assert nonsense.headers["x-ratelimit-remaining-requests"] == "-1"
    assert nonsense.headers["x-ratelimit-limit-requests"] == "0"
    off = api.post("responses", {"model": "m", "input": "[[ratelimit:off]] hi"})
    assert "x-ratelimit-remaining-requests" not in off.headers


def test_the_budget_can_be_set_when_the_emulator_starts(emulator_factory: EmulatorFactory) -> None:
    running = emulator_factory(EmulatorConfig(rate_limit_requests=2, rate_limit_tokens=50_000))
    api = Api(running.base_url)
    first = api.post("responses", {"model": "m", "input": "hi"})
    assert first.headers["x-ratelimit-limit-requests"] == "2"
    assert first.headers["x-ratelimit-limit-tokens"] == "50000"
    assert api.post("responses", {"model": "m", "input": "hi"}).status == 200
    refused = api.post("responses", {"model": "m", "input": "hi"})
    assert refused.status == 429 and "call rate limit" in refused.error["message"]
    assert refused.headers["x-ratelimit-remaining-requests"] == "0"
