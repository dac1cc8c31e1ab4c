"""Output of the commands about stored responses: ``get``, ``items``, ``delete``.

stdout gets the data (the answer text, a table or tab-separated lines, or JSON); notes about
it (status, "deleted ...") go to stderr. Piped output has no escape sequences and one record
per line, for ``cut`` and ``awk``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text

from azresp_cli.core.environment import Environment
from azresp_cli.core.events import ResponseRecord
from azresp_cli.render.json_writers import to_json
from azresp_cli.render.turn_state import status_warning

SNIPPET_LENGTH = 100  # characters of content per item in piped output
_MISSING = "-"


@dataclass(frozen=True)
class ItemSummary:
    """One input item as ``azresp items`` lists it."""

    id: str
    role: str
    type: str
    snippet: str  # the content on one line, shortened

    @classmethod
    def of(cls, item: Mapping[str, Any]) -> ItemSummary:
        return cls(
            id=str(item.get("id") or _MISSING),
            role=str(item.get("role") or _MISSING),
            type=str(item.get("type") or _MISSING),
            snippet=_one_line(_content_text(item)),
        )


def print_response(env: Environment, record: ResponseRecord, *, json_output: bool = False) -> None:
    """``azresp get``: the answer text (Markdown on a colour TTY), or the Response as JSON."""
    if json_output:
        _write(env, to_json(record.raw, indent=2) + "\n")
        return
    text = record.output_text
    if text.strip() and env.color:
        from rich.markdown import Markdown

        from azresp_cli.render.console import stdout_console
        from azresp_cli.render.markdown_join import Trimmed

        stdout_console(env).print(Trimmed(Markdown(text)))
    elif text.strip():
        _write(env, text.rstrip("\n") + "\n")
    note = _status_note(record)
    if note:
        _note(env, note)


def print_items(
    env: Environment,
    items: Sequence[Mapping[str, Any]],
    *,
    raw: Mapping[str, Any] | None = None,
    json_output: bool = False,
) -> None:
    """``azresp items``: a table on a TTY, ``id<TAB>role<TAB>type<TAB>snippet`` lines on a pipe.

    With ``json_output`` the list object as the service gave it (``raw``), or one built from
    ``items`` in the same shape.
    """
    if json_output:
        page = raw if raw is not None else {"object": "list", "data": list(items)}
        _write(env, to_json(page, indent=2) + "\n")
        return
    summaries = [ItemSummary.of(item) for item in items]
    if not summaries:
        _note(env, "no input items")
    elif env.stdout_isatty:
        _print_table(env, summaries)
    else:
        _write(env, "".join(_tsv_line(summary) for summary in summaries))


def print_deleted(env: Environment, response_ids: Iterable[str]) -> None:
    """``deleted ID`` on stderr for each id: stdout stays empty for scripts."""
    env.stderr.write("".join(f"deleted {response_id}\n" for response_id in response_ids))
    env.stderr.flush()


def _print_table(env: Environment, summaries: Sequence[ItemSummary]) -> None:
    from rich import box
    from rich.table import Table

    from azresp_cli.render.console import stdout_console

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, header_style="bold")
    # Ids, roles and types are shown whole; only the content gives way to the terminal width.
    # (A no_wrap content column would not shrink, and rich would squeeze the others instead.)
    for name in ("id", "role", "type"):
        table.add_column(name, no_wrap=True)
    table.add_column("content")
    for summary in summaries:
        snippet = Text(summary.snippet, no_wrap=True, overflow="ellipsis")
        table.add_row(summary.id, summary.role, summary.type, snippet)
    stdout_console(env).print(table)


def _tsv_line(summary: ItemSummary) -> str:
    snippet = summary.snippet
    if len(snippet) > SNIPPET_LENGTH:
        snippet = snippet[: SNIPPET_LENGTH - 1] + "…"
    return "\t".join((summary.id, summary.role, summary.type, snippet)) + "\n"


def _content_text(item: Mapping[str, Any]) -> str:
    """What an item says, whatever its type: message parts, a call, a call's output."""
    content = item.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, Sequence):
        return " ".join(_part_text(part) for part in content if isinstance(part, Mapping))
    kind = item.get("type")
    if kind == "function_call":
        return f"{item.get('name', '')}({item.get('arguments', '')})"
    if kind == "function_call_output":
        return str(item.get("output", ""))
    summary = item.get("summary")
    if isinstance(summary, Sequence) and not isinstance(summary, str):
        return " ".join(str(part.get("text", "")) for part in summary if isinstance(part, Mapping))
    return ""


def _part_text(part: Mapping[str, Any]) -> str:
    kind = part.get("type")
    if isinstance(part.get("text"), str):
        return str(part["text"])
    if kind == "refusal":
        return str(part.get("refusal", ""))
    if kind == "input_image":
        return f"[image {part.get('file_id') or _short(str(part.get('image_url') or ''))}]"
    if kind == "input_file":
        return f"[file {part.get('filename') or part.get('file_id') or ''}]".replace(" ]", "]")
    return f"[{kind}]" if kind else ""


def _short(url: str) -> str:
    # Data URLs carry the whole image; only their media type is worth showing.
    return url.split(",", 1)[0] if url.startswith("data:") else url


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _status_note(record: ResponseRecord) -> str | None:
    if record.status == "failed":
        reason = record.error_message or record.error_code or "no reason given"
        return f"warning: response failed: {reason}"
    if record.status in {"queued", "in_progress"}:
        return f"warning: response is {record.status}; it has no final answer yet"
    warning = status_warning(record)
    if warning:
        return warning
    if not record.output_text.strip():
        return "note: the response has no text output"
    return None


def _write(env: Environment, text: str) -> None:
    env.stdout.write(text)
    env.stdout.flush()


def _note(env: Environment, text: str) -> None:
    env.stderr.write(text + "\n")
    env.stderr.flush()
