"""--web-search end to end against the emulator: the tool on the wire, what the user sees."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from spec_validation import assert_valid
from tool_support import Azresp

Bodies = Callable[[], list[dict[str, Any]]]
ESCAPES = re.compile(r"\x1b\][^\x1b]*\x1b\\|\x1b\[[0-9;?]*[ -/]*[@-~]")


def visible(text: str) -> list[str]:
    """The lines a terminal shows: escapes (colours, hyperlinks, erasing) removed."""
    return [line.strip() for line in ESCAPES.sub("", text).splitlines()]


def test_the_tool_and_the_sources_include_go_over_the_wire(azresp: Azresp, bodies: Bodies) -> None:
    result = azresp(
        "chat",
        "--web-search",
        "--allow-domain",
        "example.com",
        "--allow-domain",
        "https://Docs.Example.org/",
        "--location",
        "Oslo,no",
        "what is new?",
    )
    assert result.exit_code == 0, result.stderr
    [body] = bodies()
    assert body["tools"] == [
        {
            "type": "web_search",
            "filters": {"allowed_domains": ["example.com", "docs.example.org"]},
            "user_location": {"type": "approximate", "city": "Oslo", "country": "NO"},
        }
    ]
    assert "web_search_call.action.sources" in body["include"]
    assert_valid("CreateResponse", body)


def test_piped_output_lists_the_cited_pages_as_markdown_links(azresp: Azresp) -> None:
    result = azresp("chat", "--web-search", "[[web:azure news]]")
    assert result.exit_code == 0, result.stderr
    assert 'searched: "azure news" (3 sources)' in result.stderr
    answer, sources = result.stdout.split("\nSources:\n\n")
    assert "([www.example.com](https://www.example.com/guide))" in answer
    assert sources == (
        "1. [Example Guide](https://www.example.com/guide)\n"
        "2. [Example Reference](https://docs.example.com/reference)\n"
        "3. [Example News](https://news.example.org/today)\n"
    )


def test_a_terminal_gets_numbered_footnotes_with_the_urls(azresp: Azresp) -> None:
    result = azresp("chat", "--web-search", "--allow-domain", "example.com", "q", tty=True)
    assert result.exit_code == 0, result.stderr
    lines = visible(result.stdout)
    assert "[1] Example Guide — https://www.example.com/guide" in lines
    assert "[2] Example Reference — https://docs.example.com/reference" in lines
    assert "news.example.org" not in result.stdout  # filtered out by the allowed domains
    assert "searched:" in result.stderr


def test_json_keeps_the_annotations_as_the_service_sent_them(azresp: Azresp) -> None:
    result = azresp("chat", "--json", "--web-search", "q")
    assert result.exit_code == 0, result.stderr
    response = json.loads(result.stdout)
    assert response["output"][0]["type"] == "web_search_call"
    [part] = response["output"][1]["content"]
    assert [a["type"] for a in part["annotations"]] == ["url_citation"] * 3
    assert "Sources:" not in result.stdout


def test_the_notice_is_shown_once(azresp: Azresp, tmp_path: Path) -> None:
    first = azresp("chat", "--web-search", "q")
    assert "outside the Azure compliance boundary" in first.stderr
    assert "billed" in first.stderr
    assert (tmp_path / "data" / "web-search-notice-shown").exists()
    second = azresp("chat", "--web-search", "q")
    assert "compliance boundary" not in second.stderr


def test_a_blocked_resource_is_one_error_naming_the_admin_setting(azresp: Azresp) -> None:
    result = azresp("chat", "--web-search", "[[web:blocked]] hi")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    error = next(line for line in lines if line.startswith("error:"))
    assert error.startswith("error: web search is blocked on this resource")
    hint = next(line for line in lines if line.startswith("hint:"))
    assert "disabled for this Azure resource or subscription" in hint
    assert "administrator" in hint
    assert "Traceback" not in result.stderr


def test_block_domain_is_refused_because_the_api_has_no_such_filter(azresp: Azresp) -> None:
    result = azresp("chat", "--web-search", "--block-domain", "example.com", "q")
    assert result.exit_code == 2
    assert "filters.allowed_domains" in result.stderr and "--allow-domain" in result.stderr


def test_bad_values_are_usage_errors(azresp: Azresp) -> None:
    assert azresp("chat", "--allow-domain", "example.com", "q").exit_code == 2
    bad = azresp("chat", "--web-search", "--location", "Oslo,Norway", "q")
    assert bad.exit_code == 2 and "two-letter country code" in bad.stderr
    assert azresp("chat", "--web-search", "--allow-domain", "not a domain", "q").exit_code == 2


def test_a_profile_turns_web_search_on_with_its_domains(
    azresp: Azresp, bodies: Bodies, tmp_path: Path
) -> None:
    assert azresp("config", "set", "web_search", "true").exit_code == 0
    assert azresp("config", "set", "allow_domains", "example.com, example.org").exit_code == 0
    result = azresp("chat", "q")
    assert result.exit_code == 0, result.stderr
    [body] = bodies()
    assert body["tools"] == [
        {"type": "web_search", "filters": {"allowed_domains": ["example.com", "example.org"]}}
    ]


@pytest.mark.slow
def test_a_template_carries_web_search_and_a_local_mcp_server(
    azresp: Azresp, bodies: Bodies, tmp_path: Path
) -> None:

    from mcp_local_support import server_flag

    notes = tmp_path / "notes"
    notes.mkdir()
    server = server_flag(notes)
    saved = azresp(
        "chat", "--save", "research", "--web-search", "--allow-domain", "example.com",
        "--mcp-local", server,
    )  # fmt: skip
    assert saved.exit_code == 0, saved.stderr
    text = (tmp_path / "config" / "templates" / "research.toml").read_text()
    assert "web_search = true" in text and 'allow_domains = ["example.com"]' in text
    assert "mcp_local = [" in text
    result = azresp("chat", "-t", "research", "q")
    assert result.exit_code == 0, result.stderr
    [body] = bodies()
    names = [tool.get("name", tool["type"]) for tool in body["tools"]]
    assert "fs__read_file" in names and "web_search" in names
    [search] = [tool for tool in body["tools"] if tool["type"] == "web_search"]
    assert search["filters"] == {"allowed_domains": ["example.com"]}
