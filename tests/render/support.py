"""Helpers for render tests: in-memory consoles and environments."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

from rich.console import Console

from azresp_cli.core.environment import Environment
from azresp_cli.core.terminal_text import raw_stream

Snapshot = Callable[[str, str], None]  # the `snapshot` fixture: check(name, actual)


def make_console(*, terminal: bool, live: bool = False, width: int = 80, **kwargs: Any) -> Console:
    """An in-memory console; ``live`` makes it interactive, so StreamingMarkdown goes live."""
    return Console(
        file=io.StringIO(),
        width=width,
        height=kwargs.pop("height", 25),
        force_terminal=terminal,
        force_interactive=live,
        color_system="truecolor" if terminal else None,
        _environ={},
        **kwargs,
    )


def output(console: Console) -> str:
    file = console.file
    assert isinstance(file, io.StringIO)
    return file.getvalue()


def make_env(
    *, stdout_tty: bool = False, stderr_tty: bool = False, **variables: str
) -> Environment:
    return Environment(
        stdin=io.StringIO(),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
        stdin_isatty=False,
        stdout_isatty=stdout_tty,
        stderr_isatty=stderr_tty,
        variables={"COLUMNS": "80", "LINES": "25", "TERM": "xterm-256color", **variables},
    )


def streams(env: Environment) -> tuple[str, str]:
    # A TTY stream is wrapped so control characters are made inert (core/terminal_text.py).
    stdout, stderr = raw_stream(env.stdout), raw_stream(env.stderr)
    assert isinstance(stdout, io.StringIO) and isinstance(stderr, io.StringIO)
    return stdout.getvalue(), stderr.getvalue()


# A long answer with every construct the block splitter must get right: lists with blank
# lines between items (one list, not two), fences with blank lines inside, ~~~ fences, a table,
# quotes, rules, indented code, an HTML comment spanning a blank line, numbered items past 9.
MIXED_DOCUMENT = """\
# Release notes

The **streaming renderer** prints finished blocks once and keeps only the tail live.
It wraps long paragraphs at the console width, so this one is deliberately long enough to
need two or three lines at eighty columns, with `inline code` and a [link](https://example.com).

## Lists

- first bullet
- second bullet
  continued on an indented line

- third bullet after a blank line (the list is loose now)

  with a second paragraph inside the item

1. step one
2. step two

   ```bash
   azresp chat "hello"

   azresp get resp_123
   ```

3. step three
4. four
5. five
6. six
7. seven
8. eight
9. nine

10. ten, after a blank line: the numbers keep their width

* a different bullet character
* starts a new list

## Table

| Option | Meaning | Default |
|--------|:-------:|--------:|
| `--json` | print the Response object | off |
| `--jsonl` | print each stream event | off |
| `--no-stream` | wait for the whole answer | off |

> A block quote that spans
> two lines.

> A second quote, apart from the first.

```python
def settle(text: str) -> tuple[str, str]:
    \"\"\"A fence with blank lines inside.\"\"\"

    settled, tail = split(text)

    return settled, tail
```

~~~
tilde fence

with a blank line
~~~
Text right after a fence, no blank line between.

---

    indented code

    more indented code after a blank line

<!-- an HTML comment

that spans a blank line -->

![diagram](https://example.com/diagram.png)

Final paragraph, with *emphasis* and ~~strikethrough~~.
"""


_TERMINAL_OUTPUT = re.compile(
    r"\x1b\[(?P<params>[0-9;?]*)(?P<final>[A-Za-z])"
    r"|\x1b\](?P<osc>.*?)(?:\x1b\\|\x07)"
    r"|(?P<control>[\r\n])"
    r"|(?P<text>[^\x1b\r\n]+)"
)


def screen(output: str, *, height: int | None = None) -> list[str]:
    """What a terminal shows after ``output``, scrollback included, line by line.

    Models what rich's Live emits: text, newlines, carriage return followed by erase-line,
    cursor up, SGR colours (kept in the text), cursor show/hide and OSC 8 links (dropped: their
    ids are random). Anything else fails the test rather than being guessed at. With a
    ``height``, lines that scrolled off the screen are out of the cursor's reach, as on a real
    terminal: a live region taller than the screen cannot be erased.
    """
    lines = [""]
    row = 0
    after_carriage_return = False
    for match in _TERMINAL_OUTPUT.finditer(output):
        params, final, text = match["params"], match["final"], match["text"]
        if text is not None or final == "m":
            if after_carriage_return and lines[row]:
                raise AssertionError(f"overwriting text in place is not modelled: {output!r}")
            lines[row] += match[0]
            after_carriage_return = False
        elif match["control"] == "\n":
            row += 1
            after_carriage_return = False
            if row == len(lines):
                lines.append("")
        elif match["control"] == "\r":
            after_carriage_return = True
        elif final == "K":
            lines[row] = ""
        elif final == "A":
            top_of_screen = 0 if height is None else max(0, len(lines) - height)
            row = max(row - int(params or "1"), top_of_screen)
        elif match["osc"] is not None or (final in {"h", "l"} and params == "?25"):
            continue
        else:
            raise AssertionError(f"unexpected escape sequence {match[0]!r}")
    while lines and not lines[-1]:
        lines.pop()
    return lines
