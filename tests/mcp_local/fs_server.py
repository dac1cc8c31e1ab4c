"""A tiny filesystem-style MCP server over stdio, for the tests (and the README's session).

    python fs_server.py ROOT

Tools: ``read_file(path)``, ``write_file(path, text)``, ``list_dir()``, ``picture()`` (an image
block), ``big(n)`` (n characters) and ``crash()`` (the process exits mid-call). It writes a line
to stderr at start, so tests can check that stderr never reaches the terminal.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.utilities.types import Image

ROOT = Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
server = MCPServer("fs-test")
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
)


@server.tool()
def read_file(path: str) -> str:
    """Read a text file under the server's root."""
    return (ROOT / path).read_text(encoding="utf-8")


@server.tool()
def write_file(path: str, text: str) -> str:
    """Write a text file under the server's root."""
    (ROOT / path).write_text(text, encoding="utf-8")
    return f"wrote {len(text)} characters to {path}"


@server.tool()
def list_dir() -> str:
    """List the files under the server's root."""
    return "\n".join(sorted(p.name for p in ROOT.iterdir()))


@server.tool()
def picture() -> Image:
    """A one-pixel PNG."""
    return Image(data=PNG_1X1, format="png")


@server.tool()
def big(n: int) -> str:
    """n characters of text."""
    return "x" * n


@server.tool()
def crash() -> str:
    """The server dies while answering."""
    os._exit(3)


if __name__ == "__main__":
    print(f"fs-test server serving {ROOT}", file=sys.stderr, flush=True)
    server.run("stdio")
