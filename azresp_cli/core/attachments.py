"""Files and URLs a user attaches to a turn (``-a/--attach``, ``/attach``), as input parts.

Everything is checked when it is attached, before any request: a missing, unreadable, too large,
special (FIFO, device) or unsupported file is a UsageError. Files are read through
core/input_files.py, never more than the limit plus one byte. What each kind becomes
(docs/protocol.md §11):

| attachment | becomes | limit |
|---|---|---|
| image file (png, jpeg, webp, gif) | ``input_image`` with a base64 data URL | 20 MB |
| image URL | ``input_image`` with the URL, passed through | - |
| PDF file | ``input_file`` with base64 ``file_data`` | 10 MB inline |
| larger PDF file | uploaded (purpose ``assistants``), ``input_file`` by ``file_id`` | 50 MB |
| PDF URL | ``input_file`` with ``file_url`` | - |
| data file with ``--code`` | uploaded, given to the code interpreter's container | 512 MB |
| UTF-8 text file without ``--code`` | ``input_text`` naming the file | 1 MB |

Data files are those of Azure's code interpreter table (csv, xlsx, json, docx, zip ...). The
inline parts of one turn may add up to 50 MB, the service's limit for one request's files.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from azresp_cli.core.errors import UsageError
from azresp_cli.core.input_files import read_bounded, regular_size, size_text

if TYPE_CHECKING:
    from openai import OpenAI

    from azresp_cli.core.tools import ToolKit

MAX_TEXT_BYTES = 1_000_000  # ~250k tokens: already more than most deployments' context
MAX_IMAGE_BYTES = 20_000_000  # the service's limit for one image
MAX_INLINE_PDF_BYTES = 10_000_000  # larger PDFs are uploaded and referenced by file_id
MAX_PDF_BYTES = 50_000_000  # the service's limit for one input_file
MAX_CODE_FILE_BYTES = 512_000_000  # the Files API's limit (512 MB)
MAX_INLINE_TOTAL_BYTES = 50_000_000  # all inline files of one request
IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
}
# Azure's code interpreter "supported file types" table, less images and PDFs (sent as inputs).
CODE_FILE_TYPES = frozenset(
    {
        *(".c", ".cpp", ".cs", ".csv", ".css", ".doc", ".docx", ".html", ".java", ".js"),
        *(".json", ".md", ".php", ".pkl", ".pptx", ".py", ".rb", ".sh", ".tar", ".tex"),
        *(".ts", ".txt", ".xlsx", ".xml", ".zip"),
    }
)
_PDF = ".pdf"

AttachmentKind = Literal["text", "image", "image_url", "pdf", "pdf_url", "code_file"]


@dataclass(frozen=True)
class Attachment:
    source: str  # the path or URL as given
    kind: AttachmentKind
    size: int  # bytes on disk (0 for a URL)
    part: Mapping[str, Any] | None  # None until an upload gives it a file id
    path: Path | None = None
    upload_purpose: str | None = None  # set: upload before sending
    file_id: str | None = None

    @property
    def name(self) -> str:
        return self.path.name if self.path else self.source

    @property
    def label(self) -> str:
        size = f", {_size(self.size)}" if self.size else ""
        where = " for the code interpreter" if self.kind == "code_file" else ""
        return f"{self.name} ({self.kind.replace('_', ' ')}{size}){where}"

    @property
    def inline_bytes(self) -> int:
        return self.size if self.upload_purpose is None else 0


def load_attachment(
    raw_path: str, *, cwd: Path | None = None, code_interpreter: bool = False
) -> Attachment:
    """Check ``raw_path`` (a file, ``~`` expanded, relative to ``cwd``; or an http(s) URL)."""
    text = raw_path.strip()
    if not text:
        raise UsageError("no file given", hint="/attach PATH, e.g. /attach notes.md")
    if text.startswith(("http://", "https://")):
        return _url_attachment(text)
    path = Path(text).expanduser()
    if not path.is_absolute() and cwd is not None:
        path = cwd / path
    suffix = path.suffix.lower()
    if suffix in IMAGE_TYPES:
        data = _read(path, text, MAX_IMAGE_BYTES)
        url = f"data:{IMAGE_TYPES[suffix]};base64,{_b64(data)}"
        part: dict[str, Any] = {"type": "input_image", "image_url": url, "detail": "auto"}
        return Attachment(text, "image", len(data), part, path)
    if suffix == _PDF:
        return _pdf_attachment(path, text)
    if code_interpreter and suffix in CODE_FILE_TYPES:
        size = _checked_size(path, text, MAX_CODE_FILE_BYTES)
        return Attachment(text, "code_file", size, None, path, upload_purpose="assistants")
    data = _read(path, text, MAX_TEXT_BYTES)
    content = _decode_text(data)
    if content is None:
        hint = "attach UTF-8 text, an image (png, jpeg, webp, gif) or a PDF"
        if suffix in CODE_FILE_TYPES:
            hint = f"{suffix} files go to the code interpreter: add --code"
        raise UsageError(f"{text} is neither text nor an image or a PDF azresp can send", hint=hint)
    part = {"type": "input_text", "text": f"Attached file {path.name}:\n\n{content}"}
    return Attachment(text, "text", len(data), part, path)


def load_attachments(
    raw_paths: Sequence[str], *, cwd: Path | None = None, code_interpreter: bool = False
) -> list[Attachment]:
    """Check every attachment of a turn, and their inline total, before anything is sent."""
    attachments = [
        load_attachment(raw, cwd=cwd, code_interpreter=code_interpreter) for raw in raw_paths
    ]
    check_total(attachments)
    return attachments


def check_total(attachments: Sequence[Attachment]) -> None:
    total = sum(a.inline_bytes for a in attachments)
    if total > MAX_INLINE_TOTAL_BYTES:
        raise UsageError(
            f"the attachments add up to {_size(total)}; one request takes at most "
            f"{_size(MAX_INLINE_TOTAL_BYTES)}",
            hint="attach fewer files, or upload them with `azresp files upload`",
        )


def prepare_attachments(
    client: Callable[[], OpenAI], attachments: Sequence[Attachment], kit: ToolKit
) -> tuple[Attachment, ...]:
    """Upload what must be uploaded; code interpreter files join the kit's container files."""
    if not any(a.upload_purpose and not a.file_id for a in attachments):
        return tuple(attachments)
    from azresp_cli.core.files import upload_file

    prepared: list[Attachment] = []
    for attachment in attachments:
        if attachment.upload_purpose and not attachment.file_id and attachment.path:
            uploaded = upload_file(client(), attachment.path, attachment.upload_purpose)
            attachment = _uploaded(attachment, uploaded.id)
        known = attachment.file_id in kit.container_file_ids
        if attachment.kind == "code_file" and attachment.file_id and not known:
            kit.container_file_ids.append(attachment.file_id)
        prepared.append(attachment)
    return tuple(prepared)


