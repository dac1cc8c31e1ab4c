"""Fresh ids in the service's forms; the only randomness the emulator has."""

from __future__ import annotations

import secrets
import string
import uuid

_ALPHANUMERIC = string.ascii_letters + string.digits

# Item-type -> id prefix for items the client sent without an id. Observed prefixes where
# known (docs/protocol.md §0); the rest only need to be unique, never parsed.
ITEM_PREFIXES = {
    "message": "msg",
    "reasoning": "rs",
    "function_call": "fc",
    "function_call_output": "fco",
    "custom_tool_call": "ctc",
    "custom_tool_call_output": "ctco",
    "compaction": "cmp",
    "mcp_list_tools": "mcpl",
    "mcp_call": "mcp",
    "mcp_approval_request": "mcpr",
    "mcp_approval_response": "mcpa",
    "code_interpreter_call": "ci",
    "image_generation_call": "ig",
    "web_search_call": "ws",
}


def hex_id(prefix: str) -> str:
    """`resp_…`, `msg_…`, `rs_…`: a prefix and 50 hex digits, as the service makes them."""
    return f"{prefix}_{secrets.token_hex(25)}"


def item_id(item_type: str) -> str:
    return hex_id(ITEM_PREFIXES.get(item_type, "item"))


def file_id() -> str:
    """`assistant-` and 22 letters and digits: how Azure names uploaded files."""
    return "assistant-" + "".join(secrets.choice(_ALPHANUMERIC) for _ in range(22))


def container_id() -> str:
    return hex_id("cntr")


def container_file_id() -> str:
    return "cfile_" + secrets.token_hex(16)


def call_id() -> str:
    return "call_" + "".join(secrets.choice(_ALPHANUMERIC) for _ in range(24))


def request_id() -> str:
    return str(uuid.uuid4())
