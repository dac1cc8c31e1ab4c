"""Render docs/screenshot.svg: a real chat session against the built-in emulator.

    python scripts/screenshot.py [--output docs/screenshot.svg]

The emulator runs in-process on loopback; the turns go through the same ChatSession and
MarkdownWriter `azresp chat` uses, into a recording rich Console (90 columns, truecolor) whose
SVG export is the screenshot. Rerun it when the rendering changes; the README shows the file.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.text import Text

from azresp_cli.core.client import make_client
from azresp_cli.core.config import ConnectionFlags, resolve_settings
from azresp_cli.core.environment import Environment
from azresp_cli.core.session_start import SessionStart, start_session
from azresp_cli.emulator.runner import start_in_thread
from azresp_cli.render.markdown_writer import MarkdownWriter
from azresp_cli.render.writers import Outcome

DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "docs" / "screenshot.svg"
WIDTH = 90
PROMPT_MARK = "› "
TURNS = (
    "My name is Ada. What can the Responses API do for a terminal client?",
    "What is my name, and what did I ask first?",
)


def record_session(console: Console) -> None:
    """Run the turns against a fresh emulator and print them into ``console``."""
    with tempfile.TemporaryDirectory() as scratch, start_in_thread() as emulator:
        env = Environment(
            stdin=io.StringIO(),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
            stdin_isatty=False,
            stdout_isatty=True,
            stderr_isatty=True,
            variables={},
            config_dir=Path(scratch) / "config",
            data_dir=Path(scratch) / "data",
        )
        settings = resolve_settings(
            ConnectionFlags(model="gpt-4.1", emulator_url=emulator.base_url), env
        )
        client = make_client(settings)
        session = start_session(
            settings,
            lambda: client,
            SessionStart(history=False),
            data_dir=env.data_dir,
            warn=lambda text: None,
        )
        console.print(
            Text(f"azresp chat · {settings.deployment} on the built-in emulator", style="dim")
        )
        for prompt in TURNS:
            console.print()
            console.print(Text.assemble((PROMPT_MARK, "bold cyan"), prompt))
            console.print()
            writer = MarkdownWriter(console, console, clock=time.monotonic)
            for event in session.ask(prompt):
                writer.handle(event)
            writer.finish(Outcome.completed())
        client.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    terminal = _console(record=False)
    record_session(terminal)
    # The writer prints footers soft-wrapped (whole lines for log files); a terminal wraps
    # them at its width, so the recorded text is wrapped the same way before the export.
    screen = _console(record=True)
    screen.print(Text.from_ansi(terminal.file.getvalue()), end="")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    screen.save_svg(str(args.output), title="azresp chat")
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


def _console(*, record: bool) -> Console:
    return Console(
        file=io.StringIO(),
        record=record,
        width=WIDTH,
        force_terminal=True,
        # Not interactive: each finished block is printed once, with no live frames.
        force_interactive=False,
        color_system="truecolor",
        highlight=False,
        markup=False,
        emoji=False,
        _environ={},
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
