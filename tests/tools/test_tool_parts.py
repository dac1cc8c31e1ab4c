"""The pieces under the tool loop: schemas from signatures, invoking, masking, saving."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Annotated

import pytest
from pydantic import BaseModel, Field

from azresp_cli.core.errors import UsageError
from azresp_cli.core.function_tools import ToolFailed, function_tool, invoke, output_text
from azresp_cli.core.mcp import McpServer, StreamMask, mask_headers, parse_servers
from azresp_cli.core.outputs import safe_filename, save_bytes


def strict_add(a: int, b: int) -> int:
    """Add two whole numbers."""
    return a + b


class Point(BaseModel):
    x: float
    y: float


def distance(
    start: Point, end: Point, unit: Annotated[str, Field(description="km or mi")] = "km"
) -> str:
    return f"{abs(end.x - start.x) + abs(end.y - start.y)} {unit}"


def test_a_fully_required_signature_is_strict() -> None:
    tool = function_tool(strict_add, "test")
    assert tool.spec() == {
        "type": "function",
        "name": "strict_add",
        "description": "Add two whole numbers.",
        "parameters": {
            "type": "object",
            "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}},
            "required": ["a", "b"],
            "additionalProperties": False,
        },
        "strict": True,
    }


def test_models_defaults_and_field_descriptions_make_a_non_strict_schema() -> None:
    tool = function_tool(distance, "test")
    assert tool.strict is False and tool.description is None
    assert "description" not in tool.spec()
    properties = tool.parameters["properties"]
    assert properties["unit"]["description"] == "km or mi"
    assert "$defs" in tool.parameters  # Point, shared by start and end
    assert invoke(tool, '{"start": {"x": 0, "y": 0}, "end": {"x": 3, "y": 4}}') == "7.0 km"


def test_invoke_checks_and_reports() -> None:
    tool = function_tool(strict_add, "test")
    assert invoke(tool, '{"a": 2, "b": "3"}') == "5"  # pydantic's lax mode, as documented
    for arguments, message in (
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('{"a": 1}', "do not fit strict_add"),
        ('{"a": 1, "b": 2, "c": 3}', "do not fit strict_add"),
    ):
        with pytest.raises(ToolFailed, match=message):
            invoke(tool, arguments)


def test_outputs_are_text() -> None:
    assert output_text("plain") == "plain"
    assert output_text({"a": [1, 2]}) == '{"a":[1,2]}'
    assert output_text(Point(x=1, y=2)) == '{"x":1.0,"y":2.0}'
    assert output_text(None) == "null"


def test_signatures_that_cannot_be_tools() -> None:
    def many(*values: int) -> int:
        return sum(values)

    def loose(x):  # type: ignore[no-untyped-def]
        return x

    with pytest.raises(UsageError, match=r"takes \*values"):
        function_tool(many, "t.py")
    with pytest.raises(UsageError, match="parameter 'x' of loose has no type annotation"):
        function_tool(loose, "t.py")


def test_a_module_with_all_exports_only_those(tmp_path: Path) -> None:
    from azresp_cli.core.function_tools import load_tools

    path = tmp_path / "two.py"
    path.write_text(
        "__all__ = ['public']\n"
        "def public(x: int) -> int:\n    return x\n"
        "def helper(x: int) -> int:\n    return x\n"
    )
    assert [tool.name for tool in load_tools([str(path)])] == ["public"]
    with pytest.raises(UsageError, match="two tools are named public"):
        load_tools([str(path), str(path)])


def test_mcp_headers_are_registered_and_masked() -> None:
    from azresp_cli.core.redact import redact

    [server] = parse_servers(["docs=https://mcp.example/"], ["docs:X-Api-Token=tok-ABCDEF-42"])
    assert server.headers == {"X-Api-Token": "tok-ABCDEF-42"}
    assert "tok-ABCDEF-42" not in repr(server)
    assert redact("sent tok-ABCDEF-42") == "sent ***"
    response = {"tools": [server.spec("always")], "output": []}
    assert mask_headers(response)["tools"][0]["headers"] == {"X-Api-Token": "***"}


@pytest.mark.parametrize("size", [1, 2, 3, 5, 100])
def test_the_stream_mask_catches_a_secret_split_across_deltas(size: int) -> None:
    server = McpServer("docs", "https://x", {"Authorization": "Bearer s3cr3t-value"})
    text = "the header was Bearer s3cr3t-value, and s3cr3t-value alone; s3cr3 is not it"
    mask = StreamMask([server])
    shown = "".join(mask.feed(text[i : i + size]) for i in range(0, len(text), size))
    shown += mask.flush()
    assert shown == "the header was ***, and *** alone; s3cr3 is not it"


def test_saving_never_overwrites_and_keeps_names_plain(tmp_path: Path) -> None:
    first = save_bytes(tmp_path / "new", "chart.png", b"1")
    second = save_bytes(tmp_path / "new", "chart.png", b"2")
    third = save_bytes(tmp_path / "new", "../../etc/chart.png", b"3")
    assert [p.name for p in (first, second, third)] == ["chart.png", "chart-1.png", "chart-2.png"]
    assert first.read_bytes() == b"1"
    assert safe_filename("a/b\\c d?.txt") == "c d_.txt"
    assert safe_filename("..") == "file"


@pytest.mark.slow
def test_help_imports_no_tool_dependency() -> None:
    # pydantic is not in the list: typer 0.29 imports it for every command line.
    probe = (
        "import sys; from azresp_cli.cli.main import run; "
        "from azresp_cli.core.environment import Environment; import io; "
        "env = Environment(io.StringIO(), io.StringIO(), io.StringIO(), False, False, False); "
        "[run(argv, env) for argv in (['chat', '--help'], ['files', '--help'])]; "
        "print([m for m in ('openai', 'mcp', 'rich.panel', 'rich.syntax', 'prompt_toolkit') "
        "if m in sys.modules])"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"
