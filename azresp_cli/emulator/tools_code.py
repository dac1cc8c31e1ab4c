"""The code interpreter tool (docs/protocol.md §5): containers, the call item, cited output files.

The model runs code when the latest user text has `[[code]]`, when `tool_choice` is
`{"type": "code_interpreter"}`, or when it mentions CSV files, plots or computing while
files are available (the container's, the tool's `file_ids`, or this message's
`input_file`s). The container is the one named by `container`, else the last one used in
the context, else a new one; the tool's files and this message's files are copied into it.
csv_analysis.py does the work; nothing the client sends is ever executed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from azresp_cli.emulator import csv_analysis, directives, ids, tokens
from azresp_cli.emulator.attachments import Attachment
from azresp_cli.emulator.containers import (
    MEMORY_LIMITS,
    Container,
    ContainerStore,
    check_file_ids,
    container_not_found,
    copy_files,
)
from azresp_cli.emulator.errors import ApiError, invalid_request, invalid_value, missing_parameter
from azresp_cli.emulator.events import ItemScript
from azresp_cli.emulator.files import FileStore
from azresp_cli.emulator.hosted import Citation, HostedOutcome
from azresp_cli.emulator.objects import Json

CODE_WORDS = frozenset(
    {"csv", "plot", "chart", "graph", "compute", "calculate", "analyse", "analyze", "python",
     "sum", "sums", "average", "mean", "statistics", "spreadsheet"}
)  # fmt: skip
PLOT_WORDS = frozenset({"plot", "chart", "graph"})
OUTPUTS_INCLUDE = "code_interpreter_call.outputs"
_LINES_PER_DELTA = 4


@dataclass(frozen=True)
class CodeTurn:
    """What one response gives the code interpreter to work with."""

    tool: dict[str, Any]  # the request's code_interpreter tool, already checked
    text: str  # the latest user text, directives included
    tool_choice: Any
    attachments: tuple[Attachment, ...]  # this message's attachments
    context_items: list[Json]
    include_outputs: bool


def check_tool(tool: dict[str, Any], param: str, files: FileStore, store: ContainerStore) -> None:
    container = tool.get("container")
    if container is None:
        raise missing_parameter(f"{param}.container")
    if isinstance(container, str):
        if store.get(container) is None:
            raise _not_found(container, f"{param}.container")
        return
    if not isinstance(container, dict) or container.get("type") != "auto":
        raise invalid_request(
            f"Invalid '{param}.container': expected a container id or"
            ' {"type": "auto", "file_ids": [...]}.',
            param=f"{param}.container",
        )
    file_ids = container.get("file_ids") or []
    if not isinstance(file_ids, list):
        raise invalid_request(
            f"Invalid '{param}.container.file_ids': expected an array of file ids.",
            param=f"{param}.container.file_ids",
        )
    check_file_ids(file_ids, files, f"{param}.container.file_ids")
    limit = container.get("memory_limit")
    if limit is not None and limit not in MEMORY_LIMITS:
        raise invalid_value(f"{param}.container.memory_limit", limit, MEMORY_LIMITS)


def run(turn: CodeTurn, files: FileStore, store: ContainerStore) -> HostedOutcome:
    """The call item and the answer's report, or nothing if the model does not run code."""
    setting = turn.tool["container"]
    container = store.get(setting) if isinstance(setting, str) else _reusable(turn, store)
    file_ids = [] if isinstance(setting, str) else list(setting.get("file_ids") or [])
    uploads = [item for item in turn.attachments if item.kind == "input_file" and item.data]
    has_files = bool(file_ids or uploads or (container is not None and container.files))
    if not _wants(turn, has_files):
        return HostedOutcome()
    if container is None:
        container = store.create("Code interpreter container", setting.get("memory_limit") or "1g")
    copy_files(container, file_ids, files)
    for upload in uploads:
        if upload.file_id is None or not container.has_copy_of(upload.file_id):
            container.write(upload.name, upload.data or b"", "user", upload.file_id)
    return _interpret(container, turn)


