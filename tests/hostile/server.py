"""A hostile Responses API on 127.0.0.1: it answers what a test scripts, escape sequences,
secret-quoting error bodies and all, the way a compromised or buggy service could.

``HostileServer.route(method, path_suffix, reply)`` scripts one route; a ``Reply`` is a status,
headers and either a JSON body or a list of server-sent events. Every request is recorded.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ESCAPES = "A\x1b]0;pwned\x07B \x1b[2J C \x1b]52;c;cHduZWQ=\x1b\\ D \x1b[6n E\x9b31m F\x07"


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    events: list[dict[str, Any]] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    gate: threading.Event | None = None  # the reply waits until the test opens it


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class HostileServer:
    def __init__(self) -> None:
        self.routes: list[tuple[str, str, list[Reply]]] = []
        self.seen: list[Seen] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _serve(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                server.seen.append(Seen(self.command, self.path, dict(self.headers), body))
                reply = server.reply_for(self.command, self.path.split("?")[0])
                if reply.gate is not None:
                    reply.gate.wait(30)
                if reply.events is not None:
                    payload = "".join(
                        f"event: {e['type']}\ndata: {json.dumps(e)}\n\n" for e in reply.events
                    ).encode()
                    content_type = "text/event-stream"
                else:
                    payload = json.dumps(reply.body).encode()
                    content_type = "application/json"
                self.send_response(reply.status)
                self.send_header("content-type", content_type)
                self.send_header("content-length", str(len(payload)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_DELETE = _serve

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        # a short poll: shutdown() waits out one (0.5 s by default) in every teardown
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()

    def route(self, method: str, suffix: str, *replies: Reply) -> None:
        """Answer ``method`` on paths ending in ``suffix`` with ``replies`` in turn (the last
        one again and again)."""
        self.routes.insert(0, (method, suffix, list(replies)))

    def reply_for(self, method: str, path: str) -> Reply:
        for m, suffix, replies in self.routes:
            if m == method and path.endswith(suffix):
                return replies.pop(0) if len(replies) > 1 else replies[0]
        return Reply(404, {"error": {"message": f"no route {method} {path}", "code": "nf"}})

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def response(
    response_id: str = "resp_hostile", output: list[dict[str, Any]] | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "id": response_id,
        "object": "response",
        "created_at": 1796367381.0,
        "status": "completed",
        "model": "gpt-test",
        "output": output or [],
        "error": None,
        "incomplete_details": None,
        "instructions": None,
        "metadata": {},
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": [],
        "usage": {
            "input_tokens": 3,
            "input_tokens_details": {"cached_tokens": 0},
            "output_tokens": 4,
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": 7,
        },
        "store": True,
        **extra,
    }


def message(text: str, item_id: str = "msg_hostile") -> dict[str, Any]:
    return {
        "id": item_id,
        "type": "message",
        "role": "assistant",
        "status": "completed",
        "content": [{"type": "output_text", "text": text, "annotations": []}],
    }


def stream_of(final: dict[str, Any], deltas: list[str] | None = None) -> list[dict[str, Any]]:
    """The events of a streamed answer: created, each text delta, completed."""
    created = {**final, "status": "in_progress", "output": []}
    events: list[dict[str, Any]] = [
        {"type": "response.created", "sequence_number": 0, "response": created}
    ]
    seq = 1
    for index, item in enumerate(final["output"]):
        events.append(
            {
                "type": "response.output_item.added",
                "sequence_number": seq,
                "output_index": index,
                "item": {**item, "status": "in_progress"}
                if item["type"] != "message"
                else {**item, "status": "in_progress", "content": []},
            }
        )
        seq += 1
        if item["type"] == "message":
            for part in item["content"]:
                text = part.get("text") or part.get("refusal") or ""
                kind = "refusal" if part["type"] == "refusal" else "output_text"
                for delta in deltas or [text]:
                    events.append(
                        {
                            "type": f"response.{kind}.delta",
                            "sequence_number": seq,
                            "item_id": item["id"],
                            "output_index": index,
                            "content_index": 0,
                            "delta": delta,
                            "logprobs": [],
                        }
                    )
                    seq += 1
        events.append(
            {
                "type": "response.output_item.done",
                "sequence_number": seq,
                "output_index": index,
                "item": item,
            }
        )
        seq += 1
    events.append({"type": "response.completed", "sequence_number": seq, "response": final})
    return events


def error_body(message: str, code: str | None = None, param: str | None = None) -> dict[str, Any]:
    return {
        "error": {"message": message, "type": "invalid_request_error", "code": code, "param": param}
    }


def function_call(name: str, arguments: str, call_id: str = "call_1") -> dict[str, Any]:
    return {
        "id": f"fc_{call_id}",
        "type": "function_call",
        "status": "completed",
        "name": name,
        "arguments": arguments,
        "call_id": call_id,
    }
