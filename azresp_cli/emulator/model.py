"""The scripted model: a deterministic answer from the conversation and the request.

Pure: no I/O, no clock, no randomness. The default answer is Markdown that proves what
reached the server, e.g. on the second turn of a chain:

    **Turn 2** of this conversation.

    You said: "what is my name?"

    Earlier you said: "my name is Ada".

    What I can see:
    - 2 user messages and 1 earlier answer

with `Your first message was: "…"` from turn 3 on, `Following your instructions: "…"`
when `instructions` were sent, `I received 2 attachments: …` (sniff.py describes each)
when the message carries files or images, and list lines for attachments, tool results
and messages remembered from a compaction. Directives in the latest user text change it:

- `[[reply:TEXT]]` answers exactly TEXT (`\\n` in TEXT becomes a newline);
- `[[echo]]` answers exactly the user text without its directives;
- `[[long:N]]` answers about N tokens of headings, prose, lists, tables and code;
- `[[slow:MS]]` waits MS milliseconds between deltas;
- `[[refuse]]` or `[[refuse:TEXT]]` answers with a refusal part instead of text;
- `[[truncate]]` stops the answer half-way: the response ends `incomplete`
  (`max_output_tokens`), so a structured answer is an invalid, cut-off instance;
- `[[call:NAME]]` or `[[call:NAME {"arg": 1}]]` calls a declared function tool; the
  same directive inside a function's output asks for another round of calls. For a
  custom (freeform) tool the text after NAME is its input, `\\n` a newline.

With `text.format` of type `json_schema` the answer is a JSON instance of the schema
(first enum values, a string's description as its value, else plain samples); with
`json_object` it is `{"turn": N, "you_said": "..."}`. A declared function is also called
when `tool_choice` requires it, or when the latest user text names it, unless its result is
already in context. The `fault:` directives live in `faults.py`; DIRECTIVES.md documents them all.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from azresp_cli.emulator import directives, longform, schema_example
from azresp_cli.emulator.conversation import Conversation

REASONING_TOKENS = {"minimal": 12, "low": 48, "medium": 96, "high": 192, "xhigh": 320, "max": 480}
_QUOTE_LIMIT = 200
REFUSAL = "I'm sorry, I can't help with that request."


@dataclass(frozen=True)
class FunctionTool:
    name: str
    parameters: dict[str, Any]
    custom: bool = False  # a `custom` (freeform) tool: its input is text, not JSON


@dataclass(frozen=True)
class ModelRequest:
    """What the model reads from the request itself (the context is the Conversation)."""

    latest_text: str  # the raw latest user text of this request, directives included
    instructions: str | None = None
    effort: str | None = None  # reasoning effort; None: no reasoning
    summary: str | None = None  # reasoning summary setting; None: no summary
    functions: tuple[FunctionTool, ...] = ()
    tool_choice: Any = "auto"
    text_format: dict[str, Any] | None = None  # `text.format`; json_schema/json_object ask for JSON
    attachments: tuple[str, ...] = ()  # descriptions of this message's files and images
    parallel_tool_calls: bool = True


@dataclass(frozen=True)
class FunctionCall:
    name: str
    arguments: str  # JSON text; for a custom tool, its input text
    custom: bool = False


@dataclass(frozen=True)
class Answer:
    text: str | None  # None when the model only calls functions
    reasoning_summary: tuple[str, ...] = ()  # summary parts; empty without a summary
    reasoning_tokens: int = 0  # 0: no reasoning item
    function_calls: tuple[FunctionCall, ...] = ()
    delta_delay: float | None = None  # seconds, from [[slow:MS]]; None: the default
    refusal: str | None = None  # [[refuse]] / [[refuse:TEXT]]: a refusal instead of an answer
    truncate: bool = False  # [[truncate]]: the answer stops half-way, incomplete


def respond(conversation: Conversation, request: ModelRequest) -> Answer:
    found = directives.find(request.latest_text)
    options = {d.name: d.argument for d in found}
    calls = _function_calls(conversation, request, [d.argument for d in found if d.name == "call"])
    reasoning_tokens = REASONING_TOKENS.get(request.effort or "", 0)
    return Answer(
        text=None if calls else _text(conversation, request, options),
        reasoning_summary=_summary(conversation, request) if reasoning_tokens else (),
        reasoning_tokens=reasoning_tokens,
        function_calls=tuple(calls),
        delta_delay=int(options["slow"]) / 1000 if options.get("slow", "").isdigit() else None,
        refusal=(options["refuse"] or REFUSAL) if "refuse" in options and not calls else None,
        truncate="truncate" in options,
    )


def _text(conversation: Conversation, request: ModelRequest, options: dict[str, str]) -> str:
    if "reply" in options:
        return options["reply"].replace("\\n", "\n")
    if "echo" in options:
        return directives.strip(request.latest_text)
    if options.get("long", "").isdigit():
        return longform.generate(int(options["long"]))
    text_format = request.text_format or {}
    if text_format.get("type") == "json_schema":
        schema = text_format.get("schema") or {}
        return json.dumps(schema_example.example(schema, describe=True))
    if text_format.get("type") == "json_object":
        said = conversation.user_texts[-1] if conversation.user_texts else ""
        return json.dumps({"turn": conversation.turn, "you_said": said})
    return _turn_answer(conversation, request)


def _turn_answer(conversation: Conversation, request: ModelRequest) -> str:
    said = conversation.user_texts
    paragraphs = [f"**Turn {conversation.turn}** of this conversation."]
    paragraphs.append(f'You said: "{_quote(said[-1])}"' if said else "You have not said anything.")
    if request.attachments:
        paragraphs.append(_received(request.attachments))
    if len(said) >= 2:
        earlier = f'Earlier you said: "{_quote(said[-2])}".'
        if len(said) >= 3:
            earlier += f'\nYour first message was: "{_quote(said[0])}".'
        paragraphs.append(earlier)
    if request.instructions:
        paragraphs.append(f'Following your instructions: "{_quote(request.instructions)}"')
    paragraphs.append("What I can see:\n" + "\n".join(f"- {line}" for line in _seen(conversation)))
    return "\n\n".join(paragraphs)


def _seen(conversation: Conversation) -> Iterable[str]:
    yield (
        f"{_count(conversation.turn, 'user message')} and "
        f"{_count(conversation.answer_count, 'earlier answer')}"
    )
    attachments = [_count(conversation.images, "image")] if conversation.images else []
    attachments += list(conversation.files)
    if attachments:
        yield "attachments: " + ", ".join(attachments)
    for result in conversation.tool_results:
        yield f"tool `{result.name}` returned: `{_quote(directives.strip(result.output))}`"
    if conversation.remembered:
        yield f"remembered from a compacted context: {_count(conversation.remembered, 'message')}"


def _summary(conversation: Conversation, request: ModelRequest) -> tuple[str, ...]:
    if request.summary is None:
        return ()
    said = conversation.user_texts[-1] if conversation.user_texts else ""
    plan = "restate it"
    if conversation.turn > 1:
        plan += ", recall what came earlier"
    if request.instructions:
        plan += " and follow the instructions"
    parts = [
        f"**Reading turn {conversation.turn}**\n\n"
        f'The user wrote "{_quote(said, 80)}". I will {plan} in a short Markdown answer.'
    ]
    if request.summary == "detailed":
        parts.append(
            "**Checking the context**\n\n"
            f"There are {_count(conversation.turn, 'user message')} in context; "
            "a short list of what I can see is enough."
        )
    return tuple(parts)


def _function_calls(
    conversation: Conversation, request: ModelRequest, requested: list[str]
) -> list[FunctionCall]:
    declared = {tool.name: tool for tool in request.functions}
    if request.tool_choice == "none" or not declared:
        return []
    if conversation.tool_results:
        # Only `[[call:…]]` in the outputs of the latest calls starts another round, so a
        # client's tool loop (and its round cap) can be tested; otherwise the model answers.
        requested = [
            directive.argument
            for result in conversation.latest_results
            for directive in directives.find(result.output)
            if directive.name == "call"
        ]
    calls = []
    for argument in requested:
        name, _, arguments = argument.partition(" ")
        if name in declared:
            calls.append(_call(declared[name], arguments.strip()))
    if calls or conversation.tool_results:
        return calls if request.parallel_tool_calls else calls[:1]
    choice = request.tool_choice
    if isinstance(choice, dict) and choice.get("name") in declared:
        return [_call(declared[choice["name"]], "")]
    words = set(directives.strip(request.latest_text).replace("`", " ").split())
    named = [tool for tool in request.functions if tool.name in words]
    if not named and choice == "required":
        named = [request.functions[0]]
    named = named if request.parallel_tool_calls else named[:1]
    return [_call(tool, "") for tool in named]


def _call(tool: FunctionTool, arguments: str) -> FunctionCall:
    if tool.custom:
        return FunctionCall(tool.name, arguments.replace("\\n", "\n") or "example", custom=True)
    return FunctionCall(tool.name, arguments or _example(tool))


def _received(attachments: tuple[str, ...]) -> str:
    listed = (
        attachments[0]
        if len(attachments) == 1
        else ", ".join(attachments[:-1]) + " and " + attachments[-1]
    )
    return f"I received {_count(len(attachments), 'attachment')}: {listed}."


def _example(tool: FunctionTool) -> str:
    arguments = schema_example.example({"type": "object", **tool.parameters})
    return json.dumps(arguments, separators=(",", ":"))


def _quote(text: str, limit: int = _QUOTE_LIMIT) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")
