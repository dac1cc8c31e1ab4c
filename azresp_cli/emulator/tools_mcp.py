"""Remote MCP tools (docs/protocol.md §4): listing, approval, calling, and the items that show it.

Per response, in order: an `mcp_list_tools` item for each server whose list is not in
context yet (a failed list does not count, so the next turn tries again); an `mcp_call`
for each approved `mcp_approval_response` in this request, or a note for each declined
one; then the calls the model decides on: `[[mcp:LABEL.TOOL {json}]]`, a `tool_choice`
naming an MCP tool, or a listed tool's name in the latest user text. A call that needs
approval becomes an `mcp_approval_request` instead, which ends the turn. Approval is
required unless `require_approval` is `"never"` or a `never` filter names the tool.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from azresp_cli.emulator import directives, ids, mcp_client, schema_example, tokens
from azresp_cli.emulator.errors import invalid_request, invalid_type, missing_parameter
from azresp_cli.emulator.events import ItemScript
from azresp_cli.emulator.hosted import HostedOutcome, quote
from azresp_cli.emulator.objects import Json

_APPROVAL_SETTINGS = ("always", "never")
_MODEL_OUTPUTS = (
    "reasoning", "function_call", "mcp_list_tools", "mcp_call", "mcp_approval_request",
    "code_interpreter_call", "image_generation_call",
)  # fmt: skip


@dataclass(frozen=True)
class McpServer:
    label: str
    url: str
    headers: dict[str, str]  # the client's secrets for the server: sent there, never shown
    require_approval: Any
    allowed_tools: Any


@dataclass(frozen=True)
class Approval:
    """One `mcp_approval_response` of this request with the request it answers."""

    request: Json  # the mcp_approval_request item
    approve: bool
    reason: str | None


@dataclass(frozen=True)
class _Call:
    label: str
    name: str
    arguments: str


def check_tool(tool: dict[str, Any], param: str) -> None:
    for name in ("connector_id", "tunnel_id"):
        if tool.get(name) is not None:
            raise invalid_request(
                f"Invalid '{param}.{name}': Azure OpenAI supports remote MCP servers by"
                " 'server_url' only.",
                param=f"{param}.{name}",
            )
    for name in ("server_label", "server_url"):
        if not isinstance(tool.get(name), str) or not tool[name]:
            raise missing_parameter(f"{param}.{name}")
    if not tool["server_url"].startswith(("https://", "http://")):
        raise invalid_request(
            f"Invalid '{param}.server_url': expected an http or https URL.",
            param=f"{param}.server_url",
        )
    headers = tool.get("headers")
    if headers is not None and (
        not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values())
    ):
        raise invalid_type(f"{param}.headers", "an object of strings", "a different value")
    approval = tool.get("require_approval")
    if not (approval is None or approval in _APPROVAL_SETTINGS or isinstance(approval, dict)):
        raise invalid_request(
            f"Invalid '{param}.require_approval': expected 'always', 'never' or a filter object.",
            param=f"{param}.require_approval",
        )


def servers(raw_tools: Iterable[Any]) -> dict[str, McpServer]:
    """The request's MCP servers by label, headers included (they are not in `params.tools`)."""
    found: dict[str, McpServer] = {}
    for index, tool in enumerate(raw_tools):
        if not isinstance(tool, dict) or tool.get("type") != "mcp":
            continue
        label = tool["server_label"]
        if label in found:
            raise invalid_request(
                f"Duplicate MCP server_label '{label}'. Each MCP tool needs its own label.",
                param=f"tools[{index}].server_label",
            )
        headers = dict(tool.get("headers") or {})
        if tool.get("authorization"):
            headers["Authorization"] = f"Bearer {tool['authorization']}"
        found[label] = McpServer(
            label,
            tool["server_url"],
            headers,
            tool.get("require_approval"),
            tool.get("allowed_tools"),
        )
    return found


def approvals(
    input_items: list[Json], context_items: list[Json], known: dict[str, McpServer]
) -> list[Approval]:
    """This request's new approval responses, each matched to its request (else a 400).

    A stateless client replays its whole history, earlier answers included: a response
    the model has already acted on (some model output follows it) is not new.
    """
    requests = {
        item["id"]: item for item in context_items if item["type"] == "mcp_approval_request"
    }
    matched = []
    for index, item in enumerate(input_items):
        if item["type"] != "mcp_approval_response":
            continue
        if any(_is_model_output(later) for later in input_items[index + 1 :]):
            continue
        request = requests.get(item["approval_request_id"])
        if request is None:
            raise invalid_request(
                f"No approval request found with id '{item['approval_request_id']}'.",
                param="input",
            )
        if request["server_label"] not in known:
            raise invalid_request(
                f"Approval request '{request['id']}' is for the MCP server"
                f" '{request['server_label']}', which is not in this request's tools. Send the"
                " same tools again with the approval response.",
                param="tools",
            )
        matched.append(Approval(request, item["approve"], item.get("reason")))
    return matched


