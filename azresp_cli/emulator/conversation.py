"""What the scripted model "understands" of a context: a pure reading of input items.

The context is the chain's items (inputs and outputs, oldest first) followed by the new
input, already normalised (see `inputs.py`). A compaction item stands for everything
before it: its sealed transcript replaces those items, so a compacted conversation is
remembered exactly as the uncompacted one was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from azresp_cli.emulator import directives

_CALLS = ("function_call", "custom_tool_call")
_OUTPUTS = ("function_call_output", "custom_tool_call_output")

# Reads a compaction item's sealed transcript: [{"role": "user"|"assistant", "text": ...}].
TranscriptReader = Callable[[dict[str, Any]], list[dict[str, str]]]


@dataclass(frozen=True)
class ToolResult:
    name: str
    output: str


@dataclass(frozen=True)
class Conversation:
    messages: tuple[tuple[str, str], ...]  # (role, text) of user/assistant messages, in order
    images: int
    files: tuple[str, ...]  # file names (or ids / URLs when unnamed)
    tool_results: tuple[ToolResult, ...]  # function outputs since the last user message
    remembered: int  # messages restored from a compaction item
    # The outputs answering the latest batch of calls: only these may ask for another round.
    latest_results: tuple[ToolResult, ...] = ()

    @property
    def user_texts(self) -> tuple[str, ...]:
        """What the user said, directives removed, oldest first."""
        return tuple(text for role, text in self.messages if role == "user")

    @property
    def answer_count(self) -> int:
        return sum(role == "assistant" for role, _ in self.messages)

    @property
    def turn(self) -> int:
        return len(self.user_texts)

    def transcript(self) -> list[dict[str, str]]:
        return [{"role": role, "text": text} for role, text in self.messages]


def read(items: Iterable[dict[str, Any]], read_transcript: TranscriptReader) -> Conversation:
    reader = _Reader()
    previous_kind = None
    for item in items:
        kind = item.get("type")
        if kind == "message":
            reader.take_message(item)
        elif kind in _CALLS:
            if previous_kind not in _CALLS:  # a new batch of calls
                reader.latest_results = []
            reader.call_names[str(item.get("call_id"))] = str(item.get("name"))
        elif kind in _OUTPUTS:
            reader.take_tool_output(item)
        elif kind == "compaction":
            reader = _Reader()  # the transcript stands for everything before it
            reader.take_transcript(read_transcript(item))
        previous_kind = kind
    return Conversation(
        messages=tuple(reader.messages),
        images=reader.images,
        files=tuple(reader.files),
        tool_results=tuple(reader.tool_results),
        remembered=reader.remembered,
        latest_results=tuple(reader.latest_results),
    )


class _Reader:
    def __init__(self) -> None:
        self.messages: list[tuple[str, str]] = []
        self.images = 0
        self.files: list[str] = []
        self.tool_results: list[ToolResult] = []
        self.latest_results: list[ToolResult] = []
        self.remembered = 0
        self.call_names: dict[str, str] = {}

    def take_message(self, item: dict[str, Any]) -> None:
        content = item.get("content")
        text = directives.message_text(content)
        role = item.get("role")
        if role == "assistant":
            self.messages.append(("assistant", text))
        elif role == "user":
            self.messages.append(("user", directives.strip(text)))
            self.tool_results = []
            self.latest_results = []
            for part in content if isinstance(content, list) else []:
                self._take_attachment(part)
        # system/developer messages steer the model; they are not part of what was said

    def take_tool_output(self, item: dict[str, Any]) -> None:
        name = self.call_names.get(str(item.get("call_id")), "unknown")
        output = item.get("output")
        text = output if isinstance(output, str) else directives.message_text(output)
        self.tool_results.append(ToolResult(name, text))
        self.latest_results.append(ToolResult(name, text))

    def take_transcript(self, transcript: list[dict[str, str]]) -> None:
        self.messages = [(message["role"], message["text"]) for message in transcript]
        self.remembered = len(transcript)

    def _take_attachment(self, part: dict[str, Any]) -> None:
        if part.get("type") == "input_image":
            self.images += 1
        elif part.get("type") == "input_file":
            name = part.get("filename") or part.get("file_id") or part.get("file_url")
            self.files.append(str(name or "file"))
