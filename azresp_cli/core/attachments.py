"""Files a user attaches to a turn, turned into input content parts.

For now: text files become an ``input_text`` part (named, so the model knows what it reads) and
images an ``input_image`` part with a data URL. PDFs, other files and URLs are a later step; they
extend ``load_attachment`` and ``Attachment.kind`` here.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from azresp_cli.core.errors import UsageError

MAX_TEXT_BYTES = 1_000_000  # ~250k tokens: already more than most deployments' context
MAX_IMAGE_BYTES = 20_000_000  # the service's limit for one image
IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
}

AttachmentKind = Literal["text", "image"]


@dataclass(frozen=True)
class Attachment:
    path: Path
    kind: AttachmentKind
    size: int
    part: Mapping[str, Any]

    @property
    def label(self) -> str:
        return f"{self.path.name} ({self.kind}, {_size(self.size)})"


def load_attachment(raw_path: str, *, cwd: Path | None = None) -> Attachment:
    """Read ``raw_path`` (``~`` expanded, relative to ``cwd``) into a content part."""
    text = raw_path.strip()
    if not text:
        raise UsageError("no file given", hint="/attach PATH, e.g. /attach notes.md")
    path = Path(text).expanduser()
    if not path.is_absolute() and cwd is not None:
        path = cwd / path
    if not path.exists():
        raise UsageError(f"{text}: no such file", hint="check the path; Tab completes it")
    if path.is_dir():
        raise UsageError(f"{text} is a directory", hint="attach the files in it one by one")
    image_type = IMAGE_TYPES.get(path.suffix.lower())
    limit = MAX_IMAGE_BYTES if image_type else MAX_TEXT_BYTES
    try:
        size = path.stat().st_size
        if size > limit:
            raise UsageError(
                f"{text} is too large ({_size(size)}; at most {_size(limit)})",
                hint="attach a smaller file or an excerpt",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(
            f"{text}: cannot read it ({exc.strerror or exc})", hint="check its permissions"
        ) from None
    if image_type:
        url = f"data:{image_type};base64,{base64.b64encode(data).decode('ascii')}"
        part: dict[str, Any] = {"type": "input_image", "image_url": url, "detail": "auto"}
        return Attachment(path, "image", len(data), part)
    content = _decode_text(data)
    if content is None:
        raise UsageError(
            f"{text} is neither text nor an image azresp can send yet",
            hint="attach UTF-8 text, or a PNG, JPEG, WEBP or GIF image",
        )
    part = {"type": "input_text", "text": f"Attached file {path.name}:\n\n{content}"}
    return Attachment(path, "text", len(data), part)


def attachments_message(attachments: Sequence[Attachment]) -> dict[str, Any]:
    """A user message carrying the attachments' parts, sent just before the prompt."""
    return {"type": "message", "role": "user", "content": [dict(a.part) for a in attachments]}


def _decode_text(data: bytes) -> str | None:
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} B"
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KiB"
    return f"{count / (1024 * 1024):.1f} MiB"