async def run(
    known: dict[str, McpServer],
    context_items: list[Json],
    answered: list[Approval],
    latest_text: str,
    tool_choice: Any,
) -> HostedOutcome:
    outcome = HostedOutcome()
    listed: dict[str, list[Json]] = {}
    for server in known.values():
        in_context = _listed_in_context(context_items, server.label)
        if in_context is not None:
            listed[server.label] = _allowed(in_context, server.allowed_tools)
            continue
        listing = await mcp_client.list_tools(server.url, server.headers, server.label)
        allowed = _allowed(list(listing.tools), server.allowed_tools)  # all the model sees
        outcome.items.append(_list_script(server.label, allowed, listing.error))
        if listing.error is None:
            listed[server.label] = allowed
        else:
            outcome.report.append(
                f"I could not reach the MCP server `{server.label}`, so I answered without its"
                f" tools. {listing.error}"
            )
    for approval in answered:
        request = approval.request
        call = _Call(request["server_label"], request["name"], request["arguments"])
        if approval.approve:
            await _call(known[call.label], call, outcome, approval_request_id=request["id"])
        else:
            why = f" ({approval.reason})" if approval.reason else ""
            outcome.report.append(
                f"You declined the call of `{call.name}` on the MCP server `{call.label}`{why},"
                " so I did not call it."
            )
    if answered or tool_choice == "none":
        return outcome  # the model is answering approvals, not deciding anew
    for call in _decide(latest_text, tool_choice, listed, known, outcome):
        if _needs_approval(known[call.label].require_approval, call.name):
            outcome.items.append(_approval_script(call))
            outcome.holds_answer = True
        else:
            await _call(known[call.label], call, outcome, approval_request_id=None)
    return outcome


def _decide(
    text: str,
    tool_choice: Any,
    listed: dict[str, list[Json]],
    known: dict[str, McpServer],
    outcome: HostedOutcome,
) -> list[_Call]:
    calls = []
    for directive in directives.find(text):
        if directive.name == "mcp":
            call = _from_directive(directive.argument, listed, known, outcome)
            if call is not None:
                calls.append(call)
    if calls or any(directive.name == "mcp" for directive in directives.find(text)):
        return calls
    if isinstance(tool_choice, dict) and tool_choice.get("type") == "mcp":
        label = tool_choice.get("server_label")
        tools = listed.get(str(label), [])
        chosen = [tool for tool in tools if tool_choice.get("name") in (None, tool["name"])]
        return [_Call(str(label), chosen[0]["name"], _example(chosen[0]))] if chosen else []
    words = set(directives.strip(text).replace("`", " ").split())
    return [
        _Call(label, tool["name"], _example(tool))
        for label, tools in listed.items()
        for tool in tools
        if tool["name"] in words
    ]


def _from_directive(
    argument: str,
    listed: dict[str, list[Json]],
    known: dict[str, McpServer],
    outcome: HostedOutcome,
) -> _Call | None:
    target, _, raw_arguments = argument.partition(" ")
    label = next((name for name in known if target.startswith(name + ".")), None)
    if label is None:
        outcome.report.append(f"There is no MCP server for `{target}` in this request's tools.")
        return None
    if label not in listed:
        return None  # the server could not be reached: the report says so already
    name = target[len(label) + 1 :]
    tool = next((tool for tool in listed[label] if tool["name"] == name), None)
    if tool is None:
        outcome.report.append(f"The MCP server `{label}` has no tool `{name}` that I may use.")
        return None
    if not raw_arguments.strip():
        return _Call(label, name, _example(tool))
    try:
        parsed = json.loads(raw_arguments)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        outcome.report.append(
            f"The arguments for `{name}` are not a JSON object, so I did not call it."
        )
        return None
    return _Call(label, name, json.dumps(parsed, separators=(",", ":")))


