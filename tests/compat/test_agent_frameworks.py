"""Well-known Responses API clients work against the emulator unchanged."""

from __future__ import annotations

import asyncio
from types import ModuleType

import openai
import pytest

from azresp_cli.emulator.runner import RunningEmulator

pytestmark = pytest.mark.slow  # the agents SDK takes a second to import: not for the quick loop


@pytest.fixture
def agents() -> ModuleType:
    # imported by the tests that use it, not at collection: it takes seconds to import
    return pytest.importorskip("agents", reason="openai-agents is in the test extras")


def test_openai_agents_sdk_runs_an_agent_with_a_function_tool(
    emulator: RunningEmulator, agents: ModuleType
) -> None:
    client = openai.AsyncOpenAI(base_url=emulator.base_url, api_key="sk-test", max_retries=0)
    calls: list[str] = []

    @agents.function_tool
    def get_weather(city: str) -> str:
        """Today's weather in a city."""
        calls.append(city)
        return f"sunny in {city}"

    agent = agents.Agent(
        name="assistant",
        instructions="Be brief.",
        tools=[get_weather],
        model=agents.OpenAIResponsesModel(model="gpt-test", openai_client=client),
    )
    agents.set_tracing_disabled(True)
    result = asyncio.run(agents.Runner.run(agent, '[[call:get_weather {"city": "Oslo"}]] weather?'))
    assert calls == ["Oslo"]
    assert "sunny in Oslo" in result.final_output
    creates = [r for r in emulator.requests if r.method == "POST" and r.path.endswith("/responses")]
    assert len(creates) == 2  # the call, then the answer with the tool output


def test_openai_agents_sdk_streams_text(emulator: RunningEmulator, agents: ModuleType) -> None:
    client = openai.AsyncOpenAI(base_url=emulator.base_url, api_key="sk-test", max_retries=0)
    agent = agents.Agent(
        name="assistant",
        model=agents.OpenAIResponsesModel(model="gpt-test", openai_client=client),
    )
    agents.set_tracing_disabled(True)

    async def collect() -> str:
        streamed = agents.Runner.run_streamed(agent, "[[reply:streamed through the agent]]")
        deltas = [
            event.data.delta
            async for event in streamed.stream_events()
            if event.type == "raw_response_event"
            and event.data.type == "response.output_text.delta"
        ]
        return "".join(deltas)

    assert asyncio.run(collect()) == "streamed through the agent"
