"""Print Markdown blocks one at a time so that together they look like one document.

rich's ``Markdown.__rich_console__`` puts a blank line before a top-level element when the
element processed just before it asked for one (``MarkdownElement.new_line``; a horizontal rule
or an image does not). That state starts ``False`` in every ``Markdown``, so printing two blocks
separately loses the blank line between them. ``BlockJoin`` carries the state across prints: it
reads the parsed tokens (no second parse) to learn how a block ends and whether its first render
depends on the state it inherits, and adds the missing blank line. The incremental-equals-one-shot
tests in tests/render pin this to rich's behaviour.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from markdown_it.token import Token
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.markdown import Markdown, MarkdownElement, UnknownElement
from rich.segment import Segment

# Tokens rich's loop handles without creating an element (they never touch `new_line`).
_NON_ELEMENTS = frozenset(
    {"text", "hardbreak", "softbreak", "link_open", "link_close", "html_inline"}
)


class Joined:
    """A Markdown block, preceded by the blank line it would have had inside the whole answer."""

    def __init__(self, markdown: Markdown, *, blank_line_before: bool) -> None:
        self.markdown = markdown
        self.blank_line_before = blank_line_before

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.blank_line_before:
            yield Segment.line()
        yield Trimmed(self.markdown)


class Trimmed:
    """A renderable without the padding rich adds to the end of every paragraph line.

    Those spaces are invisible until the terminal gets narrower: then each one wraps into a
    blank line in the scrollback. Code blocks keep their padding, whose background shows.
    """

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in console.render_lines(self.renderable, options, pad=False):
            yield from trim_line_end(line)
            yield Segment.line()


def trim_line_end(line: list[Segment]) -> list[Segment]:
    """The line without its trailing spaces that carry no visible background or decoration."""
    trimmed = list(line)
    while trimmed:
        last = trimmed[-1]
        if last.control or not _invisible_padding(last):
            break
        stripped = last.text.rstrip(" ")
        if stripped:
            trimmed[-1] = Segment(stripped, last.style)
            break
        trimmed.pop()
    return trimmed


def _invisible_padding(segment: Segment) -> bool:
    style = segment.style
    if not segment.text.endswith(" "):
        return False
    return style is None or not (style.bgcolor or style.underline or style.strike or style.reverse)


class BlockJoin:
    """Remembers how the last printed block ended, to join the next one seamlessly."""

    def __init__(self) -> None:
        self._new_line = False  # rich's `new_line` after the last printed block

    def join(self, markdown: Markdown) -> RenderableType:
        """The block as it must be printed next (does not change the carried state)."""
        needs_blank = self._new_line and _first_render_inherits(markdown)
        return Joined(markdown, blank_line_before=needs_blank)

    def printed(self, markdown: Markdown) -> None:
        """Record that ``markdown`` was printed; an empty block leaves the state alone."""
        last = _last_element_new_line(markdown)
        if last is not None:
            self._new_line = last


def _element_tokens(markdown: Markdown) -> Iterator[Token]:
    """The tokens rich turns into elements, in the order its render loop sees them."""
    for token in _flatten(markdown.parsed):
        is_inline_style = token.tag in markdown.inlines and token.type not in {
            "fence",
            "code_block",
        }
        if token.type not in _NON_ELEMENTS and not is_inline_style:
            yield token


def _flatten(tokens: Iterable[Token]) -> Iterator[Token]:
    # Mirrors Markdown._flatten_tokens: fences and images keep their children.
    for token in tokens:
        if token.children and not (token.type == "fence" or token.tag == "img"):
            yield from _flatten(token.children)
        else:
            yield token


def _element_class(markdown: Markdown, token_type: str) -> type[MarkdownElement]:
    return markdown.elements.get(token_type) or UnknownElement


def _passes_children_through(element: type[MarkdownElement]) -> bool:
    """Whether a parent renders its children as they close (paragraphs, headings do)."""
    return element.on_child_close is MarkdownElement.on_child_close


def _first_render_inherits(markdown: Markdown) -> bool:
    """Whether the block's first render is preceded by the inherited blank-line state.

    True for a leading paragraph, heading, fence or rule; False for a list, quote or table,
    whose children close first and set the state themselves.
    """
    stack: list[type[MarkdownElement]] = []
    for token in _element_tokens(markdown):
        if token.nesting == 1:
            stack.append(_element_class(markdown, token.type))
            continue
        if token.nesting == -1:
            stack.pop()
        renders = not stack or _passes_children_through(stack[-1])
        # An empty `inline` token renders nothing and is exempt from the blank line.
        return renders and token.type != "inline"
    return False


def _last_element_new_line(markdown: Markdown) -> bool | None:
    """rich's `new_line` after rendering the whole block; None if it has no elements."""
    last: bool | None = None
    for token in _element_tokens(markdown):
        if token.nesting == 1:
            continue
        opener = token.type.removesuffix("_close") + "_open" if token.nesting == -1 else token.type
        last = _element_class(markdown, opener).new_line
    return last
