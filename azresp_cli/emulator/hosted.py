"""What the hosted tools did in one response, and the answer message that reports it.

Each tool module (tools_mcp, tools_code, tools_image) returns a HostedOutcome: the items
to play before the message, the paragraphs that open the answer, and the files that
answer cites. An approval request ends the turn: the response then has no message.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from azresp_cli.emulator.events import ItemScript
from azresp_cli.emulator.objects import Json

_QUOTE_LIMIT = 200


@dataclass(frozen=True)
class Citation:
    """A container file the answer links to; `marker` is the exact text that cites it."""

    container_id: str
    file_id: str
    filename: str
    marker: str


@dataclass(frozen=True)
class UrlCitation:
    """A web page the answer cites; `marker` is the exact text the annotation covers."""

    marker: str
    url: str
    title: str


@dataclass
class HostedOutcome:
    items: list[ItemScript] = field(default_factory=list)
    report: list[str] = field(default_factory=list)  # paragraphs that open the answer
    citations: list[Citation] = field(default_factory=list)
    holds_answer: bool = False  # an approval request is pending: no message this turn
    url_citations: list[UrlCitation] = field(default_factory=list)  # web search (tools_web)

    def add(self, other: HostedOutcome) -> None:
        self.items += other.items
        self.report += other.report
        self.citations += other.citations
        self.url_citations += other.url_citations
        self.holds_answer = self.holds_answer or other.holds_answer


def message(
    answer_text: str | None, outcome: HostedOutcome, *, structured: bool = False
) -> tuple[str | None, tuple[Json, ...]]:
    """The answer's text (the tools' report, then the model's answer) and its annotations.

    ``structured`` (a JSON ``text.format``): the answer is the JSON instance alone, as the
    service's is; what the tools did is in their output items, not in prose before it.
    `container_file_citation` spans cover each citation's marker; indexes are character
    offsets into the text, `end_index` exclusive.
    """
    if outcome.holds_answer:
        return None, ()
    report = [] if structured else outcome.report
    paragraphs = [*report, *([answer_text] if answer_text is not None else [])]
    if not paragraphs:
        return None, ()
    text = "\n\n".join(paragraphs)
    annotations: list[Json] = []
    for citation in outcome.citations:
        start = text.find(citation.marker)
        if start < 0:
            continue
        annotations.append(
            {
                "type": "container_file_citation",
                "container_id": citation.container_id,
                "file_id": citation.file_id,
                "filename": citation.filename,
                "start_index": start,
                "end_index": start + len(citation.marker),
            }
        )
    for cited in outcome.url_citations:
        start = text.find(cited.marker)
        if start >= 0:
            annotations.append(
                {
                    "type": "url_citation",
                    "url": cited.url,
                    "title": cited.title,
                    "start_index": start,
                    "end_index": start + len(cited.marker),
                }
            )
    annotations.sort(key=lambda annotation: int(annotation["end_index"]))
    return text, tuple(annotations)


def quote(text: str, limit: int = _QUOTE_LIMIT) -> str:
    """`text` on one line, shortened: how answers quote tool output."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
