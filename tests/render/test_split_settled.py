"""split_settled: where a growing answer can be cut without changing how it renders."""

from __future__ import annotations

import pytest

from azresp_cli.render.markdown_blocks import BlockScanner, Cut, split_settled


def test_cuts_after_the_last_blank_line() -> None:
    assert split_settled("One.\n\nTwo.\n\nThree is still") == ("One.\n\nTwo.\n\n", "Three is still")


def test_nothing_settles_before_a_blank_line() -> None:
    assert split_settled("A paragraph\nstill going\n") == ("", "A paragraph\nstill going\n")


def test_the_unfinished_last_line_stays_in_the_tail() -> None:
    # "\n\n" has not arrived yet: the blank line is not complete, so there is no boundary.
    assert split_settled("Para\n") == ("", "Para\n")
    assert split_settled("Para\n\n") == ("Para\n\n", "")
    assert split_settled("No newline at all") == ("", "No newline at all")
    assert split_settled("") == ("", "")


def test_blank_lines_inside_a_backtick_fence_are_not_boundaries() -> None:
    text = "Intro\n\n```python\ndef f():\n\n    return 1\n\n"
    assert split_settled(text) == ("Intro\n\n", "```python\ndef f():\n\n    return 1\n\n")


def test_blank_lines_inside_a_tilde_fence_are_not_boundaries() -> None:
    text = "~~~\na\n\nb\n"
    assert split_settled(text) == ("", text)


def test_a_closed_fence_settles_right_after_its_closing_line() -> None:
    text = "```\na\n\nb\n```\nAfter"
    assert split_settled(text) == ("```\na\n\nb\n```\n", "After")


@pytest.mark.parametrize(
    "inner",
    [
        "~~~\n",  # the other fence character
        "``\n",  # shorter than the opener
        "``` python\n",  # a closing fence has no info string
        "    ```\n",  # indented four: content
    ],
)
def test_lines_that_do_not_close_a_fence(inner: str) -> None:
    text = f"```\ncode\n{inner}\nmore\n"
    assert split_settled(text) == ("", text)


def test_a_longer_fence_closes_only_with_as_many_backticks() -> None:
    text = "````md\n```\n\n```\n````\n\nNext"
    assert split_settled(text) == ("````md\n```\n\n```\n````\n\n", "Next")


def test_backticks_inside_an_info_string_make_no_fence() -> None:
    text = "```inline``` code\n\nNext"
    assert split_settled(text) == ("```inline``` code\n\n", "Next")


def test_a_loose_list_stays_open_across_blank_lines() -> None:
    text = "- one\n\n- two\n\n  more of two\n\n"
    assert split_settled(text) == ("", text)


def test_a_list_settles_when_a_non_list_block_starts() -> None:
    text = "1. one\n\n2. two\n\nAfter the list\n"
    assert split_settled(text) == ("1. one\n\n2. two\n\n", "After the list\n")


def test_nested_lists_and_their_fences_stay_in_one_block() -> None:
    text = (
        "- outer\n"
        "  - inner\n"
        "\n"
        "    inner paragraph\n"
        "\n"
        "  ```\n"
        "  code\n"
        "\n"
        "  more code\n"
        "  ```\n"
        "- next\n"
        "\n"
        "# Heading\n"
    )
    settled, tail = split_settled(text)
    assert (settled, tail) == (text.removesuffix("# Heading\n"), "# Heading\n")


def test_tables_settle_at_the_blank_line_after_them() -> None:
    text = "| a | b |\n|---|---|\n| 1 | 2 |\n\nNext"
    assert split_settled(text) == ("| a | b |\n|---|---|\n| 1 | 2 |\n\n", "Next")


def test_an_indented_code_block_keeps_its_blank_lines() -> None:
    text = "    one\n\n    two\n\nAfter\n"
    assert split_settled(text) == ("    one\n\n    two\n\n", "After\n")


def test_an_html_comment_keeps_its_blank_lines() -> None:
    text = "<!-- a note\n\nstill the note -->\n\nText"
    assert split_settled(text) == ("<!-- a note\n\nstill the note -->\n\n", "Text")


def test_a_fence_inside_an_html_block_is_not_a_fence() -> None:
    # The <div> block runs to the blank line; the ``` in it is raw HTML.
    text = "<div>\n```\n</div>\n\nText\n\n"
    assert split_settled(text) == (text, "")


def test_a_block_quote_ends_at_a_blank_line() -> None:
    text = "> quoted\n> ```\n> code\n\nafter\n"
    assert split_settled(text) == ("> quoted\n> ```\n> code\n\n", "after\n")


def test_settled_plus_tail_is_always_the_text() -> None:
    text = "# T\n\n- a\n\n- b\n\n```\nx\n\n```\n\n> q\n\n| a |\n|---|\n\nend"
    for end in range(len(text) + 1):
        settled, tail = split_settled(text[:end])
        assert settled + tail == text[:end]


def test_scanner_reports_cut_positions_line_by_line() -> None:
    scanner = BlockScanner()
    pushed = [
        scanner.push(line)
        for line in ["- a\n", "\n", "- b\n", "\n", "Para\n", "\n", "```\n", "\n", "```\n"]
    ]
    assert pushed == [None, None, None, None, Cut.BEFORE, Cut.AFTER, None, None, Cut.AFTER]


def test_scanner_knows_how_to_reopen_an_open_fence() -> None:
    scanner = BlockScanner()
    assert scanner.reopen_line is None
    scanner.push("  ```python title\n")
    assert scanner.reopen_line == "```python title\n"