async def _call(
    server: McpServer, call: _Call, outcome: HostedOutcome, approval_request_id: str | None
) -> None:
    try:
        arguments = json.loads(call.arguments or "{}")
    except ValueError:
        arguments = None  # a replayed approval request whose arguments were changed
    if isinstance(arguments, dict):
        result = await mcp_client.call_tool(server.url, server.headers, call.name, arguments)
    else:
        invalid = {"type": "mcp_protocol_error", "code": -32602, "message": "Invalid arguments."}
        result = mcp_client.CallResult(None, invalid)
    outcome.items.append(_call_script(call, result, approval_request_id))
    said = f"I called `{call.name}` on the MCP server `{call.label}` with `{call.arguments}`"
    if result.error is None:
        outcome.report.append(f"{said}; it returned: `{quote(result.output or '')}`.")
    else:
        outcome.report.append(f"{said}, but it failed: {quote(_error_text(result.error))}")


def _list_script(label: str, tools: list[Json], error: str | None) -> ItemScript:
    item = {"id": ids.item_id("mcp_list_tools"), "type": "mcp_list_tools", "server_label": label}
    done = {**item, "tools": tools}
    if error is not None:
        done["error"] = error
    ending = "failed" if error is not None else "completed"
    return ItemScript(
        added={**item, "tools": []},
        events=(
            {"type": "response.mcp_list_tools.in_progress"},
            {"type": f"response.mcp_list_tools.{ending}"},
        ),
        done=done,
    )


def _call_script(
    call: _Call, result: mcp_client.CallResult, approval_request_id: str | None
) -> ItemScript:
    item = {
        "id": ids.item_id("mcp_call"),
        "type": "mcp_call",
        "server_label": call.label,
        "name": call.name,
        "approval_request_id": approval_request_id,
    }
    ending = "failed" if result.error is not None else "completed"
    added = {**item, "arguments": "", "output": None, "error": None, "status": "in_progress"}
    done = {
        **item,
        "arguments": call.arguments,
        "output": result.output,
        "error": result.error,
        "status": ending,
    }
    return ItemScript(
        added=added,
        events=(
            {"type": "response.mcp_call.in_progress"},
            {
                "type": "response.mcp_call_arguments.delta",
                "delta": call.arguments,
            },  # one delta, as recorded
            {"type": "response.mcp_call_arguments.done", "arguments": call.arguments},
            {"type": f"response.mcp_call.{ending}"},
        ),
        done=done,
        output_tokens=tokens.count(call.arguments) + tokens.count(result.output or ""),
    )


def _approval_script(call: _Call) -> ItemScript:
    item = {
        "id": ids.item_id("mcp_approval_request"),
        "type": "mcp_approval_request",
        "server_label": call.label,
        "name": call.name,
        "arguments": call.arguments,
    }
    return ItemScript(added=item, events=(), done=item, output_tokens=tokens.count(call.arguments))


def _is_model_output(item: Json) -> bool:
    if item["type"] == "message":
        return item.get("role") == "assistant"
    return item["type"] in _MODEL_OUTPUTS


def _listed_in_context(items: list[Json], label: str) -> list[Json] | None:
    lists = [
        item
        for item in items
        if item["type"] == "mcp_list_tools"
        and item.get("server_label") == label
        and not item.get("error")
    ]
    return list(lists[-1].get("tools") or []) if lists else None


def _allowed(tools: list[Json], allowed_tools: Any) -> list[Json]:
    if isinstance(allowed_tools, list):
        return [tool for tool in tools if tool["name"] in allowed_tools]
    if isinstance(allowed_tools, dict):
        return [tool for tool in tools if _matches(tool, allowed_tools)]
    return tools


def _matches(tool: Json, tool_filter: dict[str, Any]) -> bool:
    names = tool_filter.get("tool_names")
    if isinstance(names, list) and tool["name"] not in names:
        return False
    if tool_filter.get("read_only") is True:
        return bool((tool.get("annotations") or {}).get("readOnlyHint"))
    return True


def _needs_approval(setting: Any, name: str) -> bool:
    if setting == "never":
        return False
    if isinstance(setting, dict):
        never = setting.get("never")
        if isinstance(never, dict) and name in (never.get("tool_names") or []):
            return False
    return True  # "always", an `always` filter, or nothing said: approval is the default


def _example(tool: Json) -> str:
    arguments = schema_example.example({"type": "object", **(tool.get("input_schema") or {})})
    return json.dumps(arguments, separators=(",", ":"))


def _error_text(error: Json) -> str:
    if error.get("type") == "mcp_tool_execution_error":
        content = error.get("content") or []
        texts = [block.get("text", "") for block in content if isinstance(block, dict)]
        return " ".join(text for text in texts if text) or "the tool reported an error"
    return str(error.get("message") or "unknown error")
