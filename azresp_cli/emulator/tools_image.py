"""The image generation tool (docs/protocol.md §6), as Azure runs it.

Azure needs the `x-ms-oai-image-generation-deployment` header whenever the tool is in the
request, and streams no partial images (so `partial_images` is accepted and ignored).
The model draws when the latest user text has `[[image]]` or `[[image:PROMPT]]`, when
`tool_choice` is `{"type": "image_generation"}`, or when the text asks to draw, paint or
make a picture, image, logo or illustration. The picture is a real PNG of the requested
size: a grid of flat squares whose colours blend between three colours taken from a hash
of the prompt, so the same prompt always gives the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from azresp_cli.emulator import directives, ids, png
from azresp_cli.emulator.errors import invalid_request, invalid_value
from azresp_cli.emulator.events import ItemScript
from azresp_cli.emulator.hosted import HostedOutcome, quote

DEPLOYMENT_HEADER = "x-ms-oai-image-generation-deployment"
IMAGE_WORDS = frozenset(
    {"draw", "paint", "painting", "picture", "image", "illustration", "sketch", "logo"}
)
SIZES = ("1024x1024", "1024x1536", "1536x1024", "auto")
QUALITIES = ("low", "medium", "high", "auto")
FORMATS = ("png", "jpeg", "webp")
BACKGROUNDS = ("transparent", "opaque", "auto")
IMAGE_TOKENS = 272  # what the service bills for a low-quality square image
_SQUARE = 16  # pixels per flat square; every supported size is a multiple of it
_MAX_SIDE = 3840
_FREE_SIZE = re.compile(r"(\d+)x(\d+)")


@dataclass(frozen=True)
class Picture:
    prompt: str
    revised_prompt: str
    size: str
    quality: str
    background: str
    png: bytes


def check_tool(tool: dict[str, Any], param: str, headers: Mapping[str, str]) -> None:
    if not headers.get(DEPLOYMENT_HEADER):
        raise invalid_request(
            "The image_generation tool needs the 'x-ms-oai-image-generation-deployment' header,"
            " naming your gpt-image-1 series deployment, on Azure OpenAI.",
            param=param,
            code="missing_required_header",
        )
    size = tool.get("size") or "auto"
    if size not in SIZES and _free_size(str(size)) is None:
        raise invalid_value(f"{param}.size", size, SIZES)
    for name, choices in (
        ("quality", QUALITIES),
        ("output_format", FORMATS),
        ("background", BACKGROUNDS),
    ):
        if tool.get(name) is not None and tool[name] not in choices:
            raise invalid_value(f"{param}.{name}", tool[name], choices)
    partial = tool.get("partial_images")
    if partial is not None and (not isinstance(partial, int) or not 0 <= partial <= 3):
        raise invalid_request(
            f"Invalid '{param}.partial_images': expected an integer from 0 to 3.",
            param=f"{param}.partial_images",
        )


def run(tool: dict[str, Any], text: str, tool_choice: Any) -> HostedOutcome:
    prompt = _prompt(text, tool_choice)
    if prompt is None:
        return HostedOutcome()
    picture = draw(prompt, tool)
    width, height = png.size_of(picture.png) or (0, 0)
    report = f'I generated a {width}×{height} PNG image for "{quote(prompt, 120)}".'
    return HostedOutcome(items=[_call_script(picture)], report=[report])


def draw(prompt: str, tool: dict[str, Any]) -> Picture:
    size = str(tool.get("size") or "auto")
    width, height = _free_size(size) or (1024, 1024)
    digest = hashlib.sha256(prompt.encode()).digest()
    corners = [tuple(digest[index : index + 3]) for index in (0, 3, 6)]
    columns, rows = width // _SQUARE, height // _SQUARE
    bands = [
        [
            _blend(corners, column / max(columns - 1, 1), row / max(rows - 1, 1))
            for column in range(columns)
        ]
        for row in range(rows)
    ]
    data = png.encode_rgb(width, height, png.band_rows(width, bands, _SQUARE))
    quality = tool.get("quality") or "auto"
    background = tool.get("background") or "auto"
    return Picture(
        prompt=prompt,
        revised_prompt=f"A grid of softly blended colour squares for: {quote(prompt, 120)}",
        size=f"{width}x{height}",
        quality="medium" if quality == "auto" else quality,
        background="opaque" if background == "auto" else background,
        png=data,
    )


def _prompt(text: str, tool_choice: Any) -> str | None:
    if tool_choice == "none":
        return None
    said = directives.strip(text) or "an abstract picture"
    for directive in directives.find(text):
        if directive.name == "image":
            return directive.argument or said
    if isinstance(tool_choice, dict) and tool_choice.get("type") == "image_generation":
        return said
    words = set(re.findall(r"[a-z]+", said.lower()))
    return said if words & IMAGE_WORDS else None


def _call_script(picture: Picture) -> ItemScript:
    item_id = ids.item_id("image_generation_call")
    base = {"id": item_id, "type": "image_generation_call"}
    return ItemScript(
        added={**base, "status": "in_progress", "result": None},
        events=(
            {"type": "response.image_generation_call.in_progress"},
            {"type": "response.image_generation_call.generating"},
            {"type": "response.image_generation_call.completed"},
        ),
        done={
            **base,
            "status": "completed",
            "result": base64.b64encode(picture.png).decode(),
            "revised_prompt": picture.revised_prompt,
            "size": picture.size,
            "quality": picture.quality,
            "output_format": "png",  # the emulator encodes PNG only, whatever was asked
            "background": picture.background,
        },
        output_tokens=IMAGE_TOKENS,
    )


def _free_size(size: str) -> tuple[int, int] | None:
    """WIDTHxHEIGHT as newer image models take it: multiples of 16, at most 3840 a side."""
    match = _FREE_SIZE.fullmatch(size)
    if match is None:
        return None
    width, height = int(match.group(1)), int(match.group(2))
    if not (0 < width <= _MAX_SIDE and 0 < height <= _MAX_SIDE):
        return None
    if width % _SQUARE or height % _SQUARE:
        return None
    return width, height


def _blend(corners: list[tuple[int, ...]], x: float, y: float) -> png.Colour:
    """Left-to-right from the first colour to the second, then down toward the third."""
    top = [a + (b - a) * x for a, b in zip(corners[0], corners[1], strict=True)]
    mixed = [a + (c - a) * y for a, c in zip(top, corners[2], strict=True)]
    return (int(mixed[0]), int(mixed[1]), int(mixed[2]))