def _wants(turn: CodeTurn, has_files: bool) -> bool:
    if turn.tool_choice == "none":
        return False
    if any(directive.name == "code" for directive in directives.find(turn.text)):
        return True
    choice = turn.tool_choice
    if isinstance(choice, dict) and choice.get("type") == "code_interpreter":
        return True
    return has_files and bool(_words(turn.text) & CODE_WORDS)


def _reusable(turn: CodeTurn, store: ContainerStore) -> Container | None:
    for item in reversed(turn.context_items):
        if item["type"] == "code_interpreter_call":
            found = store.get(str(item.get("container_id")))
            if found is not None:
                return found
    return None


def _interpret(container: Container, turn: CodeTurn) -> HostedOutcome:
    inputs = sorted(
        (entry for entry in container.files.values() if entry.source == "user"),
        key=lambda entry: entry.path,
    )
    tables = [entry for entry in inputs if entry.filename.lower().endswith(".csv")]
    if tables:
        summaries = [csv_analysis.analyse(entry.filename, entry.data) for entry in tables]
        wants_plot = bool(_words(turn.text) & PLOT_WORDS)
        outputs = {"summary.csv": csv_analysis.summary_csv(summaries)}
        if wants_plot:
            sums = [stats.total for table in summaries for stats in table.numeric]
            outputs["plot.png"] = csv_analysis.bar_chart(sums)
        logs = csv_analysis.table_logs(summaries, list(outputs))
        code = csv_analysis.code([entry.filename for entry in tables], list(outputs))
        findings = [_finding(table) for table in summaries]
    else:
        listing = sorted((entry.filename, len(entry.data)) for entry in container.files.values())
        outputs = {"files.csv": csv_analysis.listing_csv(listing)}
        logs = csv_analysis.listing_logs(listing, "files.csv")
        code = csv_analysis.code([], list(outputs))
        plural = "" if len(listing) == 1 else "s"
        findings = [f"The container holds {len(listing)} file{plural} and no CSV file."]
    written = [container.write(name, data, "assistant") for name, data in outputs.items()]
    citations = [
        Citation(
            container.container_id,
            entry.file_id,
            entry.filename,
            f"[{entry.filename}](sandbox:{entry.path})",
        )
        for entry in written
    ]
    report = [
        f"I ran Python in the code interpreter (container `{container.container_id}`). "
        + " ".join(findings),
        "Results: " + ", ".join(citation.marker for citation in citations),
    ]
    item = _call_script(container.container_id, code, logs if turn.include_outputs else None)
    return HostedOutcome(items=[item], report=report, citations=citations)


def _finding(table: csv_analysis.TableSummary) -> str:
    said = f"`{table.filename}` has {table.rows} rows and {len(table.columns)} columns"
    sums = [
        f"`{stats.name}` sums to {csv_analysis.number(stats.total)}"
        f" (mean {csv_analysis.number(stats.mean)})"
        for stats in table.numeric
    ]
    return said + ("; " + ", ".join(sums) if sums else "") + "."


def _call_script(container_id: str, code: str, logs: str | None) -> ItemScript:
    item_id = ids.item_id("code_interpreter_call")
    base = {"id": item_id, "type": "code_interpreter_call", "container_id": container_id}
    lines = code.splitlines(keepends=True)
    deltas = [
        "".join(lines[start : start + _LINES_PER_DELTA])
        for start in range(0, len(lines), _LINES_PER_DELTA)
    ]
    events: list[Json] = [{"type": "response.code_interpreter_call.in_progress"}]
    events += [{"type": "response.code_interpreter_call_code.delta", "delta": d} for d in deltas]
    events += [
        {"type": "response.code_interpreter_call_code.done", "code": code},
        {"type": "response.code_interpreter_call.interpreting"},
        {"type": "response.code_interpreter_call.completed"},
    ]
    outputs = None if logs is None else [{"type": "logs", "logs": logs}]
    return ItemScript(
        added={**base, "status": "in_progress", "code": "", "outputs": None},
        events=tuple(events),
        done={**base, "status": "completed", "code": code, "outputs": outputs},
        output_tokens=tokens.count(code),
    )


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", directives.strip(text).lower()))


def _not_found(container_id: str, param: str) -> ApiError:
    error = container_not_found(container_id)
    return invalid_request(error.body["error"]["message"], param=param)