def attachment_parts(attachments: Sequence[Attachment]) -> tuple[dict[str, Any], ...]:
    """The content parts the attachments add to the prompt's user message."""
    return tuple(dict(a.part) for a in attachments if a.part is not None)


def _uploaded(attachment: Attachment, file_id: str) -> Attachment:
    if attachment.kind == "code_file":
        # The model sees the container's files only through its code; tell it they are there.
        note = f"The file {attachment.name} is available to the code interpreter."
        part: dict[str, Any] = {"type": "input_text", "text": note}
    else:
        part = {"type": "input_file", "file_id": file_id}
    return replace(attachment, part=part, file_id=file_id)


def _url_attachment(url: str) -> Attachment:
    parts = urlsplit(url)
    suffix = Path(parts.path).suffix.lower()
    if not parts.netloc:
        raise UsageError(f"{url} is not a URL azresp can pass on")
    if suffix in IMAGE_TYPES:
        part: dict[str, Any] = {"type": "input_image", "image_url": url, "detail": "auto"}
        return Attachment(url, "image_url", 0, part)
    if suffix == _PDF:
        return Attachment(url, "pdf_url", 0, {"type": "input_file", "file_url": url})
    raise UsageError(
        f"{url}: azresp cannot tell what this URL holds",
        hint="URLs are passed on for images (.png .jpg .jpeg .webp .gif) and PDFs (.pdf); "
        "download other files and attach them",
    )


def _pdf_attachment(path: Path, text: str) -> Attachment:
    size = _checked_size(path, text, MAX_PDF_BYTES)
    if size > MAX_INLINE_PDF_BYTES:
        # Azure takes PDFs for input_file only with purpose "assistants" (docs/protocol.md §12).
        return Attachment(text, "pdf", size, None, path, upload_purpose="assistants")
    data = _read(path, text, MAX_INLINE_PDF_BYTES)
    if not data.startswith(b"%PDF"):
        raise UsageError(f"{text} is not a PDF (it does not start with %PDF)")
    part = {
        "type": "input_file",
        "filename": path.name,
        "file_data": f"data:application/pdf;base64,{_b64(data)}",
    }
    return Attachment(text, "pdf", len(data), part, path)


def _checked_size(path: Path, text: str, limit: int) -> int:
    # Opened and fstat-ed: a regular file, readable now, so the upload later will not fail.
    return regular_size(path, limit, label=text, hint="attach a smaller file or an excerpt")


def _read(path: Path, text: str, limit: int) -> bytes:
    return read_bounded(path, limit, label=text)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _decode_text(data: bytes) -> str | None:
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _size(count: int) -> str:
    return size_text(count)
