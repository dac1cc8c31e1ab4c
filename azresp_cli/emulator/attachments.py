"""Files and images in a request's input: checked as the service checks them, then read.

Checks (each a 400 naming the part, e.g. `input[0].content[1].image_url`): a data URL
must be base64 with a MIME type (an image one for `input_image`); a `file_id` must name
an uploaded file; a PDF given by `file_id` must have been uploaded with purpose
`assistants` (Azure does not take `user_data` there); and Azure refuses uploaded images
as `input_image` (`file_id`), so the emulator does too. URLs are never fetched.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Any

from azresp_cli.emulator import sniff
from azresp_cli.emulator.errors import ApiError, invalid_request
from azresp_cli.emulator.files import FileStore, media_type

IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp", "image/gif")
DETAILS = ("auto", "low", "high")
_DATA_URL = re.compile(
    r"data:(?P<type>[\w.+-]+/[\w.+-]+)?(?:;[\w.+-]+=[^;,]*)*(?P<base64>;base64)?,(?P<payload>.*)",
    re.DOTALL,
)
_IMAGE_EXAMPLE = "'data:image/png;base64,aW1nIGJ5dGVzIGhlcmU='"
_FILE_EXAMPLE = "'data:application/pdf;base64,JVBERi0xLjc...'"


@dataclass(frozen=True)
class Attachment:
    """One input_file or input_image part, with its bytes when the request carried them."""

    kind: str  # "input_file" or "input_image"
    name: str  # the file name, or "image N" for an unnamed image
    media_type: str
    data: bytes | None  # None for a URL, which the emulator does not download
    url: str | None = None
    file_id: str | None = None

    def describe(self) -> str:
        if self.data is None:
            return f"{self.name} ({self.url}, not downloaded)"
        return sniff.describe(self.name, self.media_type, self.data)


def check(raw_input: Any, files: FileStore) -> None:
    """Raise the service's 400 for the first bad attachment in this request's input."""
    for param, part in _parts(raw_input):
        _read(part, param, files, image_number=1)


def latest(raw_input: Any, files: FileStore) -> tuple[Attachment, ...]:
    """The attachments of the last user message of this request (already checked)."""
    found: list[tuple[str, Any]] = []
    for param, part in _parts(raw_input):
        message_param = param.split(".content")[0]
        if found and found[-1][0].split(".content")[0] != message_param:
            found = []  # a later user message: only the newest one's attachments count
        found.append((param, part))
    attachments: list[Attachment] = []
    for param, part in found:
        images = sum(item.kind == "input_image" for item in attachments)
        attachments.append(_read(part, param, files, image_number=images + 1))
    return tuple(attachments)


def _parts(raw_input: Any) -> list[tuple[str, dict[str, Any]]]:
    if not isinstance(raw_input, list):
        return []
    parts = []
    for index, item in enumerate(raw_input):
        content = item.get("content") if isinstance(item, dict) else None
        if not isinstance(content, list) or item.get("role") not in ("user", "system", "developer"):
            continue
        for position, part in enumerate(content):
            if isinstance(part, dict) and part.get("type") in ("input_file", "input_image"):
                parts.append((f"input[{index}].content[{position}]", part))
    return parts


def _read(part: dict[str, Any], param: str, files: FileStore, image_number: int) -> Attachment:
    if part["type"] == "input_image":
        return _image(part, param, image_number)
    return _file(part, param, files)


def _image(part: dict[str, Any], param: str, number: int) -> Attachment:
    detail = part.get("detail")
    if detail is not None and detail not in DETAILS:
        choices = ", ".join(f"'{choice}'" for choice in DETAILS)
        raise _invalid(
            f"{param}.detail", f"Invalid value: '{detail}'. Supported values are: {choices}."
        )
    if part.get("file_id") is not None:
        raise _invalid(
            f"{param}.file_id",
            "Uploaded files cannot be used as input_image on Azure OpenAI. Send the image as a"
            " base64 data URL or an https URL in 'image_url'.",
        )
    url = str(part["image_url"])
    name = f"image {number}"
    if url.startswith(("https://", "http://")):
        return Attachment("input_image", name, "image", None, url=url)
    decoded = parse_data_url(url)
    if decoded is None or decoded[0] not in IMAGE_TYPES:
        got = (
            "a value that is not a base64 data URL"
            if decoded is None
            else f"unsupported MIME type '{decoded[0]}'"
        )
        raise _invalid(
            f"{param}.image_url",
            f"Invalid '{param}.image_url'. Expected a base64-encoded data URL with an image MIME"
            f" type (e.g. {_IMAGE_EXAMPLE}), but got {got}.",
        )
    return Attachment("input_image", name, decoded[0], decoded[1])


def _file(part: dict[str, Any], param: str, files: FileStore) -> Attachment:
    if isinstance(part.get("file_id"), str):
        record = files.get(part["file_id"])
        if record is None:
            raise _invalid(f"{param}.file_id", f"File with id '{part['file_id']}' not found.")
        if record.media_type == "application/pdf" and record.purpose != "assistants":
            raise _invalid(
                f"{param}.file_id",
                f"Invalid file '{record.file_id}': PDF files used as input_file must be uploaded"
                f" with purpose 'assistants', not '{record.purpose}'.",
            )
        name = part.get("filename") or record.filename
        return Attachment(
            "input_file", name, record.media_type, record.data, file_id=record.file_id
        )
    if isinstance(part.get("file_data"), str):
        decoded = parse_data_url(part["file_data"])
        if decoded is None:
            raise _invalid(
                f"{param}.file_data",
                f"Invalid '{param}.file_data'. Expected a base64-encoded data URL (e.g."
                f" {_FILE_EXAMPLE}), but got a value that is not a base64 data URL.",
            )
        name = str(part.get("filename") or "file")
        kind = decoded[0] or media_type(name, decoded[1])
        return Attachment("input_file", name, kind, decoded[1])
    url = str(part.get("file_url"))
    if not url.startswith(("https://", "http://")):
        raise _invalid(f"{param}.file_url", f"Invalid '{param}.file_url': expected an https URL.")
    name = part.get("filename") or url.rstrip("/").rsplit("/", 1)[-1] or "file"
    return Attachment("input_file", name, media_type(name, b""), None, url=url)


def parse_data_url(url: str) -> tuple[str, bytes] | None:
    """(MIME type or "", bytes) of a base64 data URL; None if it is not one."""
    match = _DATA_URL.fullmatch(url)
    if match is None or match.group("base64") is None:
        return None
    try:
        data = base64.b64decode(match.group("payload"), validate=True)
    except (binascii.Error, ValueError):
        return None
    return (match.group("type") or "").lower(), data


def _invalid(param: str, message: str) -> ApiError:
    return invalid_request(message, param=param, code="invalid_value")
