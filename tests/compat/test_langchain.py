"""LangChain's `ChatOpenAI(use_responses_api=True)` against the emulator, unchanged."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from azresp_cli.emulator.runner import RunningEmulator

# Every test here uses LangChain, imported by the tests (it takes a second), not at collection.
# LangChain takes seconds to import: not for the quick loop.
pytestmark = [pytest.mark.usefixtures("langchain"), pytest.mark.slow]


@pytest.fixture
def langchain() -> None:
    pytest.importorskip("langchain_openai", reason="langchain-openai is in the test extras")


def chat_model(emulator: RunningEmulator, **options: Any) -> Any:
    import langchain_openai

    return langchain_openai.ChatOpenAI(
        model="gpt-test",
        base_url=emulator.base_url,
        api_key="sk-test",
        max_retries=0,
        use_responses_api=True,
        **options,
    )


def creates(emulator: RunningEmulator) -> list[dict[str, Any]]:
    return [
        r.json for r in emulator.requests if r.method == "POST" and r.path.endswith("/responses")
    ]


def test_invoke_and_stream(emulator: RunningEmulator) -> None:
    llm = chat_model(emulator)
    answer = llm.invoke("[[reply:hello from LangChain]]")
    assert answer.text == "hello from LangChain"
    assert answer.response_metadata["id"].startswith("resp_")
    assert answer.usage_metadata["output_tokens"] > 0

    chunks = list(llm.stream("[[reply:streamed through LangChain in pieces]]"))
    texts = [chunk.text for chunk in chunks if chunk.text]
    assert "".join(texts) == "streamed through LangChain in pieces"
    assert len(texts) >= 2
    assert creates(emulator)[-1]["stream"] is True


def test_tool_call_round_trip(emulator: RunningEmulator) -> None:
    from langchain_core import messages, tools

    @tools.tool
    def get_weather(city: str) -> str:
        """Today's weather in a city."""
        return f"sunny in {city}"

    llm = chat_model(emulator).bind_tools([get_weather])
    history: list[Any] = [messages.HumanMessage('[[call:get_weather {"city": "Oslo"}]] weather?')]
    call = llm.invoke(history)
    [tool_call] = call.tool_calls
    assert tool_call["name"] == "get_weather" and tool_call["args"] == {"city": "Oslo"}

    history += [call, get_weather.invoke(tool_call)]
    answer = llm.invoke(history)
    assert "tool `get_weather` returned: `sunny in Oslo`" in answer.text
    sent = creates(emulator)[-1]["input"]
    [output] = [item for item in sent if item.get("type") == "function_call_output"]
    assert output["call_id"] == tool_call["id"]


def test_structured_output(emulator: RunningEmulator) -> None:
    class City(BaseModel):
        name: str
        country: str

    llm = chat_model(emulator).with_structured_output(City)
    city = llm.invoke('[[reply:{"name": "Oslo", "country": "Norway"}]]')
    assert city == City(name="Oslo", country="Norway")
    assert creates(emulator)[-1]["text"]["format"]["type"] == "json_schema"


def test_chaining_with_previous_response_id_and_reasoning(emulator: RunningEmulator) -> None:
    from langchain_core import messages

    llm = chat_model(
        emulator,
        use_previous_response_id=True,
        reasoning={"effort": "low", "summary": "auto"},
        verbosity="low",
        output_version="responses/v1",
    )
    first = llm.invoke([messages.HumanMessage("my name is Ada")])
    kinds = [block["type"] for block in first.content]
    assert kinds == ["reasoning", "text"]
    second = llm.invoke(
        [messages.HumanMessage("my name is Ada"), first, messages.HumanMessage("what is my name?")]
    )
    assert 'Earlier you said: "my name is Ada".' in second.text
    sent = creates(emulator)[-1]
    assert sent["previous_response_id"] == first.response_metadata["id"]
    assert [item.get("role") for item in sent["input"]] == ["user"]  # only the new message


def test_stateless_turns_replay_encrypted_reasoning(emulator: RunningEmulator) -> None:
    from langchain_core import messages

    llm = chat_model(
        emulator, reasoning={"effort": "low"}, store=False, include=["reasoning.encrypted_content"]
    )
    first = llm.invoke("my name is Ada")
    second = llm.invoke(
        [messages.HumanMessage("my name is Ada"), first, messages.HumanMessage("again")]
    )
    assert "**Turn 2**" in second.text
    replayed = creates(emulator)[-1]["input"]
    reasoning = [item for item in replayed if item.get("type") == "reasoning"]
    assert reasoning and reasoning[0]["encrypted_content"]
