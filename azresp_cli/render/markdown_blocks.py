"""Where a growing Markdown answer can be cut into blocks that will never change.

Pure text logic, no rich: ``BlockScanner`` reads complete lines one at a time and keeps its state
(open fence, open list, ...) between calls, so a stream costs O(1) work per line rather than a
rescan of the unfinished tail on every delta. ``split_settled`` runs it over a whole string.

A cut is only ever made where CommonMark has *closed* the block before it: block structure is
decided line by line and a closed block never reopens, so the text before the cut renders
exactly as it would inside the full answer. When in doubt we do not cut; that only keeps more
text in the live tail, it never changes what is finally printed. Rules, in order:

* inside a ``` or ~~~ fence nothing is a boundary until its closing line (CommonMark: same
  character, at least as long, nothing after it); a top-level fence is cut right after it closes;
* inside an HTML block that may span blank lines (``<!-- -->``, ``<pre>``, ``<script>``, ...)
  nothing is a boundary until its end marker;
* a blank line ends paragraphs, headings, tables, block quotes and other HTML blocks: cut;
* a list stays open across blank lines (loose lists, items with several paragraphs or fenced
  code) until, after a blank line, a line starts left of the item's content column and is not
  a list marker; the cut goes before that line (a list with blank lines between its items is
  one list, and splitting it would add blank lines and restart its numbering width);
* an indented code block stays open across blank lines until a line indented less than four.

Fuzzing this against markdown-it found cases that needed the finer CommonMark rules below (lazy
continuation lines, which list items may interrupt a paragraph, setext underlines, HTML blocks
that swallow a ```). Known gap: a link reference definition (``[id]: url``) placed after the
block that uses it; answers rarely have one.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

_FENCE = re.compile(r"(?P<marker>`{3,}|~{3,})(?P<info>.*)$")
_LIST_MARKER = re.compile(r"(?:[-+*]|\d{1,9}[.)])(?= |\t|$)")
_THEMATIC_BREAK = re.compile(r" {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_QUOTE = re.compile(r" {0,3}> ?")
_SETEXT_UNDERLINE = re.compile(r"(?:=+|-+)[ \t]*$")
_ATX_HEADING = re.compile(r"#{1,6}(?:[ \t]|$)")
# CommonMark HTML block start conditions 1-5: the only HTML blocks a blank line does not end.
_HTML_BLOCKS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"<script(?:\s|>|$)", re.I), "</script>"),
    (re.compile(r"<pre(?:\s|>|$)", re.I), "</pre>"),
    (re.compile(r"<style(?:\s|>|$)", re.I), "</style>"),
    (re.compile(r"<textarea(?:\s|>|$)", re.I), "</textarea>"),
    (re.compile(r"<!--"), "-->"),
    (re.compile(r"<\?"), "?>"),
    (re.compile(r"<!\[CDATA\["), "]]>"),
    (re.compile(r"<![A-Za-z]"), ">"),
)
# Conditions 6 and 7: HTML blocks that end at a blank line (7 cannot interrupt a paragraph).
# Their lines are raw HTML, so a ``` inside one opens no fence.
_HTML_BLOCK_TAGS = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|"
    "details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|"
    "head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|"
    "option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul"
)
_HTML_UNTIL_BLANK = re.compile(rf"</?(?:{_HTML_BLOCK_TAGS})(?:\s|/?>|$)", re.I)
_HTML_LONE_TAG = re.compile(
    r"(?:<[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s\"'=<>`]+|'[^']*'"
    r"|\"[^\"]*\"))?)*\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>)\s*$"
)


class Cut(enum.Enum):
    """Where a finished block ends, relative to the line just pushed."""

    BEFORE = "before"  # the blocks before this line are final; this line starts a new block
    AFTER = "after"  # everything up to and including this line is final


@dataclass(frozen=True)
class Fence:
    char: str
    length: int
    indent: int  # column of the marker; a closer may be indented up to max(3, indent)
    quoted: bool  # opened inside a block quote: a line without ">" ends quote and fence
    list_content: int | None  # opened in a list item: a line indented less than this ends it
    opener: str  # marker and info string, to reopen the fence after a settle()


@dataclass(frozen=True)
class _Line:
    """A line seen through its containers: block-quote and list markers taken off."""

    indent: int
    body: str  # the content after containers and indentation
    body_indent: int  # column where body starts, relative to any quote markers
    quoted: bool
    list_content: int | None  # content column of a list item this line opens, if any
    may_interrupt: bool = True  # its list item may interrupt a paragraph (CommonMark 5.2)
    item_empty: bool = False  # its list item has no content on this line

    @classmethod
    def parse(cls, text: str, *, lists: bool = True) -> _Line:
        indent = _indent(text)
        quoted = False
        list_content = None
        may_interrupt = True
        item_empty = False
        while lists:
            if match := _QUOTE.match(text):
                text, quoted = text[match.end() :], True
                continue
            stripped = text.lstrip(" ")
            marker = _LIST_MARKER.match(stripped) if _indent(text) <= 3 else None
            if marker is None or _THEMATIC_BREAK.match(text):
                break
            rest = stripped[marker.end() :]
            # Content starts after one to four spaces; with five or more (or none) the item's
            # content column is one past the marker.
            spaces = _indent(rest)
            if spaces > 4 or not rest.strip():
                spaces = 1
            column = len(text) - len(rest) + spaces
            if list_content is None and not quoted:
                list_content = column
                # Only a non-empty bullet item, or ordered item 1, can interrupt a paragraph.
                item_empty = not rest.strip()
                may_interrupt = not item_empty and marker[0][:-1] in {"", "1", "01", "001"}
            text = " " * column + rest[spaces:]
        body = text.lstrip(" ")
        return cls(
            indent, body, len(text) - len(body), quoted, list_content, may_interrupt, item_empty
        )


@dataclass(frozen=True)
class _Html:
    """An HTML block a line starts: ``end`` is its end marker (None: ended on this line)."""

    end: str | None
    until_blank: bool  # conditions 6 and 7: it ends at the next blank line

    @classmethod
    def detect(cls, line: _Line, *, after_paragraph: bool) -> _Html | None:
        if line.indent > 3 or line.quoted or not line.body.startswith("<"):
            return None
        body = line.body
        for start, end in _HTML_BLOCKS:
            if start.match(body):
                return cls(None if end in body[1:].lower() else end, until_blank=False)
        if _HTML_UNTIL_BLANK.match(body) or (not after_paragraph and _HTML_LONE_TAG.match(body)):
            return cls(None, until_blank=True)
        return None


class BlockScanner:
    """Reads complete lines and says where top-level Markdown blocks are finished."""

    def __init__(self) -> None:
        self.fence: Fence | None = None
        self._html_end: str | None = None  # an HTML block that ends at this marker
        self._html_until_blank = False  # an HTML block that ends at a blank line
        self._list_content: int | None = None  # content column of the open top-level list
        self._in_indented_code = False
        self._blank_pending = False  # blank lines seen inside a list or indented code block
        self._empty_item = False  # the list item just opened has no content yet
        self._in_paragraph = False  # lazy continuation and lone HTML tags depend on it
        self._paragraph_quoted = False  # markdown-it lets any list end a quoted paragraph

    def push(self, line: str) -> Cut | None:
        """Consume one complete line (its newline included); return where a cut may go."""
        text = line.rstrip("\r\n").expandtabs(4)
        blank = not text.strip()
        if self._html_end is not None:
            if self._html_end in text.lower():
                self._html_end = None
            return None
        if self.fence is not None:
            if self._fence_contains(self.fence, text, blank):
                return self._fence_line(self.fence, text)
            # The fence's container (quote or list item) ended at this line, and so did it.
            if self.fence.list_content is not None:
                self._list_content = None
            self.fence = None
        if blank:
            self._in_paragraph = self._html_until_blank = False
            if self._list_content is not None or self._in_indented_code:
                self._blank_pending = True
                return None
            return Cut.AFTER
        if self._html_until_blank:
            return None
        cut = None
        if self._blank_pending:
            self._blank_pending = False
            indent = _indent(text)
            if self._in_indented_code and indent >= 4:
                return None
            # An item that starts empty ends at its first blank line (CommonMark 5.2).
            continues_item = indent >= (self._list_content or 0) and not self._empty_item
            inside = self._list_content is not None and (
                continues_item or (indent <= 3 and _LIST_MARKER.match(text[indent:]) is not None)
            )
            if not inside:
                self._list_content = None
                self._in_indented_code = False
                cut = Cut.BEFORE
        parsed = _Line.parse(text)
        in_plain_paragraph = self._in_paragraph and not self._paragraph_quoted
        if not parsed.may_interrupt and in_plain_paragraph and self._list_content is None:
            parsed = _Line.parse(text, lists=False)  # paragraph text, not a list
        self._classify(parsed)
        return cut

    def _fence_contains(self, fence: Fence, text: str, blank: bool) -> bool:
        if fence.quoted:
            return _QUOTE.match(text) is not None
        return blank or fence.list_content is None or _indent(text) >= fence.list_content

    def _fence_line(self, fence: Fence, text: str) -> Cut | None:
        content = _strip_quotes(text) if fence.quoted else text
        marker = content.strip()
        is_closer = (
            _indent(content) <= max(3, fence.indent)
            and len(marker) >= fence.length
            and marker == fence.char * len(marker)
        )
        if not is_closer:
            return None
        self.fence = None
        return None if fence.list_content is not None or fence.quoted else Cut.AFTER

    def _classify(self, line: _Line) -> None:
        """Note what a non-blank line outside any fence or HTML block opens or closes."""
        in_list = self._list_content is not None
        if line.indent >= 4 and not in_list:
            # Indented code, or a lazy paragraph line: neither opens a fence or a list. Taking
            # it for code errs on the safe side: code keeps blank lines, so we cut later.
            self._in_indented_code = True
            return
        self._in_indented_code = False
        fence = _FENCE.match(line.body)
        if fence and fence["marker"][0] == "`" and "`" in fence["info"]:
            fence = None  # a backtick fence's info string cannot hold a backtick
        html = _Html.detect(line, after_paragraph=self._in_paragraph)
        opens_block = (
            fence is not None
            or html is not None
            or _ATX_HEADING.match(line.body) is not None
            or (_THEMATIC_BREAK.match(line.body) is not None and line.list_content is None)
        )
        is_lazy = in_list and line.indent < (self._list_content or 0) and line.list_content is None
        continues_quote = self._in_paragraph and self._paragraph_quoted and not line.quoted
        # A setext underline (=== or ---) turns the paragraph above into a heading; a lazy
        # continuation line (of a list item or of a quote) cannot be one.
        is_underline = (
            self._in_paragraph
            and not (is_lazy or continues_quote)
            and _SETEXT_UNDERLINE.match(line.body) is not None
        )
        if line.list_content is not None and line.indent <= 3:
            if not in_list or line.indent < (self._list_content or 0):
                self._list_content = line.list_content  # a new top-level item
        elif is_lazy and (opens_block or line.quoted or not self._in_paragraph):
            # Left of the item's content column only a lazy paragraph line stays in the list.
            self._list_content = None
        if fence is not None:
            self.fence = Fence(
                char=fence["marker"][0],
                length=len(fence["marker"]),
                indent=line.body_indent,
                quoted=line.quoted,
                list_content=self._list_content,
                opener=line.body.rstrip(),
            )
        self._html_end = html.end if html else None
        self._html_until_blank = html is not None and html.end is None and html.until_blank
        self._in_paragraph = bool(line.body) and not (opens_block or is_underline)
        self._paragraph_quoted = line.quoted or (continues_quote and self._in_paragraph)
        self._empty_item = line.item_empty

    @property
    def reopen_line(self) -> str | None:
        """The line that reopens the current fence in a fresh document, if one is open."""
        return None if self.fence is None else self.fence.opener + "\n"


def split_settled(text: str) -> tuple[str, str]:
    """Cut ``text`` after its last finished block: ``(settled, tail)``, ``settled + tail == text``.

    Only complete lines are considered; the unfinished last line always stays in the tail.
    """
    scanner = BlockScanner()
    cut_at = 0
    start = 0
    while (end := text.find("\n", start)) >= 0:
        cut = scanner.push(text[start : end + 1])
        if cut is Cut.BEFORE:
            cut_at = start
        elif cut is Cut.AFTER:
            cut_at = end + 1
        start = end + 1
    return text[:cut_at], text[cut_at:]


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _strip_quotes(text: str) -> str:
    while match := _QUOTE.match(text):
        text = text[match.end() :]
    return text
