"""Helpers for the hosted-tool tests: spec checks for the Files and Containers routes too.

`ToolsApi` is tests/emulator's raw client plus validation of every `/files` and
`/containers` JSON reply; `validating_client` is an unchanged openai SDK client whose
JSON replies are validated on the way in (an httpx response hook), and `sdk_events`
validates the events a stream gave the SDK. PNG and PDF helpers check and make files.
"""

from __future__ import annotations

import http.client
import struct
import zlib
from collections.abc import Iterable
from typing import Any

import httpx2
from emulator.support import Api, Reply, check_reply
from openai import OpenAI
from spec_validation import assert_valid, event_schemas

TEST_KEY = "emulator-test-key"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# Success schema of each Files / Containers route (spec 2.3.0).
_SCHEMAS = {
    ("POST", "files"): "OpenAIFile",
    ("GET", "files"): "ListFilesResponse",
    ("GET", "files/{id}"): "OpenAIFile",
    ("DELETE", "files/{id}"): "DeleteFileResponse",
    ("POST", "containers"): "ContainerResource",
    ("GET", "containers"): "ContainerListResource",
    ("GET", "containers/{id}"): "ContainerResource",
    ("GET", "containers/{id}/files"): "ContainerFileListResource",
    ("POST", "containers/{id}/files"): "ContainerFileResource",
    ("GET", "containers/{id}/files/{id}"): "ContainerFileResource",
}


def check_any_reply(method: str, path: str, reply: Reply) -> None:
    """support.check_reply for /responses; the Files/Containers schemas for the rest."""
    if path.startswith("responses") or reply.headers.get("content-type", "").startswith(
        "text/event-stream"
    ):
        check_reply(method, path, reply)
        return
    if not reply.headers.get("content-type", "").startswith("application/json"):
        return  # file content: raw bytes
    body = reply.json
    if reply.status >= 400:
        assert_valid("Error", body["error"])
        return
    parts = path.strip("/").split("/")
    route = "/".join(part if index % 2 == 0 else "{id}" for index, part in enumerate(parts))
    if method == "DELETE" and route.startswith("containers"):
        assert body["deleted"] is True and body["object"].endswith(".deleted")
    elif body.get("object") == "list" and not body["data"]:
        # An empty page has null first_id/last_id (as input_items, docs/protocol.md §10).
        assert body["first_id"] is None and body["last_id"] is None
    else:
        assert_valid(_SCHEMAS[(method, route)], body)


class ToolsApi(Api):
    """Api whose replies on every route are checked against the spec."""

    def request(self, method: str, path: str, body: Any = None, **kwargs: Any) -> Reply:
        validate = kwargs.pop("validate", True)
        reply = super().request(method, path, body, validate=False, **kwargs)
        if validate:
            check_any_reply(method, path.split("?")[0], reply)
        return reply

    def create(self, *, headers: dict[str, str] | None = None, **body: Any) -> Reply:
        """POST /responses (with extra request headers); fails the test on a non-200."""
        reply = self.post("responses", {"model": "gpt-test", **body}, headers=headers)
        assert reply.status == 200, reply.text
        return reply

    def upload(self, filename: str, data: bytes, purpose: str = "assistants") -> dict[str, Any]:
        body, content_type = multipart({"purpose": purpose}, {"file": (filename, data)})
        reply = self.post("files", raw_body=body, headers={"content-type": content_type})
        assert reply.status == 200, reply.text
        result: dict[str, Any] = reply.json
        return result

    def download(self, path: str) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request("GET", self.url_path(path), headers=self.headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = "azresp-test-boundary"
    chunks = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        chunks.append(f"{head}{value}\r\n".encode())
    for name, (filename, data) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}";'
            f' filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        chunks.append(head.encode() + data + b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def validating_client(base_url: str) -> OpenAI:
    """An openai client whose every JSON reply is validated against the spec."""
    prefix = httpx2.URL(base_url).path

    def check(response: httpx2.Response) -> None:
        if response.headers.get("content-type", "").startswith("text/event-stream"):
            return  # streams are checked event by event (sdk_events)
        response.read()
        reply = Reply(response.status_code, dict(response.headers), response.text)
        path = response.request.url.path.removeprefix(prefix)
        check_any_reply(response.request.method, path, reply)

    # plain http: no certificate store to load (see cli_support.sdk_client)
    http_client = httpx2.Client(event_hooks={"response": [check]}, verify=False)
    return OpenAI(base_url=base_url, api_key=TEST_KEY, max_retries=0, http_client=http_client)


def sdk_events(stream: Iterable[Any]) -> list[Any]:
    """Drain an SDK event stream, validating each event's wire form; return the events."""
    events = list(stream)
    for event in events:
        wire = event.to_dict(warnings=False)  # the stream helper holds parsed subclasses
        assert_valid(event_schemas()[wire["type"]], wire)
    assert [event.sequence_number for event in events] == list(range(len(events)))
    return events


def check_png(data: bytes) -> tuple[int, int]:
    """Walk a PNG's chunks (CRCs included), inflate its IDAT; return (width, height)."""
    assert data.startswith(PNG_SIGNATURE)
    position, chunks = len(PNG_SIGNATURE), []
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length : position + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc, f"bad CRC on {kind!r}"
        chunks.append((kind, body))
        position += 12 + length
    assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND"
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (depth, colour, interlace) == (8, 2, 0)  # 8-bit RGB, not interlaced
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    assert len(raw) == height * (1 + 3 * width)
    assert all(raw[row * (1 + 3 * width)] == 0 for row in range(height))  # filter bytes
    return width, height


def make_pdf(pages: list[str]) -> bytes:
    """A small, valid, uncompressed PDF with one line of text per page."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + 2 * index} 0 R" for index in range(len(pages)))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>")
    font = 3 + 2 * len(pages)
    for index, text in enumerate(pages):
        content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET"
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * index}"
            f" 0 R /Resources << /Font << /F1 {font} 0 R >> >> >>"
        )
        objects.append(f"<< /Length {len(content)} >>\nstream\n{content}\nendstream")
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out + trailer.encode()
