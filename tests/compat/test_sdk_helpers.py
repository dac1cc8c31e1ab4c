"""The openai SDK's higher-level helpers, `responses.parse` and `responses.stream`, end to end."""

from __future__ import annotations

import asyncio
import json

import openai
from pydantic import BaseModel

from azresp_cli.emulator.runner import RunningEmulator


class City(BaseModel):
    name: str
    country: str
    population: int


class Lookup(BaseModel):
    """Look a city up."""

    city: str


CITY = '[[reply:{"name": "Oslo", "country": "Norway", "population": 717710}]]'


def client(emulator: RunningEmulator) -> openai.OpenAI:
    return openai.OpenAI(base_url=emulator.base_url, api_key="sk-test", max_retries=0)


def test_parse_fills_a_pydantic_model(emulator: RunningEmulator) -> None:
    response = client(emulator).responses.parse(model="gpt-test", input=CITY, text_format=City)
    assert response.output_parsed == City(name="Oslo", country="Norway", population=717710)
    sent = emulator.requests[-1].json["text"]["format"]
    assert sent["type"] == "json_schema" and sent["strict"] is True and sent["name"] == "City"


def test_parse_gives_parsed_arguments_of_a_strict_function_tool(emulator: RunningEmulator) -> None:
    response = client(emulator).responses.parse(
        model="gpt-test",
        input='[[call:Lookup {"city": "Oslo"}]] look it up',
        tools=[openai.pydantic_function_tool(Lookup)],
    )
    [call] = [item for item in response.output if item.type == "function_call"]
    assert call.parsed_arguments == Lookup(city="Oslo")


def test_stream_with_text_format_parses_the_final_response(emulator: RunningEmulator) -> None:
    with client(emulator).responses.stream(
        model="gpt-test", input=CITY, text_format=City
    ) as stream:
        deltas = [e.delta for e in stream if e.type == "response.output_text.delta"]
        final = stream.get_final_response()
    assert len(deltas) >= 2
    assert json.loads("".join(deltas))["name"] == "Oslo"
    assert final.output_parsed == City(name="Oslo", country="Norway", population=717710)


def test_stream_reports_function_call_arguments(emulator: RunningEmulator) -> None:
    with client(emulator).responses.stream(
        model="gpt-test",
        input='[[call:Lookup {"city": "Oslo"}]] look it up',
        tools=[openai.pydantic_function_tool(Lookup)],
    ) as stream:
        events = list(stream)
        final = stream.get_final_response()
    arguments = "".join(
        e.delta for e in events if e.type == "response.function_call_arguments.delta"
    )
    [done] = [e for e in events if e.type == "response.function_call_arguments.done"]
    assert json.loads(arguments) == json.loads(done.arguments) == {"city": "Oslo"}
    [call] = final.output
    assert call.type == "function_call" and call.parsed_arguments == Lookup(city="Oslo")


def test_async_stream_helper(emulator: RunningEmulator) -> None:
    async def collect() -> tuple[str, str]:
        async with (
            openai.AsyncOpenAI(
                base_url=emulator.base_url, api_key="sk-test", max_retries=0
            ) as aclient,
            aclient.responses.stream(
                model="gpt-test", input="[[reply:streamed asynchronously, word by word]]"
            ) as stream,
        ):
            text = "".join(
                [e.delta async for e in stream if e.type == "response.output_text.delta"]
            )
            final = await stream.get_final_response()
        return text, final.output_text

    assert asyncio.run(collect()) == ("streamed asynchronously, word by word",) * 2
