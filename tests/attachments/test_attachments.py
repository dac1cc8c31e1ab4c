"""`-a/--attach`: each kind of attachment on the wire, and each bad one stopped before a request."""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from spec_validation import assert_valid
from tool_support import PNG_1X1, Azresp

from azresp_cli.core import attachments as attachments_module

Bodies = Callable[[], list[dict[str, Any]]]
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def attached_parts(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The attachment parts: they come in the prompt's own user message, before its text."""
    users = [item for item in body["input"] if item.get("role") == "user"]
    assert len(users) == 1, "attachments and prompt belong in one user message"
    *parts, prompt = users[0]["content"]
    assert prompt["type"] == "input_text"
    return parts


def test_an_image_file_goes_as_a_data_url(azresp: Azresp, bodies: Bodies, tmp_path: Path) -> None:
    image = tmp_path / "dot.png"
    image.write_bytes(PNG_1X1)
    result = azresp("chat", "-a", str(image), "what is this?")
    assert result.exit_code == 0, result.stderr
    [part] = attached_parts(bodies()[0])
    assert part["type"] == "input_image" and part["detail"] == "auto"
    assert part["image_url"] == "data:image/png;base64," + base64.b64encode(PNG_1X1).decode()
    assert_valid("CreateResponse", bodies()[0])
    assert "1 image" in result.stdout  # the emulator saw it


def test_urls_are_passed_through(azresp: Azresp, bodies: Bodies) -> None:
    image_url = "https://example.com/cat.jpg"
    pdf_url = "https://example.com/paper.pdf"
    result = azresp("chat", "-a", image_url, "-a", pdf_url, "[[reply:ok]]")
    assert result.exit_code == 0, result.stderr
    assert attached_parts(bodies()[0]) == [
        {"type": "input_image", "image_url": image_url, "detail": "auto"},
        {"type": "input_file", "file_url": pdf_url},
    ]


def test_a_small_pdf_goes_inline(azresp: Azresp, bodies: Bodies, tmp_path: Path) -> None:
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(PDF)
    result = azresp("chat", "-a", str(pdf), "summarize")
    assert result.exit_code == 0, result.stderr
    [part] = attached_parts(bodies()[0])
    assert part == {
        "type": "input_file",
        "filename": "paper.pdf",
        "file_data": "data:application/pdf;base64," + base64.b64encode(PDF).decode(),
    }
    assert "paper.pdf" in result.stdout


def test_a_large_pdf_is_uploaded_and_sent_by_file_id(
    azresp: Azresp, bodies: Bodies, emulator: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setattr(attachments_module, "MAX_INLINE_PDF_BYTES", 64)  # PDF is larger
    pdf = tmp_path / "big.pdf"
    pdf.write_bytes(PDF)
    result = azresp("chat", "-a", str(pdf), "summarize")
    assert result.exit_code == 0, result.stderr
    [upload] = [r for r in emulator.requests if r.path.endswith("/files")]
    assert upload.method == "POST"
    [part] = attached_parts(bodies()[0])
    assert part["type"] == "input_file" and part["file_id"].startswith(("assistant-", "file-"))
    assert "file_data" not in part


def test_a_text_file_goes_as_named_text(azresp: Azresp, bodies: Bodies, tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\nbuy milk\n")
    result = azresp("chat", "-a", str(notes), "[[reply:ok]]")
    assert result.exit_code == 0, result.stderr
    [part] = attached_parts(bodies()[0])
    assert part == {"type": "input_text", "text": "Attached file notes.md:\n\n# Notes\nbuy milk\n"}


def test_a_data_file_without_code_is_text_and_with_code_goes_to_the_container(
    azresp: Azresp, bodies: Bodies, tmp_path: Path
) -> None:
    data = tmp_path / "sales.csv"
    data.write_text("month,sales\njan,10\n")
    plain = azresp("chat", "-a", str(data), "[[reply:ok]]")
    assert plain.exit_code == 0, plain.stderr
    assert attached_parts(bodies()[-1])[0]["type"] == "input_text"
    code = azresp("chat", "--code", "-a", str(data), "-o", str(tmp_path), "[[reply:ok]]")
    assert code.exit_code == 0, code.stderr
    tool = bodies()[-1]["tools"][0]
    assert len(tool["container"]["file_ids"]) == 1


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.png", "no such file"),
        (lambda d: d, "is a directory"),
        (lambda d: _write(d / "blob.bin", b"\x00\x01\x02"), "neither text nor an image"),
        (lambda d: _write(d / "book.xlsx", b"PK\x03\x04\x00\x00"), "add --code"),
        (lambda d: _write(d / "fake.pdf", b"hello"), "is not a PDF"),
        (lambda d: _sparse(d / "huge.png", 21_000_000), "is too large"),
        (lambda d: _sparse(d / "huge.pdf", 51_000_000), "is too large"),
        (lambda d: "https://example.com/page.html", "cannot tell what this URL holds"),
    ],
)
def test_bad_attachments_stop_before_any_request(
    azresp: Azresp, emulator: Any, tmp_path: Path, make: Any, message: str
) -> None:
    result = azresp("chat", "-a", str(make(tmp_path)), "hi")
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr
    assert emulator.requests == []


def test_an_unreadable_file_is_reported(
    azresp: Azresp, emulator: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    notes = _write(tmp_path / "notes.txt", b"secret plans")

    real_open = os.open

    def refuse(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if str(path) == str(notes):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    # Root reads files whatever their mode; the error path is the same.
    monkeypatch.setattr(os, "open", refuse)
    result = azresp("chat", "-a", str(notes), "hi")
    assert result.exit_code == 2
    assert "cannot read it (Permission denied)" in result.stderr
    assert emulator.requests == []


def test_the_total_of_inline_files_is_limited(
    azresp: Azresp, emulator: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setattr(attachments_module, "MAX_INLINE_TOTAL_BYTES", 100)
    first = _write(tmp_path / "a.txt", b"x" * 60)
    second = _write(tmp_path / "b.txt", b"y" * 60)
    result = azresp("chat", "-a", str(first), "-a", str(second), "hi")
    assert result.exit_code == 2
    assert "the attachments add up to" in result.stderr
    assert emulator.requests == []


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as file:
        file.truncate(size)
    return path
