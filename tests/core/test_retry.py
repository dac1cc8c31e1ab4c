"""Retries through real SDK calls against the emulator's faults, waiting by an injected clock.

``with_retries`` gets the clock in its policy here; tests/faults/test_fault_kinds.py checks the
callers (chat, bg start) the same way with the ``fake_clock`` fixture.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from cli_support import FakeClock, sdk_client

from azresp_cli.core.errors import AzrespError
from azresp_cli.core.events import RetryScheduled
from azresp_cli.core.retry import INITIAL_DELAY, RetryPolicy, call_with_retries, with_retries
from azresp_cli.emulator.runner import RunningEmulator


@pytest.fixture
def create(emulator: RunningEmulator) -> Any:
    client = sdk_client(emulator.base_url)

    def call(prompt: str) -> Any:
        return lambda: client.responses.create(model="gpt-test", input=prompt)

    yield call
    client.close()


def creates(emulator: RunningEmulator) -> int:
    return sum(1 for r in emulator.requests if r.method == "POST" and r.path.endswith("/responses"))


def drain(steps: Any) -> tuple[list[RetryScheduled], Any]:
    events = []
    while True:
        try:
            events.append(next(steps))
        except StopIteration as stop:
            return events, stop.value


def test_the_services_retry_after_is_waited_out_once(
    create: Any, emulator: RunningEmulator
) -> None:
    clock = FakeClock()
    policy = RetryPolicy(2, sleep=clock.sleep, wall_clock=clock.wall)
    events, response = drain(
        with_retries(create("[[fault:429 once retry-after-ms=1500]] [[reply:ok]]"), policy)
    )
    assert response.output_text == "ok"
    assert clock.sleeps == [1.5]
    assert [(e.delay, e.attempt, e.max_retries) for e in events] == [(1.5, 1, 2)]
    assert events[0].reason == "HTTP 429 (rate limited)" and events[0].request_id
    assert creates(emulator) == 2


def test_without_retry_after_the_backoff_doubles_with_jitter_then_gives_up(
    create: Any, emulator: RunningEmulator
) -> None:
    clock = FakeClock()
    policy = RetryPolicy(3, sleep=clock.sleep, wall_clock=clock.wall)
    with pytest.raises(AzrespError) as raised:
        drain(with_retries(create("[[fault:503]]"), policy))
    assert raised.value.status == 503
    assert len(clock.sleeps) == 3 and creates(emulator) == 4
    for retry, slept in enumerate(clock.sleeps):
        ceiling = INITIAL_DELAY * 2**retry
        assert 0.75 * ceiling <= slept <= ceiling


def test_a_wait_beyond_the_limit_is_not_slept_but_named(create: Any) -> None:
    clock = FakeClock()
    policy = RetryPolicy(2, sleep=clock.sleep, wall_clock=clock.wall)
    with pytest.raises(AzrespError) as raised:
        drain(with_retries(create("[[fault:429 retry-after=3600]]"), policy))
    assert clock.sleeps == []
    when = datetime.fromtimestamp(clock.now + 3600).strftime("%H:%M:%S")
    # The emulator's 429 names the limit used up (x-ratelimit-*), then when to retry.
    assert raised.value.hint is not None
    assert raised.value.hint.endswith(f"retry at {when} (the service asks to wait 3600 s)")


def test_a_refusal_is_not_retried(create: Any, emulator: RunningEmulator) -> None:
    clock = FakeClock()
    with pytest.raises(AzrespError) as raised:
        drain(with_retries(create("[[fault:400]]"), RetryPolicy(2, sleep=clock.sleep)))
    assert raised.value.status == 400
    assert clock.sleeps == [] and creates(emulator) == 1


def test_call_with_retries_shows_each_wait_before_it(
    create: Any, fake_clock: FakeClock, emulator: RunningEmulator
) -> None:
    seen: list[tuple[float, list[float]]] = []
    response = call_with_retries(
        create("[[fault:502 once retry-after=2]] [[reply:ok]]"),
        RetryPolicy(1),  # no clock given: the current one (the fixture's) is used
        lambda event: seen.append((event.delay, list(fake_clock.sleeps))),
    )
    assert response.output_text == "ok"
    assert seen == [(2.0, [])]  # told before the wait began
    assert fake_clock.sleeps == [2.0]
